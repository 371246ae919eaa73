import { ApiError } from "@/api/client";
import type { EntityManifest } from "@/api/types";
import { fieldManifest } from "@/test/manifest";
import { PEOPLE, SHOWN, shownEntity } from "@/test/shownValues";

import { bulkChanges, bulkEdit, bulkUpdateBody, describeBulkUpdate, failedRecords } from "./bulk";

const supplier = fieldManifest("supplier", "string", { label: "Supplier" });
const partNumber = fieldManifest("part_number", "string", {
  label: "Part number",
  required: true,
});
const quantity = fieldManifest("quantity_on_hand", "integer", { label: "Quantity on hand" });
const released = fieldManifest("released_at", "datetime", { label: "Released", nullable: true });
const preferred = fieldManifest("preferred", "boolean", { label: "Preferred" });
const tags = fieldManifest("tags", "tags", { label: "Tags" });
const spares = fieldManifest("spares", "relation", {
  label: "Spares",
  relation: {
    entity: "components.component",
    api_path: "/api/v1/components/components/",
    many: true,
  },
});
const unit = fieldManifest("unit", "choice", {
  label: "Unit",
  choices: [{ value: "V", label: "Volt" }],
});

const entity = {
  label: "Component",
  label_plural: "Components",
  fields: [supplier, partNumber, quantity, released, preferred, tags, unit],
} as EntityManifest;

const ticked = [
  { id: 1, public_id: "CMP-0001", name: "Thin film resistor" },
  { id: 2, public_id: "CMP-0002", name: "Ceramic capacitor" },
  { id: 7, public_id: "CMP-0007", name: "Buck converter" },
];

describe("the bulk update's body", () => {
  it("names each record by id, in the order ticked, with the same values", () => {
    const changes = bulkChanges([quantity, tags], {
      quantity_on_hand: " 40 ",
      tags: "i2c, , preferred",
    });
    expect(bulkUpdateBody(ticked.slice(0, 2), changes)).toEqual([
      { id: 1, quantity_on_hand: 40, tags: ["i2c", "preferred"] },
      { id: 2, quantity_on_hand: 40, tags: ["i2c", "preferred"] },
    ]);
  });

  it("links every record to the records chosen, by id, or to none", () => {
    const chosen = { spares: ticked.slice(1) };
    expect(bulkChanges([spares], chosen)).toEqual({ spares: [2, 7] });
    expect(bulkChanges([spares], { spares: [] })).toEqual({ spares: [] });
    expect(describeBulkUpdate(entity, [spares], chosen, 2)).toBe(
      "Set Spares to “CMP-0002 Ceramic capacitor, CMP-0007 Buck converter” on 2 components.",
    );
    expect(describeBulkUpdate(entity, [spares], { spares: [] }, 2)).toBe(
      "Clear Spares on 2 components.",
    );
  });

  it("sends a field emptied on purpose: null where it may be, else blank", () => {
    expect(bulkChanges([supplier, released], { supplier: "", released_at: "" })).toEqual({
      supplier: "",
      released_at: null,
    });
  });
});

describe("each value in the summary, as the record's page shows it", () => {
  const named = (id: string) => PEOPLE[id];

  it.each(SHOWN)("sets a $field.type ($field.name) to $shown", ({ field, form, shown }) => {
    const value = typeof form === "boolean" ? shown : `“${shown}”`;
    expect(
      describeBulkUpdate(shownEntity, [field], { [field.name]: form }, 2, "replace", named),
    ).toBe(`Set ${field.label} to ${value} on 2 components.`);
  });

  it("names a person by id until their name is read", () => {
    const { field } = SHOWN.find(({ field }) => field.type === "user")!;
    expect(describeBulkUpdate(shownEntity, [field], { [field.name]: "9" }, 2)).toBe(
      `Set ${field.label} to “user #9” on 2 components.`,
    );
  });

  it("clears a field of each kind left empty", () => {
    for (const { field } of SHOWN.filter(({ form }) => typeof form !== "boolean")) {
      const empty = field.relation ? [] : "";
      expect(describeBulkUpdate(shownEntity, [field], { [field.name]: empty }, 2)).toBe(
        `Clear ${field.label} on 2 components.`,
      );
    }
  });
});

describe("tag changes in the bulk update's body", () => {
  it("adds or removes the tags named, apart from the values set", () => {
    const values = { supplier: "Mouser", tags: " urgent, ,new " };
    expect(bulkEdit([supplier, tags], values, "add")).toEqual({
      changes: { supplier: "Mouser" },
      tags: { add: ["urgent", "new"], remove: [] },
    });
    expect(bulkEdit([tags], values, "remove")).toEqual({
      changes: {},
      tags: { add: [], remove: ["urgent", "new"] },
    });
  });

  it("replaces the tags as any other value set, or leaves them when not chosen", () => {
    const values = { supplier: "Mouser", tags: "urgent" };
    expect(bulkEdit([supplier, tags], values, "replace")).toEqual({
      changes: { supplier: "Mouser", tags: ["urgent"] },
      tags: null,
    });
    expect(bulkEdit([supplier], values, "add")).toEqual({
      changes: { supplier: "Mouser" },
      tags: null,
    });
  });

  it("sends the tag changes with the values, in each record's item, in the order ticked", () => {
    const edit = bulkEdit([supplier, tags], { supplier: "PartialCo", tags: "one-more" }, "add");
    expect(bulkUpdateBody(ticked.slice(0, 2), edit.changes, edit.tags)).toEqual([
      { id: 1, supplier: "PartialCo", add_tags: ["one-more"] },
      { id: 2, supplier: "PartialCo", add_tags: ["one-more"] },
    ]);
    const removing = bulkEdit([tags], { tags: "old" }, "remove");
    expect(bulkUpdateBody(ticked.slice(2), removing.changes, removing.tags)).toEqual([
      { id: 7, remove_tags: ["old"] },
    ]);
  });
});

describe("what applying will do, in words", () => {
  it("says which tags are added to or removed from how many records", () => {
    expect(describeBulkUpdate(entity, [tags], { tags: "urgent" }, 3, "add")).toBe(
      "Add “urgent” to 3 components.",
    );
    expect(describeBulkUpdate(entity, [tags], { tags: "old, stale" }, 1, "remove")).toBe(
      "Remove “old” and “stale” from 1 component.",
    );
    expect(describeBulkUpdate(entity, [tags], { tags: "a, b" }, 2, "replace")).toBe(
      "Set Tags to “a, b” on 2 components.",
    );
  });

  it("says the values set, then the tags added to the same records", () => {
    expect(
      describeBulkUpdate(
        entity,
        [tags, supplier],
        { tags: "urgent", supplier: "Mouser" },
        2,
        "add",
      ),
    ).toBe("Set Supplier to “Mouser” on 2 components, and add “urgent” to them.");
  });

  it("asks for a tag to add or remove, as no tag cannot be added", () => {
    expect(describeBulkUpdate(entity, [tags], { tags: " , " }, 2, "add")).toBe(
      "Tags needs a value.",
    );
    expect(describeBulkUpdate(entity, [tags], { tags: "" }, 2, "replace")).toBe(
      "Clear Tags on 2 components.",
    );
  });

  it("says one change and how many records", () => {
    expect(describeBulkUpdate(entity, [supplier], { supplier: " Mouser " }, 2)).toBe(
      "Set Supplier to “Mouser” on 2 components.",
    );
    expect(describeBulkUpdate(entity, [supplier], { supplier: "Mouser" }, 1)).toBe(
      "Set Supplier to “Mouser” on 1 component.",
    );
  });

  it("lists several changes, with choice labels, yes or no, and clearing", () => {
    expect(
      describeBulkUpdate(
        entity,
        [unit, preferred, tags, supplier],
        { unit: "V", preferred: false, tags: "a,b", supplier: "" },
        3,
      ),
    ).toBe(
      "Set Unit to “Volt”, set Preferred to No, set Tags to “a, b” and clear Supplier on 3 components.",
    );
  });

  it("says what to fix in a value the form refuses, instead of offering to set it", () => {
    const cost = fieldManifest("unit_cost", "decimal", { label: "Unit cost", decimal_places: 2 });
    expect(
      describeBulkUpdate(entity, [supplier, cost], { supplier: "Mouser", unit_cost: "abc" }, 2),
    ).toBe("Unit cost: Enter a number like 1234.50, without thousands separators.");
    expect(
      describeBulkUpdate(
        entity,
        [partNumber, quantity],
        { part_number: "", quantity_on_hand: "1.5" },
        2,
      ),
    ).toBe(
      "Part number needs a value. Quantity on hand: Enter a whole number like 1234, without thousands separators.",
    );
    // A whole number cannot be emptied on records that hold one.
    expect(describeBulkUpdate(entity, [quantity], { quantity_on_hand: " " }, 2)).toBe(
      "Quantity on hand: This field cannot be empty.",
    );
    expect(describeBulkUpdate(entity, [cost], { unit_cost: "0.25" }, 2)).toBe(
      "Set Unit cost to “0.25” on 2 components.",
    );
  });

  it("asks for a required field left blank instead of offering to clear it", () => {
    expect(describeBulkUpdate(entity, [supplier, partNumber], { supplier: "" }, 1)).toBe(
      "Part number needs a value.",
    );
    expect(describeBulkUpdate(entity, [partNumber, { ...partNumber, label: "Name" }], {}, 1)).toBe(
      "Part number and Name need a value.",
    );
    expect(describeBulkUpdate(entity, [partNumber], { part_number: " R-1 " }, 1)).toBe(
      "Set Part number to “R-1” on 1 component.",
    );
  });
});

describe("a refused bulk write, record by record", () => {
  /** The API's 400 for a bulk write whose `items` failed (by position). */
  const refusal = (items: { index: number; errors: Record<string, string[]> }[]) =>
    new ApiError(
      400,
      { detail: "Some failed; nothing was written.", code: "invalid", errors: items },
      null,
    );

  it("finds each failing record by its position in the request, its reasons by field label", () => {
    const refused = refusal([
      { index: 1, errors: { part_number: ["Component with this part number already exists."] } },
      { index: 2, errors: { non_field_errors: ["Invalid data."], color: ["Unknown."] } },
    ]);
    expect(failedRecords(entity, refused, ticked)).toEqual([
      {
        record: ticked[1],
        index: 1,
        reasons: [
          {
            field: "Part number",
            messages: ["Component with this part number already exists."],
          },
        ],
      },
      {
        record: ticked[2],
        index: 2,
        reasons: [
          { field: null, messages: ["Invalid data."] },
          { field: "color", messages: ["Unknown."] },
        ],
      },
    ]);
  });

  it("names the record an item repeats by its public id, not its position", () => {
    const repeat = refusal([
      { index: 1, errors: { part_number: ["Same as item 0 of this request; must be unique."] } },
    ]);
    expect(failedRecords(entity, repeat, ticked)[0]?.reasons).toEqual([
      { field: "Part number", messages: ["Same as CMP-0001 of this request; must be unique."] },
    ]);
  });

  it("finds none in any other failure", () => {
    const forbidden = new ApiError(403, { detail: "No.", code: "forbidden", errors: {} }, null);
    expect(failedRecords(entity, forbidden, ticked)).toEqual([]);
    expect(failedRecords(entity, new Error("offline"), ticked)).toEqual([]);
  });
});
