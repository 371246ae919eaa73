import type { HistoryEntry } from "@/api/types";
import { fieldManifest } from "@/test/manifest";

import { changedFields, changesBy, compareVersions, rebasedValues } from "./conflict";
import { requestBody } from "./fields";

const fields = [
  fieldManifest("name", "string"),
  fieldManifest("supplier", "string"),
  fieldManifest("quantity_on_hand", "integer"),
  fieldManifest("unit_cost", "decimal"),
  fieldManifest("in_stock", "boolean"),
];

const base = {
  name: "Resistor",
  supplier: "Mouser",
  quantity_on_hand: "10",
  unit_cost: "1.50",
  in_stock: true,
};

function entry(id: number, changes: HistoryEntry["changes"], name = "Ada"): HistoryEntry {
  return {
    id,
    action: "UPDATE",
    actor: { id, name, is_active: true },
    actor_label: name,
    timestamp: "2026-12-06T14:03:00Z",
    request_id: null,
    changes,
    comment: "",
    reverted: null,
  };
}

describe("compareVersions", () => {
  it("tells the user's fields from those changed meanwhile", () => {
    const versions = {
      base,
      latest: { ...base, supplier: "Digikey" },
      mine: { ...base, quantity_on_hand: "77" },
    };
    expect(compareVersions(fields, versions)).toEqual({
      mine: ["quantity_on_hand"],
      theirs: ["supplier"],
      both: [],
    });
  });

  it("asks about a field both changed to different values, not one both set alike", () => {
    const versions = {
      base,
      latest: { ...base, quantity_on_hand: "80", unit_cost: "2.00", in_stock: false },
      mine: { ...base, quantity_on_hand: "77", unit_cost: "2.00" },
    };
    expect(compareVersions(fields, versions)).toEqual({
      mine: [],
      theirs: ["in_stock"],
      both: ["quantity_on_hand"],
    });
  });

  it("compares many-to-many links by the records they name, not by the list read", () => {
    const instruments = fieldManifest("instruments", "relation", {
      relation: { entity: "components.component", api_path: "/api/", many: true },
    });
    const meter = { id: 1, public_id: "CMP-0001", name: "Meter" };
    const probe = { id: 2, public_id: "CMP-0002", name: "Probe" };
    const versions = {
      base: { ...base, instruments: [meter, probe] },
      latest: { ...base, instruments: [probe, meter], supplier: "Digikey" },
      mine: { ...base, instruments: [{ ...meter }, { ...probe }] },
    };
    expect(compareVersions([...fields, instruments], versions)).toEqual({
      mine: [],
      theirs: ["supplier"],
      both: [],
    });
    versions.mine = { ...base, instruments: [meter] };
    expect(compareVersions([...fields, instruments], versions).mine).toEqual(["instruments"]);
  });
});

describe("rebasedValues", () => {
  it("puts the user's changes on top of the latest values, and sends only those", () => {
    const versions = {
      base,
      latest: { ...base, supplier: "Digikey", quantity_on_hand: "80" },
      mine: { ...base, name: "Resistor 10k", quantity_on_hand: "77" },
    };
    const values = rebasedValues(compareVersions(fields, versions), versions);
    expect(values).toEqual({
      ...base,
      name: "Resistor 10k",
      supplier: "Digikey",
      quantity_on_hand: "77",
    });
    // The form's values now differ from the latest version only where the user changed them:
    // what a save on top sends (with the latest version's ETag).
    const changed = changedFields(fields, versions.latest, values);
    expect(requestBody(fields, values, (name) => changed.includes(name))).toEqual({
      name: "Resistor 10k",
      quantity_on_hand: 77,
    });
  });
});

describe("changesBy", () => {
  it("names who last changed each field, grouped by change, oldest first", () => {
    const history = [
      entry(3, { quantity_on_hand: { old: 10, new: 80 } }, "Grace"),
      entry(2, {
        supplier: { old: "Arrow", new: "Digikey" },
        unit_cost: { old: "1.50", new: "2.00" },
      }),
      entry(1, { supplier: { old: "Mouser", new: "Arrow" } }, "Grace"),
    ];
    expect(changesBy(["supplier", "quantity_on_hand", "unit_cost"], history)).toEqual([
      { entry: history[1], names: ["supplier", "unit_cost"] },
      { entry: history[0], names: ["quantity_on_hand"] },
    ]);
  });

  it("keeps a field whose change is older than the entries read, with no one named", () => {
    const history = [entry(5, { supplier: { old: "Mouser", new: "Digikey" } })];
    expect(changesBy(["name", "supplier"], history)).toEqual([
      { entry: history[0], names: ["supplier"] },
      { entry: null, names: ["name"] },
    ]);
  });
});
