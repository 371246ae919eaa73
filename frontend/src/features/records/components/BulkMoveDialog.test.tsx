import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { json, mockFetch } from "@/test/api";
import { fieldManifest, testRunWorkflowEntity } from "@/test/manifest";

import { bulkTargets, type Ticked } from "../bulk";
import { BulkMoveDialog } from "./BulkMoveDialog";

const API = "/api/v1/testing/test-runs/";

const entity = testRunWorkflowEntity();

const run = (id: number, status: string, name = `Run ${id}`): Ticked => ({
  id,
  public_id: `TST-000${id}`,
  name,
  status,
});

const fetchMock = mockFetch();

function serve(answer: (body: unknown) => Response): unknown[] {
  const sent: unknown[] = [];
  fetchMock.mockImplementation(async (url, init) => {
    const body = JSON.parse(String(init?.body)) as unknown;
    sent.push({ method: init?.method, url: String(url), body });
    return answer(body);
  });
  return sent;
}

/** What a move sends: one `PATCH …/bulk/` with an item for each record. */
const bulkPatch = (items: Record<string, unknown>[]) => [
  { method: "PATCH", url: `${API}bulk/`, body: items },
];

function renderDialog(records: Ticked[], admin = false, workflow = entity) {
  const moved = vi.fn();
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <BulkMoveDialog
        entity={workflow}
        records={records}
        admin={admin}
        onMoved={moved}
        onClose={() => {}}
      />
    </QueryClientProvider>,
  );
  return {
    moved,
    dialog: screen.getByRole("dialog", { name: `Move ${records.length} test runs` }),
  };
}

describe("the statuses ticked records can move to together", () => {
  it("are those every one can reach now, as the caller's level allows, archiving left out", () => {
    const pending = [run(1, "PENDING"), run(2, "PENDING")];
    expect(bulkTargets(entity, pending, false)).toEqual(["RUNNING"]);
    expect(bulkTargets(entity, [run(3, "RUNNING")], false)).toEqual(["FAIL"]);
    expect(bulkTargets(entity, [run(3, "RUNNING")], true)).toEqual(["PASS", "FAIL"]);
    expect(bulkTargets(entity, [...pending, run(3, "RUNNING")], true)).toEqual([]);
    expect(bulkTargets(entity, [], true)).toEqual([]);
  });
});

describe("BulkMoveDialog", () => {
  it("says what will happen and moves them in one request", async () => {
    const user = userEvent.setup();
    const sent = serve(() => json(200, []));
    const records = [run(1, "PENDING"), run(2, "PENDING"), run(3, "PENDING")];
    const { moved, dialog } = renderDialog(records);
    expect(within(dialog).getByLabelText("Move to")).toHaveDisplayValue("Running");
    expect(within(dialog).getByLabelText("Move to")).toHaveFocus();
    expect(dialog).toHaveTextContent("Move 3 test runs to Running.");
    await user.click(within(dialog).getByRole("button", { name: "Move" }));

    await vi.waitFor(() => expect(moved).toHaveBeenCalledWith("Moved 3 test runs to Running."));
    expect(sent).toEqual(
      bulkPatch([
        { id: 1, status: "RUNNING" },
        { id: 2, status: "RUNNING" },
        { id: 3, status: "RUNNING" },
      ]),
    );
  });

  it("names each record the workflow refused, by position, and moves none", async () => {
    const user = userEvent.setup();
    serve(() =>
      json(400, {
        detail: "1 of 2 failed; nothing was written.",
        code: "invalid",
        errors: [
          {
            index: 1,
            errors: { status: ["TST-0002 cannot move from PENDING to RUNNING: a guard refused."] },
          },
        ],
      }),
    );
    const { moved, dialog } = renderDialog([run(1, "PENDING"), run(2, "PENDING", "Probe")]);
    await user.click(within(dialog).getByRole("button", { name: "Move" }));

    const alert = await within(dialog).findByRole("alert");
    expect(alert).toHaveTextContent("1 of 2 failed; nothing was written.");
    const refused = within(alert).getByRole("list", { name: "Records refused" });
    expect(refused).toHaveTextContent("TST-0002 Probe");
    expect(refused).toHaveTextContent(
      "Status: TST-0002 cannot move from PENDING to RUNNING: a guard refused.",
    );
    expect(moved).not.toHaveBeenCalled();
  });

  it("sends the comment typed with each record's move", async () => {
    const user = userEvent.setup();
    const sent = serve(() => json(200, []));
    const { moved, dialog } = renderDialog([run(1, "RUNNING"), run(2, "RUNNING")]);
    await user.type(
      within(dialog).getByLabelText("Why? (optional, kept in each record's history)"),
      "  Probe was miscalibrated. ",
    );
    await user.click(within(dialog).getByRole("button", { name: "Move" }));

    await vi.waitFor(() => expect(moved).toHaveBeenCalledWith("Moved 2 test runs to Fail."));
    const comment = "Probe was miscalibrated.";
    expect(sent).toEqual(
      bulkPatch([
        { id: 1, status: "FAIL", comment },
        { id: 2, status: "FAIL", comment },
      ]),
    );
  });

  it("says a guard's veto of the comment under the comment box, once, focused", async () => {
    const user = userEvent.setup();
    const veto = "A reason is required to fail a run.";
    serve(() =>
      json(400, {
        detail: "2 of 2 failed; nothing was written.",
        code: "invalid",
        errors: [
          { index: 0, errors: { comment: [veto] } },
          { index: 1, errors: { comment: [veto] } },
        ],
      }),
    );
    const { moved, dialog } = renderDialog([run(1, "RUNNING"), run(2, "RUNNING", "Probe")]);
    await user.click(within(dialog).getByRole("button", { name: "Move" }));

    const box = within(dialog).getByLabelText(/Why\?/);
    await vi.waitFor(() => expect(box).toHaveAccessibleDescription(veto));
    expect(box).toHaveAttribute("aria-invalid", "true");
    expect(box).toHaveFocus();
    const refused = within(dialog).getByRole("list", { name: "Records refused" });
    expect(refused).toHaveTextContent(`TST-0002 ProbeComment: ${veto}`);
    expect(moved).not.toHaveBeenCalled();
  });

  it("names a record field a guard's veto names by its label", async () => {
    const user = userEvent.setup();
    serve(() =>
      json(400, {
        detail: "1 of 2 failed; nothing was written.",
        code: "invalid",
        errors: [{ index: 0, errors: { result: ["Say what failed first."] } }],
      }),
    );
    const fields = [...entity.fields, fieldManifest("result", "text", { label: "Result" })];
    const records = [run(1, "RUNNING"), run(2, "RUNNING")];
    const { dialog } = renderDialog(records, false, { ...entity, fields });
    await user.click(within(dialog).getByRole("button", { name: "Move" }));

    const refused = await within(dialog).findByRole("list", { name: "Records refused" });
    expect(refused).toHaveTextContent("Result: Say what failed first.");
    expect(within(dialog).getByLabelText(/Why\?/)).toHaveAttribute("aria-invalid", "false");
  });

  it("offers nothing to move records in different statuses to, and says why", () => {
    const { dialog } = renderDialog([run(1, "PENDING"), run(2, "RUNNING")]);
    expect(dialog).toHaveTextContent(
      "The selected test runs are in different statuses (Pending and Running), with no status " +
        "all of them can move to. Select test runs in the same status to move them together.",
    );
    expect(within(dialog).queryByRole("button", { name: "Move" })).toBeNull();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("says a final status leads nowhere, and that archiving from it is the admins'", () => {
    const { dialog } = renderDialog([run(1, "PASS"), run(2, "PASS")]);
    expect(dialog).toHaveTextContent(
      "Pass is a final status: test runs in it move to no other status. " +
        "Archiving them needs 'testing:admin'.",
    );
    expect(within(dialog).queryByRole("button", { name: "Move" })).toBeNull();
  });

  it("says an admin's final status leads nowhere, archiving being theirs", () => {
    const { dialog } = renderDialog([run(1, "PASS"), run(2, "PASS")], true);
    expect(dialog).toHaveTextContent(
      "Pass is a final status: test runs in it move to no other status.",
    );
    expect(dialog).not.toHaveTextContent("Archiving");
  });

  it("names the permission a status only admins may leave needs", () => {
    const transitions = [{ source: "PENDING", target: "RUNNING", admin_only: true }];
    const { dialog } = renderDialog([run(1, "PENDING"), run(2, "PENDING")], false, {
      ...entity,
      transitions,
    });
    expect(dialog).toHaveTextContent("Moving test runs out of Pending needs 'testing:admin'.");
  });
});
