import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import type { EntityManifest, HistoryEntry } from "@/api/types";
import { json } from "@/test/api";
import { fieldManifest } from "@/test/manifest";

import { History, revertible } from "./History";
import {
  entity as component,
  mockRecordApi,
  renderOnPage,
  slowServer,
  SUPPLIER_CHANGE,
  writes,
} from "./recordPageTesting";

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

const serve = mockRecordApi();

function renderHistory(shown: EntityManifest = component) {
  renderOnPage("ACTIVE", (loaded) => (
    <History tools={[]} entity={shown} loaded={loaded} canRevert admin={false} />
  ));
}

describe("History's revert", () => {
  it("asks inline, the focus on Keep; Escape keeps the change and gives the focus back", async () => {
    const user = userEvent.setup();
    const sent = serve({ status: "ACTIVE", history: [SUPPLIER_CHANGE] });
    renderHistory();
    const trigger = await screen.findByRole("button", { name: "Revert this change" });
    await user.click(trigger);

    expect(screen.getByText("Put these fields back as they were before?")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Keep" })).toHaveFocus();
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("button", { name: "Keep" })).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Revert this change" })).toHaveFocus();
    expect(writes(sent)).toEqual([]);
  });

  it("Keep gives the focus back to the entry's button", async () => {
    const user = userEvent.setup();
    serve({ status: "ACTIVE", history: [SUPPLIER_CHANGE] });
    renderHistory();
    await user.click(await screen.findByRole("button", { name: "Revert this change" }));
    await user.keyboard("{Enter}"); // on Keep
    expect(screen.getByRole("button", { name: "Revert this change" })).toHaveFocus();
  });

  it("says Reverting… on the busy button, then which change it undid, on a line with the focus", async () => {
    const user = userEvent.setup();
    const { writesWait, answer } = slowServer();
    const sent = serve({ status: "ACTIVE", history: [SUPPLIER_CHANGE], writesWait });
    renderHistory();
    await user.click(await screen.findByRole("button", { name: "Revert this change" }));
    await user.click(screen.getByRole("button", { name: "Revert" }));

    const busy = screen.getByRole("button", { name: "Reverting…" });
    expect(busy).toHaveAttribute("aria-busy", "true");
    expect(busy).toHaveFocus();
    answer();

    const outcome = screen.getByRole("status");
    await waitFor(() =>
      expect(outcome).toHaveTextContent(
        /^Reverted the change Ada Lovelace made Dec 6, 2026, \d+:03 (AM|PM)\.$/,
      ),
    );
    expect(outcome).toHaveFocus();
    expect(writes(sent)).toEqual([
      { method: "POST", path: "/api/v1/components/components/7/revert/", body: { audit_id: 243 } },
    ]);
  });

  it("shows a refusal by the fields' labels, the focus back on the entry's button", async () => {
    const user = userEvent.setup();
    serve({
      status: "ACTIVE",
      history: [SUPPLIER_CHANGE],
      refuse: () =>
        json(409, {
          detail: "Audit entry 243 cannot be reverted: part_number.",
          code: "revert_conflict",
          errors: { part_number: ["RES-1001 is taken by CMP-0003."] },
        }),
    });
    const partNumber = fieldManifest("part_number", "text", { label: "Part number" });
    renderHistory({ ...component, fields: [partNumber] });
    await user.click(await screen.findByRole("button", { name: "Revert this change" }));
    await user.click(screen.getByRole("button", { name: "Revert" }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Not possible right now");
    expect(alert).toHaveTextContent("Check Part number: RES-1001 is taken by CMP-0003.");
    expect(alert).not.toHaveTextContent("part_number");
    expect(screen.getByRole("link", { name: "Edit Part number" })).toHaveAttribute("href", "/edit");
    expect(screen.getByRole("button", { name: "Revert this change" })).toHaveFocus();
    expect(screen.getByRole("status")).toBeEmptyDOMElement();
  });
});
