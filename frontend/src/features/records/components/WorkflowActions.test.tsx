/**
 * A record's workflow actions, used from the keyboard: the comment box of a transition, the
 * confirmation of an archive, what a slow write shows, and where the focus goes after each.
 */
import { cleanup, createEvent, fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import type { EntityManifest, ToolManifest } from "@/api/types";
import { json } from "@/test/api";
import { fieldManifest } from "@/test/manifest";

import { entity, mockRecordApi, renderOnPage, slowServer, tool, writes } from "./recordPageTesting";
import { lockedStatus } from "../workflow";
import { WorkflowActions } from "./WorkflowActions";

const serve = mockRecordApi();

function renderActions(status: string, shown: EntityManifest = entity) {
  return renderOnPage(status, (loaded) => (
    <WorkflowActions tool={tool} entity={shown} loaded={loaded} />
  ));
}

/** The comment box's own "Move to …" button, after the one that opened it. */
const sendButton = (name: string) => screen.getAllByRole("button", { name })[1] as HTMLElement;

describe("WorkflowActions", () => {
  describe("the comment box of a transition", () => {
    it("takes the focus when it opens", async () => {
      const user = userEvent.setup();
      serve({ status: "DRAFT" });
      renderActions("DRAFT");
      await user.click(screen.getByRole("button", { name: "Move to Active" }));
      expect(screen.getByLabelText(/Move to Active: why\?/)).toHaveFocus();
    });

    it("closes on Escape, its text dropped, the focus back on the button that opened it", async () => {
      const user = userEvent.setup();
      const sent = serve({ status: "DRAFT" });
      renderActions("DRAFT");
      const opener = screen.getByRole("button", { name: "Move to Active" });
      await user.click(opener);
      await user.keyboard("Not this time{Escape}");
      expect(screen.queryByLabelText(/why\?/)).not.toBeInTheDocument();
      expect(opener).toHaveFocus();

      await user.keyboard("{Enter}");
      expect(screen.getByLabelText(/why\?/)).toHaveValue("");
      expect(writes(sent)).toEqual([]);
    });

    it("closes on Cancel, its text dropped, so the next move does not send it", async () => {
      const user = userEvent.setup();
      const sent = serve({ status: "DRAFT" });
      renderActions("DRAFT");
      const opener = screen.getByRole("button", { name: "Move to Active" });
      await user.click(opener);
      await user.type(screen.getByLabelText(/why\?/), "Not this time");
      await user.click(screen.getByRole("button", { name: "Cancel" }));
      expect(opener).toHaveFocus();

      await user.click(opener);
      expect(screen.getByLabelText(/why\?/)).toHaveValue("");
      await user.click(sendButton("Move to Active"));
      await screen.findByText("Moved CMP-0007 to Active.");
      expect(writes(sent)).toEqual([
        {
          method: "POST",
          path: "/api/v1/components/components/7/transition/",
          body: { to: "ACTIVE", comment: "" },
        },
      ]);
    });

    it("names a field the move was refused for by its label, with a way to its form", async () => {
      const user = userEvent.setup();
      serve({
        status: "DRAFT",
        refuse: () =>
          json(400, {
            detail: "Invalid input: measured_value, unit.",
            code: "invalid",
            errors: {
              measured_value: ["Required once the run has finished."],
              unit: ["Required with a measured value."],
            },
          }),
      });
      const fields = [
        fieldManifest("measured_value", "decimal", { label: "Measured value" }),
        fieldManifest("unit", "text", { label: "Unit" }),
      ];
      renderActions("DRAFT", { ...entity, fields });
      await user.click(screen.getByRole("button", { name: "Move to Active" }));
      await user.click(sendButton("Move to Active"));

      const alert = await screen.findByRole("alert");
      expect(alert).toHaveTextContent("Not accepted");
      expect(
        within(alert)
          .getAllByRole("listitem")
          .map((item) => item.textContent),
      ).toEqual([
        "Check Measured value: Required once the run has finished.",
        "Check Unit: Required with a measured value.",
      ]);
      expect(alert).not.toHaveTextContent("measured_value");
      expect(within(alert).getByRole("link", { name: "Edit the component" })).toHaveAttribute(
        "href",
        "/edit",
      );
    });

    it("says a guard's veto of the comment under the comment box, focused, and sends the next", async () => {
      const user = userEvent.setup();
      const veto = "A reason is required to reject.";
      let vetoed = false;
      const sent = serve({
        status: "DRAFT",
        refuse: () => {
          if (vetoed) return json(200, {});
          vetoed = true;
          return json(409, {
            detail: veto,
            code: "transition_vetoed",
            errors: { comment: [veto] },
          });
        },
      });
      renderActions("DRAFT");
      await user.click(screen.getByRole("button", { name: "Move to Active" }));
      await user.click(sendButton("Move to Active"));

      const box = screen.getByLabelText(/Move to Active: why\?/);
      await waitFor(() => expect(box).toHaveAccessibleDescription(veto));
      expect(box).toHaveAttribute("aria-invalid", "true");
      expect(box).toHaveFocus();
      expect(screen.queryByRole("alert")).not.toBeInTheDocument(); // said once, where it is fixed

      await user.keyboard("Out of budget");
      await user.click(sendButton("Move to Active"));
      await waitFor(() => expect(writes(sent)).toHaveLength(2));
      expect(writes(sent)[1]?.body).toEqual({ to: "ACTIVE", comment: "Out of budget" });
    });

    it("names a record field a guard's veto names by its label, beside the comment's", async () => {
      const user = userEvent.setup();
      serve({
        status: "DRAFT",
        refuse: () =>
          json(409, {
            detail: "Say why in the approval comment. And here.",
            code: "transition_vetoed",
            errors: {
              approval_comment: ["Say why in the approval comment."],
              comment: ["And here."],
            },
          }),
      });
      const fields = [fieldManifest("approval_comment", "text", { label: "Approval comment" })];
      renderActions("DRAFT", { ...entity, fields });
      await user.click(screen.getByRole("button", { name: "Move to Active" }));
      await user.click(sendButton("Move to Active"));

      const alert = await screen.findByRole("alert");
      expect(alert).toHaveTextContent("Not possible right now");
      expect(alert).toHaveTextContent("Check Approval comment: Say why in the approval comment.");
      expect(alert).not.toHaveTextContent("And here.");
      expect(within(alert).getByRole("link", { name: "Edit Approval comment" })).toBeVisible();
      expect(screen.getByLabelText(/why\?/)).toHaveAccessibleDescription("And here.");
    });

    it("sends the move with its comment, says it was done, and gives that line the focus", async () => {
      const user = userEvent.setup();
      const { writesWait, answer } = slowServer();
      const sent = serve({ status: "DRAFT", writesWait });
      renderActions("DRAFT");
      await user.click(screen.getByRole("button", { name: "Move to Active" }));
      await user.keyboard("Approved by QA");
      await user.click(sendButton("Move to Active"));

      const sending = screen.getByRole("button", { name: "Moving…" });
      expect(sending).toHaveAttribute("aria-busy", "true");
      expect(sending).toHaveFocus();
      answer();

      const outcome = await screen.findByRole("status");
      await waitFor(() => expect(outcome).toHaveTextContent("Moved CMP-0007 to Active."));
      expect(outcome).toHaveFocus();
      expect(screen.queryByLabelText(/why\?/)).not.toBeInTheDocument();
      expect(writes(sent)).toEqual([
        {
          method: "POST",
          path: "/api/v1/components/components/7/transition/",
          body: { to: "ACTIVE", comment: "Approved by QA" },
        },
      ]);
    });
  });

  describe("archive", () => {
    it("is offered only where the caller may archive: a status only admins leave, to admins", () => {
      const lost = {
        ...entity,
        statuses: [...entity.statuses, { value: "LOST", label: "Lost", color: "red" }],
        transitions: [
          ...entity.transitions,
          { source: "LOST", target: "ACTIVE", admin_only: true },
          { source: "LOST", target: "ARCHIVED", admin_only: true },
        ],
      } as EntityManifest;
      serve({ status: "LOST" });
      renderOnPage("LOST", (loaded) => (
        <WorkflowActions tool={tool} entity={lost} loaded={loaded} />
      ));
      expect(screen.queryByRole("button", { name: "Archive" })).not.toBeInTheDocument();
      cleanup();

      const admin = { ...tool, permissions: ["read", "write", "admin"] } as ToolManifest;
      renderOnPage("LOST", (loaded) => (
        <WorkflowActions tool={admin} entity={lost} loaded={loaded} />
      ));
      expect(screen.getByRole("button", { name: "Archive" })).toBeInTheDocument();
      expect(screen.getByRole("button", { name: "Move to Active" })).toBeInTheDocument();
    });

    it("asks first, the safe choice focused; Cancel archives nothing and gives the focus back", async () => {
      const user = userEvent.setup();
      const sent = serve({ status: "ACTIVE" });
      renderActions("ACTIVE");
      const archive = screen.getByRole("button", { name: "Archive" });
      await user.click(archive);

      const dialog = screen.getByRole("dialog", { name: "Archive CMP-0007?" });
      expect(dialog).toHaveAccessibleDescription(
        "Resistor 10k leaves the list of components (“Include archived” shows it) and can be restored from this page.",
      );
      expect(within(dialog).getByRole("button", { name: "Cancel" })).toHaveFocus();
      await user.keyboard("{Enter}");
      expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
      expect(archive).toHaveFocus();
      expect(writes(sent)).toEqual([]);
    });

    it("backs out on Escape", async () => {
      const user = userEvent.setup();
      const sent = serve({ status: "ACTIVE" });
      renderActions("ACTIVE");
      await user.click(screen.getByRole("button", { name: "Archive" }));
      const dialog = screen.getByRole("dialog");
      // What the browser does on Escape in a modal dialog.
      fireEvent(dialog, createEvent("cancel", dialog, { cancelable: true }));
      expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
      expect(screen.getByRole("button", { name: "Archive" })).toHaveFocus();
      expect(writes(sent)).toEqual([]);
    });

    it("says Archiving… on the busy button, which keeps the focus; then says it was done, focused", async () => {
      const user = userEvent.setup();
      const { writesWait, answer } = slowServer();
      const sent = serve({ status: "ACTIVE", writesWait });
      renderActions("ACTIVE");
      await user.click(screen.getByRole("button", { name: "Archive" }));
      const dialog = screen.getByRole("dialog");
      await user.click(within(dialog).getByRole("button", { name: "Archive" }));

      const busy = within(dialog).getByRole("button", { name: "Archiving…" });
      expect(busy).toHaveAttribute("aria-busy", "true");
      expect(busy).toHaveAttribute("aria-disabled", "true");
      expect(busy).toHaveFocus();
      answer();

      await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
      const outcome = screen.getByRole("status");
      expect(outcome).toHaveTextContent("Archived CMP-0007.");
      expect(outcome).toHaveFocus();
      expect(screen.getByRole("button", { name: "Restore" })).toBeInTheDocument();
      expect(writes(sent)).toEqual([
        { method: "DELETE", path: "/api/v1/components/components/7/", body: null },
      ]);
    });

    it("shows a refusal in the dialog, which stays", async () => {
      const user = userEvent.setup();
      serve({
        status: "ACTIVE",
        refuse: () =>
          json(409, { detail: "An open order holds it.", code: "transition_vetoed", errors: {} }),
      });
      renderActions("ACTIVE");
      await user.click(screen.getByRole("button", { name: "Archive" }));
      const dialog = screen.getByRole("dialog");
      await user.click(within(dialog).getByRole("button", { name: "Archive" }));
      expect(await within(dialog).findByRole("alert")).toHaveTextContent("An open order holds it.");
      expect(screen.getByRole("dialog")).toBeInTheDocument();
    });
  });

  it("says Restoring… on the busy button, which keeps the focus; then says it was done, focused", async () => {
    const user = userEvent.setup();
    const { writesWait, answer } = slowServer();
    serve({ status: "ARCHIVED", writesWait });
    renderActions("ARCHIVED");
    await user.click(screen.getByRole("button", { name: "Restore" }));

    const busy = screen.getByRole("button", { name: "Restoring…" });
    expect(busy).toHaveAttribute("aria-busy", "true");
    expect(busy).toHaveFocus();
    answer();

    const outcome = screen.getByRole("status");
    await waitFor(() =>
      expect(outcome).toHaveTextContent("Restored CMP-0007: it is Active again."),
    );
    expect(outcome).toHaveFocus();
    expect(screen.getByRole("button", { name: "Archive" })).toBeInTheDocument();
  });
});

describe("lockedStatus", () => {
  const approving = {
    ...entity,
    statuses: [
      { value: "DRAFT", label: "Draft", color: "gray", locked: false },
      { value: "APPROVED", label: "Approved", color: "green", locked: true },
    ],
  } as EntityManifest;

  it("names a locked status to a writer, and none to an admin or in an open status", () => {
    expect(lockedStatus(approving, "APPROVED", false)?.label).toBe("Approved");
    expect(lockedStatus(approving, "APPROVED", true)).toBeUndefined();
    expect(lockedStatus(approving, "DRAFT", false)).toBeUndefined();
    expect(lockedStatus(entity, "ACTIVE", false)).toBeUndefined();
  });
});
