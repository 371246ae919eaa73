import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createEvent, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import type { EntityManifest, EntityRecord, LinearIssue, ToolManifest } from "@/api/types";
import { json, mockFetch } from "@/test/api";

import { LinearPanel } from "./LinearPanel";

const API_PATH = "/api/v1/components/components/";
const ISSUE_PATH = `${API_PATH}7/linear-issue/`;

const entity = {
  name: "components.component",
  label: "Component",
  label_plural: "Components",
  api_path: API_PATH,
} as EntityManifest;

function toolWith(permissions: ToolManifest["permissions"]): ToolManifest {
  return {
    slug: "components",
    name: "Components",
    icon: "cpu",
    description: "",
    api_path: "/api/v1/components/",
    permissions,
    entities: [entity],
  };
}

const record = { id: 7, public_id: "CMP-0007", name: "Resistor 10k" } as EntityRecord;

const ISSUE: LinearIssue = {
  id: 1,
  linear_id: "9f3c2a4e-0000-4000-8000-000000000001",
  identifier: "ENG-42",
  title: "CMP-0007 Resistor 10k",
  url: "https://linear.app/acme/issue/ENG-42/cmp-0007-resistor-10k",
  state: "Todo",
  state_type: "unstarted",
  created_by: { id: 3, name: "Ada Lovelace" },
  created_at: "2026-05-01T09:30:00Z",
  updated_at: "2026-05-01T09:30:00Z",
};

const NOT_LINKED = { detail: "This record has no Linear issue.", code: "not_linked", errors: {} };

interface Sent {
  method: string;
  url: string;
  body: Record<string, unknown> | null;
  ifMatch: string | null;
}

/** The record as its page loaded it, with the ETag its writes send back. */
const ETAG = '"7-3"';

/**
 * The Linear issue endpoint: GET answers `read()` (a 404 `not_linked` by default), POST
 * `create(body)`, DELETE `unlink()`; every request is noted.
 */
function serve({
  read = () => json(404, NOT_LINKED),
  create = () => json(201, ISSUE),
  unlink = () => new Response(null, { status: 204 }),
}: {
  read?: () => Response;
  create?: (body: Record<string, unknown>) => Response;
  unlink?: () => Response;
} = {}): Sent[] {
  const sent: Sent[] = [];
  fetchMock.mockImplementation(async (url, init) => {
    const method = init?.method ?? "GET";
    const body = init?.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : null;
    const ifMatch = new Headers(init?.headers).get("If-Match");
    sent.push({ method, url: String(url), body, ifMatch });
    const { pathname } = new URL(String(url), window.location.origin);
    if (pathname !== ISSUE_PATH) return json(404, { detail: "Not found.", code: "not_found" });
    if (method === "POST") return create(body ?? {});
    return method === "DELETE" ? unlink() : read();
  });
  return sent;
}

const fetchMock = mockFetch();

/** The keys of the record's history and of the activity feed, to see them read again. */
const HISTORY_KEY = ["records", API_PATH, "history", "CMP-0007", 0];
const ACTIVITY_KEY = ["activity", ""];

function renderPanel({
  linear = true,
  permissions = ["read", "write"],
}: { linear?: boolean; permissions?: ToolManifest["permissions"] } = {}) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const tool = toolWith(permissions);
  client.setQueryData(["manifest"], { tools: [tool], integrations: { linear } });
  client.setQueryData(HISTORY_KEY, { results: [] });
  client.setQueryData(ACTIVITY_KEY, { results: [] });
  const { container } = render(
    <QueryClientProvider client={client}>
      <LinearPanel tool={tool} entity={entity} loaded={{ record, etag: ETAG }} />
    </QueryClientProvider>,
  );
  return { client, container };
}

const openDialog = async (user: ReturnType<typeof userEvent.setup>) => {
  await user.click(await screen.findByRole("button", { name: "Create Linear issue" }));
  return screen.getByRole("dialog", { name: "Create Linear issue" });
};

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
        body: { title: "CMP-0007 Resistor 10k", priority: 2 },
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
    const long = { ...record, name: "N".repeat(255) };
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const tool = toolWith(["read", "write"]);
    client.setQueryData(["manifest"], { tools: [tool], integrations: { linear: true } });
    render(
      <QueryClientProvider client={client}>
        <LinearPanel tool={tool} entity={entity} loaded={{ record: long, etag: ETAG }} />
      </QueryClientProvider>,
    );
    const dialog = await openDialog(user);
    const title = within(dialog).getByLabelText("Title") as HTMLInputElement;
    expect([...title.value]).toHaveLength(255);
    expect(title.value).toBe(`CMP-0007 ${"N".repeat(245)}…`);
  });

  it("unlinks the issue after asking, sending the record's ETag; then offers to create one", async () => {
    const user = userEvent.setup();
    const sent = serve({ read: () => json(200, ISSUE) });
    const { client } = renderPanel();
    await user.click(await screen.findByRole("button", { name: "Unlink" }));
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
    expect(screen.getByRole("status")).toHaveTextContent(
      "Unlinked ENG-42; the issue stays in Linear.",
    );
    expect(client.getQueryState(HISTORY_KEY)?.isInvalidated).toBe(true);
    expect(client.getQueryState(ACTIVITY_KEY)?.isInvalidated).toBe(true);
  });

  it("offers a reader no unlinking", async () => {
    serve({ read: () => json(200, ISSUE) });
    renderPanel({ permissions: ["read"] });
    expect(await screen.findByRole("link", { name: /ENG-42/ })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Unlink" })).not.toBeInTheDocument();
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
      "The record has changed since you read it.",
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
