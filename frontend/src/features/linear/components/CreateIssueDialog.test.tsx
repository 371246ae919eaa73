/** Creating a record's Linear issue from its panel: the dialog, what it sends, and its refusals. */
import { createEvent, fireEvent, screen, waitFor, within } from "@testing-library/react";
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
  openDialog,
  record,
  renderPanel,
} from "./panelTesting";

const serve = mockLinearApi();

/** What `crypto.randomUUID()` makes. */
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const anIssueId = expect.stringMatching(UUID_V4) as unknown;

const posted = (sent: ReturnType<typeof serve>) =>
  sent.filter((request) => request.method === "POST");

describe("Creating a Linear issue", () => {
  it("creates the issue: the record's title, the chosen priority, no description; then shows the link", async () => {
    const user = userEvent.setup();
    const sent = serve();
    const { client } = renderPanel();
    const dialog = await openDialog(user);
    const title = within(dialog).getByLabelText("Title");
    expect(title).toHaveFocus();
    expect(title).toHaveValue("CMP-0007 Resistor 10k");
    expect(within(dialog).getByLabelText("Priority")).toHaveDisplayValue("No priority");
    expect(within(dialog).getByLabelText(/Description/)).toHaveAttribute(
      "placeholder",
      "Left empty, the issue gets the component's description and a link back to it.",
    );

    await user.selectOptions(within(dialog).getByLabelText("Priority"), "High");
    await user.click(within(dialog).getByRole("button", { name: "Create issue" }));

    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(sent.filter((request) => request.method === "POST")).toEqual([
      {
        method: "POST",
        url: ISSUE_PATH,
        body: { id: anIssueId, title: "CMP-0007 Resistor 10k", priority: 2 },
        ifMatch: ETAG,
      },
    ]);
    const link = screen.getByRole("link", { name: /ENG-42/ });
    await waitFor(() => expect(link).toHaveFocus());
    expect(screen.getByText("Created ENG-42 in Linear and linked it.")).toHaveAttribute(
      "role",
      "status",
    );
    // The link is audited on the record: its history and the feed are read again.
    expect(client.getQueryState(HISTORY_KEY)?.isInvalidated).toBe(true);
    expect(client.getQueryState(ACTIVITY_KEY)?.isInvalidated).toBe(true);
    // The panel's issue is the one the API answered with, not read again.
    expect(sent.filter((request) => request.method === "GET")).toHaveLength(1);
  });

  it("sends the title as edited, trimmed, and the description as typed", async () => {
    const user = userEvent.setup();
    const sent = serve();
    renderPanel();
    const dialog = await openDialog(user);
    await user.clear(within(dialog).getByLabelText("Title"));
    await user.type(within(dialog).getByLabelText("Title"), "  Check the footprint ");
    await user.type(within(dialog).getByLabelText(/Description/), "    pads.kicad_mod\n");
    await user.click(within(dialog).getByRole("button", { name: "Create issue" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    // Markdown's indent (a code block) is kept.
    expect(sent.find((request) => request.method === "POST")?.body).toEqual({
      id: anIssueId,
      title: "Check the footprint",
      priority: 0,
      description: "    pads.kicad_mod\n",
    });
  });

  it("sends no description that is only blanks", async () => {
    const user = userEvent.setup();
    const sent = serve();
    renderPanel();
    const dialog = await openDialog(user);
    await user.type(within(dialog).getByLabelText(/Description/), "   \n ");
    await user.click(within(dialog).getByRole("button", { name: "Create issue" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(sent.find((request) => request.method === "POST")?.body).toEqual({
      id: anIssueId,
      title: "CMP-0007 Resistor 10k",
      priority: 0,
    });
  });

  it("checks the title before sending: blank, or longer than the API takes", async () => {
    const user = userEvent.setup();
    const sent = serve();
    renderPanel();
    const dialog = await openDialog(user);
    const title = within(dialog).getByLabelText("Title");
    await user.clear(title);
    await user.click(within(dialog).getByRole("button", { name: "Create issue" }));
    expect(await within(dialog).findByText("This field may not be blank.")).toBeInTheDocument();
    expect(title).toHaveAttribute("aria-invalid", "true");
    expect(title).toHaveAccessibleDescription("This field may not be blank.");

    fireEvent.input(title, { target: { value: "é".repeat(256) } });
    await user.click(within(dialog).getByRole("button", { name: "Create issue" }));
    expect(
      await within(dialog).findByText("Ensure this field has no more than 255 characters."),
    ).toBeInTheDocument();
    expect(sent.filter((request) => request.method === "POST")).toEqual([]);
  });

  it("shows the API's field errors under their fields, focused", async () => {
    const user = userEvent.setup();
    serve({
      create: () =>
        json(400, {
          detail: "Invalid input.",
          code: "invalid",
          errors: { description: ["Ensure this field has no more than 10000 characters."] },
        }),
    });
    renderPanel();
    const dialog = await openDialog(user);
    await user.type(within(dialog).getByLabelText(/Description/), "Long.");
    await user.click(within(dialog).getByRole("button", { name: "Create issue" }));
    const description = within(dialog).getByLabelText(/Description/);
    await waitFor(() =>
      expect(description).toHaveAccessibleDescription(
        "Ensure this field has no more than 10000 characters.",
      ),
    );
    expect(description).toHaveFocus();
    expect(description).toHaveAttribute("aria-invalid", "true");
    // Its field explains it: no panel besides.
    expect(within(dialog).queryByRole("alert")).not.toBeInTheDocument();
  });

  it("shows Linear's refusal in the dialog, which stays open", async () => {
    const user = userEvent.setup();
    serve({
      create: () => json(502, { detail: "Team not found", code: "linear_error", errors: {} }),
    });
    renderPanel();
    const dialog = await openDialog(user);
    await user.click(within(dialog).getByRole("button", { name: "Create issue" }));
    const alert = await within(dialog).findByRole("alert");
    expect(alert).toHaveTextContent("Linear did not create the issue");
    expect(alert).toHaveTextContent("Team not found");
    // Never disabled under it, the button keeps the focus: the next Tab goes on from there.
    expect(within(dialog).getByRole("button", { name: "Create issue" })).toHaveFocus();
    expect(screen.getByRole("dialog")).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: /ENG-42/ })).not.toBeInTheDocument();
  });

  it("sends one issue id with every attempt: after a failure, the issue Linear may have made is linked, not a second", async () => {
    const user = userEvent.setup();
    let attempts = 0;
    const sent = serve({
      create: () =>
        ++attempts === 1
          ? json(502, {
              detail: "Linear did not answer within 10 seconds.",
              code: "linear_error",
              errors: {},
            })
          : json(201, ISSUE),
    });
    renderPanel();
    const dialog = await openDialog(user);
    await user.click(within(dialog).getByRole("button", { name: "Create issue" }));
    expect(await within(dialog).findByRole("alert")).toHaveTextContent(
      "Linear did not answer within 10 seconds.",
    );
    await user.clear(within(dialog).getByLabelText("Title"));
    await user.type(within(dialog).getByLabelText("Title"), "Edited between attempts");
    await user.click(within(dialog).getByRole("button", { name: "Create issue" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());

    const [first, second] = posted(sent).map((request) => request.body?.id);
    expect(first).toMatch(UUID_V4);
    expect(second).toBe(first);
  });

  it("makes a new issue id each time the dialog opens", async () => {
    const user = userEvent.setup();
    const sent = serve({
      create: () => json(502, { detail: "Team not found", code: "linear_error", errors: {} }),
    });
    renderPanel();
    const attemptInANewDialog = async () => {
      const dialog = await openDialog(user);
      await user.click(within(dialog).getByRole("button", { name: "Create issue" }));
      await within(dialog).findByRole("alert");
      await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    };
    await attemptInANewDialog();
    await attemptInANewDialog();

    const [first, second] = posted(sent).map((request) => request.body?.id);
    expect(first).toMatch(UUID_V4);
    expect(second).toMatch(UUID_V4);
    expect(second).not.toBe(first);
  });

  it("says when Linear is not set up on the server", async () => {
    const user = userEvent.setup();
    serve({
      create: () =>
        json(503, {
          detail: "Linear is not configured.",
          code: "linear_not_configured",
          errors: {},
        }),
    });
    renderPanel();
    const dialog = await openDialog(user);
    await user.click(within(dialog).getByRole("button", { name: "Create issue" }));
    expect(await within(dialog).findByRole("alert")).toHaveTextContent(
      "Linear is not set up on this serverLinear is not configured.",
    );
  });

  it("on a link made meanwhile, says so and reads the issue again, shown once the dialog closes", async () => {
    const user = userEvent.setup();
    let linked = false;
    const sent = serve({
      read: () => (linked ? json(200, ISSUE) : json(404, NOT_LINKED)),
      create: () => {
        linked = true;
        return json(409, {
          ...ISSUE,
          detail: "This record already has a Linear issue.",
          code: "already_linked",
          errors: {},
        });
      },
    });
    const { client } = renderPanel();
    const dialog = await openDialog(user);
    await user.click(within(dialog).getByRole("button", { name: "Create issue" }));
    expect(await within(dialog).findByRole("alert")).toHaveTextContent(
      "This record already has a Linear issue",
    );
    await waitFor(() => expect(sent.filter((request) => request.method === "GET")).toHaveLength(2));
    // The link someone else made is in the record's history and the feed too.
    expect(client.getQueryState(HISTORY_KEY)?.isInvalidated).toBe(true);
    expect(client.getQueryState(ACTIVITY_KEY)?.isInvalidated).toBe(true);
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    // The button that opened the dialog is gone: the focus goes to the issue in its place.
    const link = await screen.findByRole("link", { name: /ENG-42/ });
    await waitFor(() => expect(link).toHaveFocus());
  });

  it("closes on Escape, its values dropped, the focus back on its button", async () => {
    const user = userEvent.setup();
    const sent = serve();
    renderPanel();
    const dialog = await openDialog(user);
    await user.type(within(dialog).getByLabelText(/Description/), "Draft");
    // What the browser does on Escape in a modal dialog.
    fireEvent(dialog, createEvent("cancel", dialog, { cancelable: true }));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    const button = screen.getByRole("button", { name: "Create Linear issue" });
    await waitFor(() => expect(button).toHaveFocus());
    await user.click(button);
    expect(screen.getByLabelText(/Description/)).toHaveValue("");
    expect(sent.filter((request) => request.method === "POST")).toEqual([]);
  });

  it("shortens a long name's default title to what the API takes", async () => {
    const user = userEvent.setup();
    serve();
    renderPanel({ shown: { ...record, name: "N".repeat(255) } });
    const dialog = await openDialog(user);
    const title = within(dialog).getByLabelText("Title") as HTMLInputElement;
    expect([...title.value]).toHaveLength(255);
    expect(title.value).toBe(`CMP-0007 ${"N".repeat(245)}…`);
  });
});
