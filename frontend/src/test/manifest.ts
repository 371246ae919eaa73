/** Manifest entries for tests: a field with the manifest's defaults, and what a test sets. */
import type { FieldManifest } from "@/api/types";

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
