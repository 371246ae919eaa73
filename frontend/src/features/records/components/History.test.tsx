import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import type { EntityManifest, FieldRevert, HistoryEntry } from "@/api/types";
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

const supplier = fieldManifest("supplier", "string", { label: "Supplier" });
const partNumber = fieldManifest("part_number", "text", { label: "Part number" });
const shown = { ...component, fields: [partNumber, supplier] };

/** The supplier put back from Farnell to Mouser: the preview of reverting SUPPLIER_CHANGE. */
function supplierBack(changedLater: FieldRevert["changed_later"] = null) {
  return {
    audit_id: 243,
    changes: [
      { field: "supplier", current: "Farnell", restored: "Mouser", changed_later: changedLater },
    ],
  };
}

function renderHistory() {
  renderOnPage("ACTIVE", (loaded) => (
    <History tools={[]} entity={shown} loaded={loaded} canRevert admin={false} />
  ));
}

async function openRevert(user: ReturnType<typeof userEvent.setup>) {
  await user.click(await screen.findByRole("button", { name: "Revert this change" }));
  return screen.findByRole("dialog");
}

describe("History's revert", () => {
  it("asks in a dialog that says what would change, read with its title; Keep has the focus", async () => {
    const user = userEvent.setup();
    const sent = serve({ status: "ACTIVE", history: [SUPPLIER_CHANGE], preview: supplierBack() });
    renderHistory();
    const dialog = await openRevert(user);

    expect(dialog).toHaveAccessibleName(
      /^Revert the change Ada Lovelace made Dec 6, 2026, \d+:03 (AM|PM)\?$/,
    );
    expect(dialog).toHaveAccessibleDescription(
      "Reverting would change: Supplier: Farnell → Mouser",
    );
    expect(within(dialog).getByRole("button", { name: "Keep" })).toHaveFocus();
    expect(sent.map(({ method, path }) => `${method} ${path}`)).toContain(
      "GET /api/v1/components/components/CMP-0007/revert/",
    );
    await user.keyboard("{Enter}"); // on Keep
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Revert this change" })).toHaveFocus();
    expect(writes(sent)).toEqual([]);
  });

  it("warns of each field someone changed again since, whose change the revert undoes", async () => {
    const user = userEvent.setup();
    const grace = {
      id: 250,
      actor: { id: 4, name: "Grace Hopper", is_active: true },
      actor_label: "Grace Hopper",
      timestamp: "2026-12-06T14:10:00Z",
    };
    serve({ status: "ACTIVE", history: [SUPPLIER_CHANGE], preview: supplierBack(grace) });
    renderHistory();
    const dialog = await openRevert(user);

    expect(dialog).toHaveAccessibleDescription(
      /Supplier: Farnell → Mouser Grace Hopper changed Supplier again on Dec 6, 2026, \d+:10 (AM|PM); reverting undoes that too\.$/,
    );
  });

  it("says so when the revert would change nothing, and offers only Close", async () => {
    const user = userEvent.setup();
    serve({ status: "ACTIVE", history: [SUPPLIER_CHANGE] });
    renderHistory();
    const dialog = await openRevert(user);

    expect(dialog).toHaveAccessibleDescription(
      "Nothing to revert: the fields this change set already have the values they had before it.",
    );
    expect(
      within(dialog)
        .getAllByRole("button")
        .map((button) => button.textContent),
    ).toEqual(["Close"]);
    expect(within(dialog).getByRole("button", { name: "Close" })).toHaveFocus();
  });

  it("closes on Escape, keeping the change, the focus back on the entry's button", async () => {
    const user = userEvent.setup();
    const sent = serve({ status: "ACTIVE", history: [SUPPLIER_CHANGE], preview: supplierBack() });
    renderHistory();
    const dialog = await openRevert(user);
    fireEvent(dialog, new Event("cancel", { cancelable: true })); // the browser's Escape
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Revert this change" })).toHaveFocus();
    expect(writes(sent)).toEqual([]);
  });

  it("says Reverting… on the busy button, then which change it undid, on a line with the focus", async () => {
    const user = userEvent.setup();
    const { writesWait, answer } = slowServer();
    const sent = serve({
      status: "ACTIVE",
      history: [SUPPLIER_CHANGE],
      preview: supplierBack(),
      writesWait,
    });
    renderHistory();
    const dialog = await openRevert(user);
    await user.click(within(dialog).getByRole("button", { name: "Revert" }));

    const busy = within(dialog).getByRole("button", { name: "Reverting…" });
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
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(writes(sent)).toEqual([
      { method: "POST", path: "/api/v1/components/components/7/revert/", body: { audit_id: 243 } },
    ]);
  });

  it("reverts a change made before the preview, which showed it: it sends the preview's ETag", async () => {
    const user = userEvent.setup();
    serve({
      status: "ACTIVE",
      history: [SUPPLIER_CHANGE],
      preview: supplierBack(),
      othersWrite: "before the preview",
    });
    renderHistory();
    const dialog = await openRevert(user);
    await user.click(within(dialog).getByRole("button", { name: "Revert" }));
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent(/^Reverted/));
  });

  it("refuses a revert once the record changed after the preview, and shows the preview again", async () => {
    const user = userEvent.setup();
    const sent = serve({
      status: "ACTIVE",
      history: [SUPPLIER_CHANGE],
      preview: supplierBack(),
      othersWrite: "after the preview",
    });
    renderHistory();
    const dialog = await openRevert(user);
    await user.click(within(dialog).getByRole("button", { name: "Revert" }));

    const alert = await within(dialog).findByRole("alert");
    expect(alert).toHaveTextContent("Changed by someone else");
    expect(alert).toHaveTextContent("The page now shows the latest version");
    await waitFor(() =>
      expect(
        sent.filter(({ path }) => path.endsWith("/revert/") && path.includes("CMP")),
      ).toHaveLength(2),
    );
    await waitFor(() =>
      expect(within(dialog).getByRole("button", { name: "Revert" })).toHaveAttribute(
        "aria-disabled",
        "false",
      ),
    );
    await user.click(within(dialog).getByRole("button", { name: "Revert" }));
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent(/^Reverted/));
  });

  it("shows a refused preview by the fields' labels, with no dialog, the focus on the entry's button", async () => {
    const user = userEvent.setup();
    serve({
      status: "ACTIVE",
      history: [SUPPLIER_CHANGE],
      preview: () =>
        json(409, {
          detail: "Audit entry 243 cannot be reverted: part_number.",
          code: "revert_conflict",
          errors: { part_number: ["RES-1001 is taken by CMP-0003."] },
        }),
    });
    renderHistory();
    const trigger = await screen.findByRole("button", { name: "Revert this change" });
    await user.click(trigger);

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Not possible right now");
    expect(alert).toHaveTextContent("Check Part number: RES-1001 is taken by CMP-0003.");
    expect(alert).not.toHaveTextContent("part_number");
    expect(screen.getByRole("link", { name: "Edit Part number" })).toHaveAttribute("href", "/edit");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Revert this change" })).toHaveFocus();
  });

  it("shows a refused revert in the dialog, which stays", async () => {
    const user = userEvent.setup();
    serve({
      status: "ACTIVE",
      history: [SUPPLIER_CHANGE],
      preview: supplierBack(),
      refuse: () =>
        json(409, {
          detail: "Audit entry 243 cannot be reverted: part_number.",
          code: "revert_conflict",
          errors: { part_number: ["RES-1001 is taken by CMP-0003."] },
        }),
    });
    renderHistory();
    const dialog = await openRevert(user);
    await user.click(within(dialog).getByRole("button", { name: "Revert" }));

    const alert = await within(dialog).findByRole("alert");
    expect(alert).toHaveTextContent("Check Part number: RES-1001 is taken by CMP-0003.");
    expect(within(dialog).getByRole("button", { name: "Revert" })).toHaveFocus();
    expect(screen.getByRole("status")).toBeEmptyDOMElement();
  });
});
