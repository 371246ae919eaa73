import type { EntityManifest, HistoryEntry } from "@/api/types";

import { revertible } from "./History";

const entity = {
  transitions: [
    { source: "PENDING", target: "RUNNING", admin_only: false },
    { source: "RUNNING", target: "PASS", admin_only: false },
    { source: "PASS", target: "RUNNING", admin_only: true },
  ],
} as unknown as EntityManifest;

function update(changes: HistoryEntry["changes"]): HistoryEntry {
  return { action: "UPDATE", changes } as HistoryEntry;
}

describe("revertible", () => {
  it("offers to revert an update of fields other than status", () => {
    expect(revertible(entity, update({ unit: { old: "V", new: "A" } }), "PASS", false)).toBe(true);
  });

  it("offers to revert a status change only where the workflow goes back", () => {
    const toPass = update({ status: { old: "RUNNING", new: "PASS" } });
    expect(revertible(entity, toPass, "PASS", false)).toBe(false);
    expect(revertible(entity, toPass, "PASS", true)).toBe(true);
    expect(revertible(entity, toPass, "RUNNING", false)).toBe(true);
  });

  it("never offers to revert what only an integration recorded (a Linear issue, its state)", () => {
    const linked = update({ linear_issue: { old: null, new: "ENG-42" } });
    const moved = update({ linear_issue_state: { old: "Todo", new: "Done" } });
    expect(revertible(entity, linked, "PASS", true)).toBe(false);
    expect(revertible(entity, moved, "PASS", true)).toBe(false);
  });

  it("never offers to revert a creation or an archive", () => {
    expect(
      revertible(entity, { action: "CREATE", changes: {} } as HistoryEntry, "PASS", true),
    ).toBe(false);
  });
});
