import { ApiError } from "@/api/client";
import type { ErrorBody, FieldManifest } from "@/api/types";
import { fieldManifest } from "@/test/manifest";

import {
  checkFields,
  formValues,
  linkRefusals,
  recordSchema,
  refusedFields,
  requestBody,
  splitList,
} from "./fields";
import { toLocalInput } from "./times";

const name = fieldManifest("name", "string", { required: true, max_length: 10 });
const cost = fieldManifest("unit_cost", "decimal", { decimal_places: 2, min: "0" });
const quantity = fieldManifest("quantity", "integer", { min: "0", max: "9223372036854775807" });
const email = fieldManifest("owner", "email");
const link = fieldManifest("datasheet", "url");
const tags = fieldManifest("tags", "tags", { max_length: 5 });
const when = fieldManifest("executed_at", "datetime", { nullable: true });
const component = fieldManifest("component", "relation", {
  required: true,
  relation: {
    entity: "components.component",
    api_path: "/api/v1/components/components/",
    many: false,
  },
});
const instruments = fieldManifest("instruments", "relation", {
  relation: {
    entity: "components.component",
    api_path: "/api/v1/components/components/",
    many: true,
  },
});
const meter = { id: 3, public_id: "CMP-0003", name: "Bench meter" };
const probe = { id: 4, public_id: "CMP-0004", name: "Current probe" };
const unit = fieldManifest("unit", "choice", {
  choices: [
    { value: "V", label: "Volt" },
    { value: "A", label: "Ampere" },
  ],
});
const active = fieldManifest("active", "boolean", { default: true });
const extra = fieldManifest("extra", "json", { nullable: true });

function problems(
  fields: FieldManifest[],
  values: Record<string, unknown>,
  initial?: Parameters<typeof recordSchema>[1],
): Record<string, string> {
  const result = recordSchema(fields, initial).safeParse(values);
  if (result.success) return {};
  return Object.fromEntries(
    result.error.issues.map((issue) => [String(issue.path[0]), issue.message]),
  );
}

describe("the form's checks, derived from the manifest", () => {
  it("requires a required field and accepts an optional one left empty", () => {
    expect(problems([name, cost], { name: "  ", unit_cost: "" })).toEqual({
      name: "This field is required.",
    });
  });

  it("holds text to its maximum length", () => {
    expect(problems([name], { name: "x".repeat(11) })).toEqual({
      name: "Ensure this field has no more than 10 characters.",
    });
  });

  it("checks decimals: a number, its places, its minimum", () => {
    expect(problems([cost], { unit_cost: "abc" })).toEqual({
      unit_cost: "Enter a number like 1234.50, without thousands separators.",
    });
    expect(problems([cost], { unit_cost: "1.234" })).toEqual({
      unit_cost: "Ensure that there are no more than 2 decimal places.",
    });
    expect(problems([cost], { unit_cost: "-1" })).toEqual({
      unit_cost: "Ensure this value is greater than or equal to 0.",
    });
    expect(problems([cost], { unit_cost: "12.50" })).toEqual({});
  });

  it("says what a number takes when the user groups its thousands", () => {
    const measured = fieldManifest("measured", "decimal", { decimal_places: 4 });
    const reading = fieldManifest("reading", "number");
    expect(
      problems([cost, quantity, measured, reading], {
        unit_cost: "1,234.50",
        quantity: "1,234",
        measured: "1 234,5",
        reading: "1,5",
      }),
    ).toEqual({
      unit_cost: "Enter a number like 1234.50, without thousands separators.",
      quantity: "Enter a whole number like 1234, without thousands separators.",
      measured: "Enter a number like 1234.5000, without thousands separators.",
      reading: "Enter a number like 1234.5, without thousands separators.",
    });
  });

  it("checks whole numbers up to 64 bits exactly", () => {
    expect(problems([quantity], { quantity: "1.5" })).toEqual({
      quantity: "Enter a whole number like 1234, without thousands separators.",
    });
    expect(problems([quantity], { quantity: "9223372036854775807" })).toEqual({});
    expect(problems([quantity], { quantity: "9223372036854775808" })).toEqual({
      quantity: "Ensure this value is less than or equal to 9223372036854775807.",
    });
  });

  it("checks emails, web addresses, choices, JSON and each tag's length", () => {
    expect(
      problems([email, link, unit, extra, tags], {
        owner: "not-an-email",
        datasheet: "javascript:alert(1)",
        unit: "W",
        extra: "{",
        tags: "ok, toolong",
      }),
    ).toEqual({
      owner: "Enter a valid email address.",
      datasheet: "Enter a valid URL.",
      unit: "Select one of the choices.",
      extra: "Enter valid JSON.",
      tags: 'Tag "toolong" is longer than 5 characters.',
    });
  });
});

describe("the checks when editing many records at once", () => {
  it("refuses emptying a field that must have a value; a nullable one may be cleared", () => {
    expect(
      problems([name, quantity, when], { name: "", quantity: "", executed_at: "" }, "many"),
    ).toEqual({ name: "This field is required.", quantity: "This field cannot be empty." });
  });
});

describe("a record's values in the form and back", () => {
  const record = {
    id: 7,
    public_id: "TST-0007",
    name: "Run",
    status: "PENDING",
    tags: ["a", "b"],
    created_at: "2026-12-01T10:00:00Z",
    updated_at: "2026-12-01T10:00:00Z",
    archived_at: null,
    created_by: null,
    updated_by: null,
    component: { id: 1, public_id: "CMP-0001", name: "Resistor" },
    executed_at: null,
    active: false,
    extra: { a: 1 },
  };

  it("holds a link's record as the record names it, tags joined, empty times blank", () => {
    expect(formValues([component, tags, when, active, extra], record)).toEqual({
      component: [{ id: 1, public_id: "CMP-0001", name: "Resistor" }],
      tags: "a, b",
      executed_at: "",
      active: false,
      extra: '{\n  "a": 1\n}',
    });
  });

  it("holds a float as people write it, and leaves it out of an edit that left it so", () => {
    const ratio = fieldManifest("ratio", "number", { nullable: true });
    const values = formValues([name, ratio], { ...record, ratio: 0.1 + 0.2 });
    expect(values).toEqual({ name: "Run", ratio: "0.3" });
    // Saved with only the name changed, the stored 0.30000000000000004 is not sent as 0.3.
    const changed = (field: string) => field === "name";
    expect(requestBody([name, ratio], { ...values, name: "Probe 2" }, changed)).toEqual({
      name: "Probe 2",
    });
    expect(requestBody([ratio], { ratio: "0.35" }, () => true)).toEqual({ ratio: 0.35 });
    expect(problems([ratio], values, values)).toEqual({});
  });

  it("holds a many-relation's linked records as the record has them, none when it has none", () => {
    expect(formValues([instruments], { ...record, instruments: [meter, probe] })).toEqual({
      instruments: [meter, probe],
    });
    expect(formValues([instruments])).toEqual({ instruments: [] });
  });

  it("sends a many-relation's records by id, in the order picked, and an emptied one as none", () => {
    expect(requestBody([instruments], { instruments: [meter, probe] })).toEqual({
      instruments: [3, 4],
    });
    expect(requestBody([instruments], { instruments: [probe, meter] })).toEqual({
      instruments: [4, 3],
    });
    expect(requestBody([instruments], { instruments: [] })).toEqual({});
    expect(requestBody([instruments], { instruments: [] }, () => true)).toEqual({
      instruments: [],
    });
  });

  it("holds no record for a single link naming none, and sends the one chosen by id", () => {
    const optional = { ...component, required: false, nullable: true };
    expect(formValues([optional], { ...record, component: null })).toEqual({ component: [] });
    expect(requestBody([optional], { component: [probe] })).toEqual({ component: 4 });
    expect(requestBody([optional], { component: [] })).toEqual({});
    expect(requestBody([optional], { component: [] }, () => true)).toEqual({ component: null });
  });

  it("requires a record of a required single link; one not nullable cannot be unlinked", () => {
    expect(problems([component], { component: [] })).toEqual({
      component: "This field is required.",
    });
    expect(problems([component], { component: [meter] })).toEqual({});
    const optional = { ...component, required: false };
    expect(problems([optional], { component: [] })).toEqual({});
    expect(problems([optional], { component: [] }, { component: [meter] })).toEqual({
      component: "This field cannot be empty.",
    });
    const nullable = { ...optional, nullable: true };
    expect(problems([nullable], { component: [] }, { component: [meter] })).toEqual({});
  });

  it("requires a record of a required many-relation", () => {
    const required = { ...instruments, required: true };
    expect(problems([required], { instruments: [] })).toEqual({
      instruments: "Choose at least one.",
    });
    expect(problems([required], { instruments: [meter] })).toEqual({});
  });

  it("starts a new record from each field's default", () => {
    expect(formValues([active, unit, name])).toEqual({ active: true, unit: "", name: "" });
  });

  it("shows a default as a value of its field is shown, and never on a record's empty value", () => {
    const settings = fieldManifest("settings", "json", { nullable: true, default: {} });
    const size = fieldManifest("size", "string", { default: "medium" });
    expect(formValues([settings, size])).toEqual({ settings: "{}", size: "medium" });
    expect(formValues([settings, size], { ...record, settings: null, size: "" })).toEqual({
      settings: "",
      size: "",
    });
  });

  it("sends on create every field given, and leaves optional empty ones to the server", () => {
    const body = requestBody([name, cost, quantity, tags, when, active], {
      name: " Hall sensor ",
      unit_cost: "",
      quantity: "9223372036854775807",
      tags: "i2c, , sensor",
      executed_at: "",
      active: false,
    });
    expect(body).toEqual({
      name: "Hall sensor",
      quantity: "9223372036854775807",
      tags: ["i2c", "sensor"],
      active: false,
    });
  });

  it("sends on edit only what changed; emptied nullable fields as null", () => {
    const changed = (field: string) => ["executed_at", "extra"].includes(field);
    const body = requestBody(
      [name, when, extra],
      { name: "Run", executed_at: "", extra: "[1, 2]" },
      changed,
    );
    expect(body).toEqual({ executed_at: null, extra: [1, 2] });
  });

  it("sends a local time as UTC and shows a UTC time in local time", () => {
    const local = toLocalInput("2026-12-01T10:00:00Z");
    const [body] = [requestBody([when], { executed_at: local }, () => true)];
    expect(body.executed_at).toBe("2026-12-01T10:00:00.000Z");
  });

  it("splits comma-separated lists, dropping blanks", () => {
    expect(splitList(" a ,b,, c ")).toEqual(["a", "b", "c"]);
  });
});

describe("refusedFields", () => {
  const measured = fieldManifest("measured_value", "decimal", { label: "Measured value" });
  const unit = fieldManifest("unit", "text", { label: "Unit" });
  const refusal = (errors: Record<string, string[]>) =>
    new ApiError(400, { detail: "Invalid input.", code: "invalid", errors }, null);

  it("names the fields by their labels, in the form's order, then any other name as given", () => {
    const refused = refusedFields(
      [measured, unit],
      refusal({ colour: ["Unknown."], unit: ["Required."], measured_value: ["Too big."] }),
    );
    expect(refused.map(({ label, messages }) => [label, messages])).toEqual([
      ["Measured value", ["Too big."]],
      ["Unit", ["Required."]],
      ["colour", ["Unknown."]],
    ]);
    expect(checkFields(refused.filter(({ field }) => field))).toBe("Check Measured value, Unit.");
  });

  it("gives the request's own reasons no label, and nothing for other failures", () => {
    const refused = refusedFields([unit], refusal({ non_field_errors: ["Invalid data."] }));
    expect(refused).toEqual([
      { name: "non_field_errors", field: undefined, label: null, messages: ["Invalid data."] },
    ]);
    expect(checkFields(refused)).toBeUndefined();
    expect(refusedFields([unit], new Error("offline"))).toEqual([]);
  });
});

describe("linkRefusals", () => {
  const refusal = (errors: unknown) =>
    new ApiError(
      400,
      { detail: "Invalid input.", code: "invalid", errors } as unknown as Partial<ErrorBody>,
      null,
    );

  it("finds each record refused by its position in the list sent", () => {
    const refused = linkRefusals(
      refusal({ instruments: { "0": ["Archived."], "2": ["No component with id 99."] } }),
      "instruments",
      [4, 5, 99],
    );
    expect([...refused.byRecord]).toEqual([
      [4, ["Archived."]],
      [99, ["No component with id 99."]],
    ]);
    expect(refused.others).toEqual([]);
  });

  it("leaves the field the list's own messages, and any at a position not sent", () => {
    const whole = linkRefusals(refusal({ instruments: ["Expected a list."] }), "instruments", 4);
    expect(whole).toEqual({ byRecord: new Map(), others: ["Expected a list."] });
    const unsent = linkRefusals(refusal({ instruments: { "3": ["Gone."] } }), "instruments", [4]);
    expect(unsent).toEqual({ byRecord: new Map(), others: ["Gone."] });
    expect(linkRefusals(new Error("offline"), "instruments", [4])).toEqual({
      byRecord: new Map(),
      others: [],
    });
  });
});
