/**
 * The Linear panel on a record's page: what it shows (nothing without Linear, the issue, a
 * reader's line, a failed read), and unlinking. Creating an issue: CreateIssueDialog.test.tsx.
 */
import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { json } from "@/test/api";

import {
  ACTIVITY_KEY,
  ETAG,
  HISTORY_KEY,
  ISSUE,
  ISSUE_PATH,
  mockLinearApi,
  NOT_LINKED,
  renderPanel,
} from "./panelTesting";

const serve = mockLinearApi();

describe("LinearPanel", () => {
  it("shows nothing, and asks nothing, when the server has no Linear", async () => {
    const sent = serve();
    const { container } = renderPanel({ linear: false });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(container).toBeEmptyDOMElement();
    expect(sent).toEqual([]);
  });

  it("shows the linked issue: a link to Linear in a new tab, its title, state, who linked it and when", async () => {
    serve({ read: () => json(200, ISSUE) });
    renderPanel({ permissions: ["read"] });
    const panel = screen.getByRole("region", { name: "Linear" });
    expect(within(panel).getByText("Loading the Linear issue…")).toBeInTheDocument();

    const link = await within(panel).findByRole("link", { name: /ENG-42/ });
    expect(link).toHaveAttribute("href", ISSUE.url);
    expect(link).toHaveAttribute("target", "_blank");
    expect(link).toHaveAttribute("rel", "noopener noreferrer");
    expect(panel).toHaveTextContent("CMP-0007 Resistor 10k");
    // Linear's text is isolated: direction marks in a title cannot reorder the panel.
    expect(within(panel).getByText("CMP-0007 Resistor 10k").tagName).toBe("BDI");
    expect(within(panel).getByText("Todo")).toHaveClass("bg-blue-50");
    expect(panel).toHaveTextContent(/Linked by Ada Lovelace May 1, 2026/);
    expect(within(panel).queryByRole("button")).not.toBeInTheDocument();
  });

  it("colours the state by its type", async () => {
    serve({ read: () => json(200, { ...ISSUE, state: "Done", state_type: "completed" }) });
    renderPanel();
    expect(await screen.findByText("Done")).toHaveClass("bg-green-50");
  });

  it("tells a reader there is no issue, with nothing to click", async () => {
    serve();
    renderPanel({ permissions: ["read"] });
    expect(await screen.findByText("No Linear issue.")).toBeInTheDocument();
    expect(screen.queryByRole("button")).not.toBeInTheDocument();
  });

  it("shows a failure to read the issue, and reads it again", async () => {
    const user = userEvent.setup();
    let fail = true;
    serve({
      read: () =>
        fail ? json(500, { detail: "Boom.", code: "server_error", errors: {} }) : json(200, ISSUE),
    });
    renderPanel();
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "The Linear issue could not be read: Boom.",
    );
    expect(screen.queryByRole("button", { name: "Create Linear issue" })).not.toBeInTheDocument();
    fail = false;
    await user.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("link", { name: /ENG-42/ })).toBeInTheDocument();
  });

  it("unlinks the issue after asking, sending the record's ETag; then offers to create one", async () => {
    const user = userEvent.setup();
    const sent = serve({ read: () => json(200, ISSUE) });
    const { client } = renderPanel();
    await user.click(await screen.findByRole("button", { name: "Unlink" }));
    const panel = screen.getByRole("region", { name: "Linear" });
    // The panel's line for what a dialog did is there, empty, before it says anything.
    const said = within(panel).getByRole("status");
    expect(said).toBeEmptyDOMElement();
    const dialog = screen.getByRole("dialog", { name: "Unlink ENG-42?" });
    expect(dialog).toHaveAccessibleDescription(
      "CMP-0007 will no longer be linked to ENG-42. The issue stays in Linear.",
    );
    await user.click(within(dialog).getByRole("button", { name: "Unlink" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(sent.filter((request) => request.method === "DELETE")).toEqual([
      { method: "DELETE", url: `${ISSUE_PATH}?link=1`, body: null, ifMatch: ETAG },
    ]);
    const create = screen.getByRole("button", { name: "Create Linear issue" });
    await waitFor(() => expect(create).toHaveFocus());
    // On that line of the panel's own, not over the page (where it covered the panel's last line).
    expect(said).toHaveTextContent("Unlinked ENG-42; the issue stays in Linear.");
    expect(within(panel).getByRole("status")).toBe(said);
    expect(client.getQueryState(HISTORY_KEY)?.isInvalidated).toBe(true);
    expect(client.getQueryState(ACTIVITY_KEY)?.isInvalidated).toBe(true);
  });

  it("offers a reader no unlinking", async () => {
    serve({ read: () => json(200, ISSUE) });
    renderPanel({ permissions: ["read"] });
    expect(await screen.findByRole("link", { name: /ENG-42/ })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Unlink" })).not.toBeInTheDocument();
    // Nor a line kept for what a dialog did: a reader opens none.
    expect(screen.queryByRole("status")).not.toBeInTheDocument();
  });

  it("shows a refused unlinking in its dialog, which stays, the issue still shown", async () => {
    const user = userEvent.setup();
    serve({
      read: () => json(200, ISSUE),
      unlink: () =>
        json(412, {
          detail: "The record has changed since you read it.",
          code: "precondition_failed",
          errors: {},
        }),
    });
    renderPanel();
    await user.click(await screen.findByRole("button", { name: "Unlink" }));
    const dialog = screen.getByRole("dialog", { name: "Unlink ENG-42?" });
    await user.click(within(dialog).getByRole("button", { name: "Unlink" }));
    expect(await within(dialog).findByRole("alert")).toHaveTextContent(
      "Someone changed this record after you opened it.",
    );
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(screen.getByRole("link", { name: /ENG-42/ })).toBeInTheDocument();
  });

  it("unlinks only the issue it showed: linked again meanwhile, it says so and shows the new one", async () => {
    const user = userEvent.setup();
    const newer = {
      ...ISSUE,
      id: 2,
      identifier: "ENG-51",
      url: "https://linear.app/acme/issue/ENG-51",
    };
    let current = ISSUE;
    const sent = serve({
      read: () => json(200, current),
      unlink: () => {
        current = newer;
        return json(409, {
          detail: "CMP-0007 is now linked to ENG-51, not to the issue you meant to unlink.",
          code: "linear_issue_changed",
          errors: {},
          linear_issue: newer,
        });
      },
    });
    const { client } = renderPanel();
    await user.click(await screen.findByRole("button", { name: "Unlink" }));
    const dialog = screen.getByRole("dialog", { name: "Unlink ENG-42?" });
    await user.click(within(dialog).getByRole("button", { name: "Unlink" }));

    expect(await within(dialog).findByRole("alert")).toHaveTextContent(
      "CMP-0007 is now linked to ENG-51",
    );
    // The dialog still names what it was opened for; the panel reads the record's link again.
    expect(dialog).toHaveAccessibleName("Unlink ENG-42?");
    expect(sent.filter((request) => request.method === "DELETE")[0]?.url).toBe(
      `${ISSUE_PATH}?link=1`,
    );
    expect(client.getQueryState(HISTORY_KEY)?.isInvalidated).toBe(true);
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    const link = await screen.findByRole("link", { name: /ENG-51/ });
    await waitFor(() => expect(link).toHaveFocus());
  });

  it("keeps the dialog, saying so, when the issue was unlinked elsewhere; then offers to create one", async () => {
    const user = userEvent.setup();
    let linked = true;
    serve({
      read: () => (linked ? json(200, ISSUE) : json(404, NOT_LINKED)),
      unlink: () => {
        linked = false;
        return json(404, NOT_LINKED);
      },
    });
    renderPanel();
    await user.click(await screen.findByRole("button", { name: "Unlink" }));
    const dialog = screen.getByRole("dialog", { name: "Unlink ENG-42?" });
    await user.click(within(dialog).getByRole("button", { name: "Unlink" }));

    expect(await within(dialog).findByRole("alert")).toHaveTextContent(
      "This record has no Linear issue.",
    );
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    const create = await screen.findByRole("button", { name: "Create Linear issue" });
    await waitFor(() => expect(create).toHaveFocus());
  });
});
