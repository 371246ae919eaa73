/** Manifest entries for tests: a field with the manifest's defaults, and what a test sets. */
import type { EntityManifest, FieldManifest, ToolManifest } from "@/api/types";

export function fieldManifest(
  name: string,
  type: FieldManifest["type"],
  overrides: Partial<FieldManifest> = {},
): FieldManifest {
  return {
    name,
    type,
    label: name,
    help_text: "",
    required: false,
    read_only: false,
    nullable: false,
    max_length: null,
    unique: false,
    min: null,
    max: null,
    decimal_places: null,
    choices: null,
    default: null,
    relation: null,
    filter_lookups: [],
    sortable: false,
    ...overrides,
  };
}

/** The demo's components entity, with the fields a test gives it. */
export function componentEntity(fields: FieldManifest[] = []): EntityManifest {
  return {
    name: "components.component",
    label: "Component",
    label_plural: "Components",
    api_path: "/api/v1/components/components/",
    fields,
    filters: [],
    searched_fields: [
      { name: "public_id", label: "Public id" },
      { name: "name", label: "Name" },
      { name: "description", label: "Description" },
      { name: "part_number", label: "Part number" },
      { name: "supplier", label: "Supplier" },
    ],
    statuses: [],
  } as unknown as EntityManifest;
}

/** The demo's components tool, read only, with the entities a test gives it. */
export function componentsTool(entities: EntityManifest[] = []): ToolManifest {
  return {
    slug: "components",
    name: "Components",
    icon: "cpu",
    description: "",
    api_path: "/api/v1/components/",
    permissions: ["read"],
    entities,
  };
}

/** The demo's test runs entity, with the fields a test gives it, and no workflow. */
export function testRunEntity(fields: FieldManifest[] = []): EntityManifest {
  return {
    name: "testing.testrun",
    label: "Test run",
    label_plural: "Test runs",
    api_path: "/api/v1/testing/test-runs/",
    fields,
    filters: [],
    searched_fields: [
      { name: "public_id", label: "Public id" },
      { name: "name", label: "Name" },
      { name: "description", label: "Description" },
    ],
    statuses: [],
    transitions: [],
    default_ordering: ["-created_at"],
  } as unknown as EntityManifest;
}

/** The demo's testing tool, which the caller may write, with the entities a test gives it. */
export function testingTool(entities: EntityManifest[] = []): ToolManifest {
  return {
    slug: "testing",
    name: "Testing",
    icon: "flask",
    description: "",
    api_path: "/api/v1/testing/",
    permissions: ["read", "write"],
    entities,
  };
}

/**
 * The demo's test runs with their workflow: Pending → Running → Pass or Fail; Pass only for
 * admins here, and archived from Pass or Fail (final statuses) by admins only.
 */
export function testRunWorkflowEntity(): EntityManifest {
  return {
    ...testRunEntity([fieldManifest("status", "choice", { label: "Status", read_only: true })]),
    statuses: [
      { value: "PENDING", label: "Pending", color: "gray" },
      { value: "RUNNING", label: "Running", color: "blue" },
      { value: "PASS", label: "Pass", color: "green" },
      { value: "FAIL", label: "Fail", color: "red" },
      { value: "ARCHIVED", label: "Archived", color: "gray" },
    ],
    transitions: [
      { source: "PENDING", target: "RUNNING", admin_only: false },
      { source: "PENDING", target: "ARCHIVED", admin_only: false },
      { source: "RUNNING", target: "PASS", admin_only: true },
      { source: "RUNNING", target: "FAIL", admin_only: false },
      { source: "RUNNING", target: "ARCHIVED", admin_only: false },
      { source: "PASS", target: "ARCHIVED", admin_only: true },
      { source: "FAIL", target: "ARCHIVED", admin_only: true },
      { source: "ARCHIVED", target: "PENDING", admin_only: false },
    ],
    archived_status: "ARCHIVED",
  } as unknown as EntityManifest;
}
