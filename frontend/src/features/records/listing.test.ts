import type { EntityManifest } from "@/api/types";
import { fieldManifest } from "@/test/manifest";

import { describeRange } from "./components/Pager";
import { tableColumns } from "./components/RecordTable";
import { currentOrdering, exportParams, isFiltered, lookupParam } from "./listParams";
import { nextStatuses } from "./workflow";

const entity: EntityManifest = {
  name: "testing.testrun",
  label: "Test run",
  label_plural: "Test runs",
  api_path: "/api/v1/testing/test-runs/",
  id_prefix: "TST",
  fields: [
    fieldManifest("id", "integer", { read_only: true }),
    fieldManifest("public_id", "string", { read_only: true }),
    fieldManifest("name", "string"),
    fieldManifest("description", "text"),
    fieldManifest("status", "choice"),
    fieldManifest("category", "string"),
    fieldManifest("tags", "tags"),
    fieldManifest("updated_at", "datetime", { read_only: true }),
    fieldManifest("measured_value", "decimal"),
    fieldManifest("notes", "json"),
    fieldManifest("datasheet", "url"),
    fieldManifest("unit", "string"),
    fieldManifest("a", "integer"),
    fieldManifest("b", "integer"),
    fieldManifest("c", "integer"),
  ],
  filters: [],
  searched_fields: [{ name: "name", label: "Name" }],
  statuses: [],
  initial_status: "PENDING",
  archived_status: "ARCHIVED",
  transitions: [
    { source: "PENDING", target: "RUNNING", admin_only: false },
    { source: "PENDING", target: "ARCHIVED", admin_only: false },
    { source: "RUNNING", target: "PASS", admin_only: true },
    { source: "RUNNING", target: "FAIL", admin_only: false },
  ],
  default_ordering: ["-created_at", "-id"],
};

describe("the list's columns", () => {
  it("are the id, name and status, four of the tool's own short fields, then tags and time", () => {
    expect(tableColumns(entity).map((column) => column.name)).toEqual([
      "public_id",
      "name",
      "status",
      "measured_value",
      "unit",
      "a",
      "b",
      "tags",
      "updated_at",
    ]);
  });
});

describe("the workflow's next statuses", () => {
  it("follow the transitions from the status, admin-only ones for admins; archiving is its own button", () => {
    expect(nextStatuses(entity, "PENDING", false)).toEqual(["RUNNING"]);
    expect(nextStatuses(entity, "RUNNING", false)).toEqual(["FAIL"]);
    expect(nextStatuses(entity, "RUNNING", true)).toEqual(["PASS", "FAIL"]);
  });
});

describe("the list's query", () => {
  it("tells filtering from paging and ordering", () => {
    expect(isFiltered(new URLSearchParams("limit=50&offset=50&ordering=name"))).toBe(false);
    expect(isFiltered(new URLSearchParams("search=x"))).toBe(true);
  });

  it("exports the same rows without the page, marked as UTF-8 for a spreadsheet", () => {
    expect(exportParams(new URLSearchParams("status=DRAFT&limit=50&offset=100")).toString()).toBe(
      "status=DRAFT&byte_order_mark=true",
    );
  });

  it("names a lookup's parameter as the API does, and falls back to the default order", () => {
    expect(lookupParam(fieldManifest("unit_cost", "decimal"), "gte")).toBe("unit_cost__gte");
    expect(lookupParam(fieldManifest("unit", "string"), "exact")).toBe("unit");
    expect(currentOrdering(new URLSearchParams(), entity)).toBe("-created_at");
  });
});

describe("the pager's summary", () => {
  it("says exact counts, capped counts and estimates apart", () => {
    expect(describeRange(0, 25, 240, false, false)).toBe("1–25 of 240");
    expect(describeRange(25, 25, 1000, true, true)).toBe("26–50 of 1,000+");
    expect(describeRange(0, 25, 1204000, true, false)).toBe("1–25 of about 1,204,000");
    expect(describeRange(0, 0, 0, false, true)).toBe("No records");
  });
});
