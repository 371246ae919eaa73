import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import type { SavedView } from "@/api/types";
import { json, mockFetch } from "@/test/api";
import { componentEntity, componentsTool } from "@/test/manifest";
import { savedView } from "@/test/savedView";

import { ShownView } from "./ShownView";
import { ViewsMenu } from "./ViewsMenu";

const tool = componentsTool();
const entity = componentEntity();

const ALICE = {
  owner: { id: 2, name: "Alice Tester", is_active: true },
  is_mine: false,
  shared: true,
};

/** The saved views API over `views`, as the server would answer; each request is noted. */
function serve(views: SavedView[], refuse?: (body: Record<string, unknown>) => unknown) {
  const requests: { method: string; url: string; body: Record<string, unknown> | null }[] = [];
  fetchMock.mockImplementation(async (url, init) => {
    const method = init?.method ?? "GET";
    const body = init?.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : null;
    requests.push({ method, url: String(url), body });
    const refusal = body && refuse?.(body);
    if (refusal) return json(400, refusal);
    const id = Number(/\/(\d+)\/$/.exec(String(url))?.[1]);
    const index = views.findIndex((view) => view.id === id);
    if (method === "GET") return json(200, { next: null, previous: null, results: views });
    if (method === "POST") {
      const made = savedView(99, String(body?.name), String(body?.query), {
        shared: Boolean(body?.shared),
        updated_at: "2026-05-01T00:00:00Z",
      });
      views.push(made);
      return json(201, made);
    }
    if (method === "PATCH") {
      views[index] = { ...views[index]!, ...body, updated_at: "2026-05-01T00:00:00Z" };
      return json(200, views[index]);
    }
    views.splice(index, 1);
    return json(204, null);
  });
  return requests;
}

const fetchMock = mockFetch();

function renderMenu(query: string, onOpen: (query: string) => void = () => {}) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const params = new URLSearchParams(query);
  render(
    <QueryClientProvider client={client}>
      <ShownView entity={entity} params={params} />
      <ViewsMenu tool={tool} entity={entity} params={params} onOpen={onOpen} />
    </QueryClientProvider>,
  );
  return screen.getByRole("button", { name: "Views" });
}

describe("ViewsMenu from the keyboard", () => {
  const views = () => [
    savedView(1, "Sensors", "search=sensor"),
    savedView(2, "Resistors", "search=resistor"),
    savedView(3, "Archived ones", "include_archived=true", ALICE),
  ];
  const view = (name: RegExp) => screen.getByRole("button", { name });

  it("opens with Enter on the first view, which the arrows, Home and End move from", async () => {
    const user = userEvent.setup();
    serve(views());
    const button = renderMenu("");
    button.focus();
    await user.keyboard("{Enter}");
    expect(button).toHaveAttribute("aria-expanded", "true");
    await waitFor(() => expect(view(/^Resistors/)).toHaveFocus());

    await user.keyboard("{ArrowDown}");
    expect(view(/^Sensors/)).toHaveFocus();
    await user.keyboard("{ArrowDown}");
    expect(view(/^Archived ones/)).toHaveFocus();
    await user.keyboard("{ArrowDown}");
    expect(view(/^Resistors/)).toHaveFocus();
    await user.keyboard("{ArrowUp}");
    expect(view(/^Archived ones/)).toHaveFocus();
    await user.keyboard("{Home}");
    expect(view(/^Resistors/)).toHaveFocus();
    await user.keyboard("{End}");
    expect(view(/^Archived ones/)).toHaveFocus();
  });

  it("moves on from a view's own buttons, which Tab reaches, and Escape gives the focus back", async () => {
    const user = userEvent.setup();
    serve(views());
    const button = renderMenu("");
    await user.click(button);
    await waitFor(() => expect(view(/^Resistors/)).toHaveFocus());
    await user.tab();
    expect(screen.getByRole("button", { name: "Rename or share “Resistors”" })).toHaveFocus();
    await user.keyboard("{ArrowDown}");
    expect(view(/^Sensors/)).toHaveFocus();

    await user.keyboard("{Escape}");
    expect(button).toHaveAttribute("aria-expanded", "false");
    expect(button).toHaveFocus();
  });
});

describe("ViewsMenu", () => {
  it("lists my views, then others' with their owner, and marks and names the one shown", async () => {
    const user = userEvent.setup();
    serve([
      savedView(1, "Sensors", "search=sensor"),
      savedView(2, "Archived ones", "include_archived=true", ALICE),
      savedView(3, "drafts", "ordering=name&status=DRAFT", { shared: true }),
      savedView(4, "Team sensors", "search=team", { owner: null, is_mine: false, shared: true }),
    ]);
    const opened: string[] = [];
    const views = renderMenu("status=DRAFT&ordering=name&offset=25", (query) => opened.push(query));

    expect(await screen.findByText("drafts")).toBeInTheDocument(); // the page says it
    expect(screen.getByText(/· shared$/)).toBeInTheDocument();
    await user.click(views);
    const mine = screen.getByRole("region", { name: "My views" });
    expect(
      within(mine)
        .getAllByRole("listitem")
        .map((item) => item.textContent),
    ).toEqual(["drafts shared", "Sensors"]);
    expect(within(mine).getByRole("button", { current: true })).toHaveTextContent("drafts");
    const shared = screen.getByRole("region", { name: "Shared with you" });
    expect(shared).toHaveTextContent("Archived ones by Alice Tester");
    // A view shared by someone since deleted stays, by no one.
    expect(shared).toHaveTextContent("Team sensors by a former user");
    // Others' views are opened, never changed.
    expect(within(shared).getAllByRole("button")).toHaveLength(2);
    expect(screen.getByRole("button", { name: "Delete “Sensors”" })).toBeInTheDocument();

    await user.click(within(shared).getByRole("button", { name: /Archived ones/ }));
    expect(opened).toEqual(["include_archived=true"]);
    expect(screen.queryByRole("region", { name: "My views" })).not.toBeInTheDocument();
    expect(views).toHaveFocus();
  });

  it("says when there are no views, and offers to save only a searched, filtered or sorted list", async () => {
    const user = userEvent.setup();
    serve([]);
    await user.click(renderMenu("limit=50&offset=25"));
    expect(await screen.findByText(/No saved views of components yet/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Save view…" })).not.toBeInTheDocument();
  });

  it("shows a failure to read the views, and reads them again", async () => {
    const user = userEvent.setup();
    fetchMock.mockResolvedValueOnce(
      json(503, { detail: "Busy.", code: "database_busy", errors: {} }),
    );
    await user.click(renderMenu(""));
    expect(await screen.findByRole("alert")).toHaveTextContent("Busy.");
    serve([savedView(1, "Sensors", "search=sensor")]);
    await user.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByRole("button", { name: "Sensors" })).toBeInTheDocument();
  });

  it("saves the list: the API's refusals under their fields, then the new view is the one shown", async () => {
    const user = userEvent.setup();
    const requests = serve([savedView(1, "Drafts", "status=ACTIVE")], (body) =>
      body.name === "drafts"
        ? { detail: "Invalid input: name.", code: "invalid", errors: { name: ["Taken."] } }
        : body.name === "Odd"
          ? {
              detail: "Invalid input: query.",
              code: "invalid",
              errors: { query: { colour: ["Unknown query parameter."] } },
            }
          : null,
    );
    renderMenu("status=DRAFT&search=hall+sensor&limit=50");
    await user.click(screen.getByRole("button", { name: "Save view…" }));
    const dialog = screen.getByRole("dialog", { name: "Save this list of components as a view" });
    const name = within(dialog).getByLabelText("Name");
    expect(name).toHaveFocus();
    expect(dialog).toHaveTextContent("search: hall sensor");

    await user.click(within(dialog).getByRole("button", { name: "Save view" }));
    expect(await within(dialog).findByText("This field may not be blank.")).toBeInTheDocument();
    await user.type(name, " drafts ");
    await user.click(within(dialog).getByRole("button", { name: "Save view" }));
    expect(await within(dialog).findByText("Taken.")).toBeInTheDocument();
    expect(name).toHaveAttribute("aria-invalid", "true");
    expect(name).toHaveFocus();
    expect(within(dialog).queryByRole("alert")).not.toBeInTheDocument();

    await user.clear(name);
    await user.type(name, "Odd");
    await user.click(within(dialog).getByRole("button", { name: "Save view" }));
    expect(await within(dialog).findByText("colour")).toHaveTextContent("colour");
    expect(within(dialog).getByText("colour").parentElement).toHaveTextContent(
      "colour: Unknown query parameter.",
    );

    await user.clear(name);
    await user.type(name, "Hall sensors");
    await user.click(within(dialog).getByLabelText("Share with everyone who can read Components"));
    await user.click(within(dialog).getByRole("button", { name: "Save view" }));
    expect(await screen.findByRole("status")).toHaveTextContent("Saved the view “Hall sensors”.");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(requests.filter((request) => request.method === "POST").at(-1)?.body).toEqual({
      entity: "components.component",
      name: "Hall sensors",
      query: "search=hall+sensor&status=DRAFT",
      shared: true,
    });
    expect(screen.getByText("Hall sensors")).toBeInTheDocument(); // the view shown
    // And the views are read again after it.
    await waitFor(() => expect(requests.at(-1)?.method).toBe("GET"));
  });

  it("updates a view of mine with the list's query, renames and shares it", async () => {
    const user = userEvent.setup();
    const requests = serve([savedView(1, "Drafts", "status=DRAFT")]);
    const views = renderMenu("status=DRAFT&status=ACTIVE");
    await user.click(views);
    await user.click(
      await screen.findByRole("button", { name: "Update “Drafts” with the current filters" }),
    );
    expect(await screen.findByRole("status")).toHaveTextContent(
      "Updated “Drafts” with the current filters.",
    );
    expect(requests.at(-2)).toMatchObject({
      method: "PATCH",
      url: "/api/v1/saved-views/1/",
      body: { query: "status=ACTIVE&status=DRAFT" },
    });

    await user.click(views);
    expect(screen.getByRole("button", { current: true })).toHaveTextContent("Drafts");
    await user.click(screen.getByRole("button", { name: "Rename or share “Drafts”" }));
    const dialog = screen.getByRole("dialog", { name: "Edit the view “Drafts”" });
    await user.clear(within(dialog).getByLabelText("Name"));
    await user.type(within(dialog).getByLabelText("Name"), "Open ones");
    await user.click(within(dialog).getByRole("button", { name: "Save changes" }));
    expect(await screen.findByRole("status")).toHaveTextContent("Saved the view “Open ones”.");
    // Only what changed is sent.
    expect(requests.filter((request) => request.method === "PATCH").at(-1)?.body).toEqual({
      name: "Open ones",
    });
  });

  it("deletes a view of mine once asked, the focus kept on the menu", async () => {
    const user = userEvent.setup();
    const requests = serve([savedView(1, "Drafts", "status=DRAFT", { shared: true })]);
    const views = renderMenu("");
    await user.click(views);
    await user.click(await screen.findByRole("button", { name: "Delete “Drafts”" }));
    const dialog = screen.getByRole("dialog", { name: "Delete the view “Drafts”?" });
    expect(dialog).toHaveTextContent("It is shared");
    expect(within(dialog).getByRole("button", { name: "Cancel" })).toHaveFocus();
    expect(requests.some((request) => request.method === "DELETE")).toBe(false);

    await user.click(within(dialog).getByRole("button", { name: "Delete view" }));
    expect(await screen.findByRole("status")).toHaveTextContent("Deleted the view “Drafts”.");
    expect(requests.find((request) => request.method === "DELETE")?.url).toBe(
      "/api/v1/saved-views/1/",
    );
    await user.click(views);
    expect(await screen.findByText(/No saved views/)).toBeInTheDocument();
  });
});
