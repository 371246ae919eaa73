import { act, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import type { ToolManifest } from "@/api/types";
import { Layout } from "@/app/Layout";
import { json, mockFetch } from "@/test/api";
import { componentEntity, componentsTool, fieldManifest } from "@/test/manifest";
import { RECORD_PAGES, renderRoutes } from "@/test/routes";

const API_PATH = "/api/v1/components/components/";

const entity = {
  ...componentEntity([fieldManifest("name", "string", { label: "Name", required: true })]),
  transitions: [],
};
const tool: ToolManifest = { ...componentsTool([entity]), permissions: ["read", "write"] };

const fetchMock = mockFetch();

/** Ada's rename of CMP-0242, as its history lists it. */
const renamed = {
  id: 9,
  action: "UPDATE",
  actor: { id: 2, name: "Ada" },
  actor_label: "Ada",
  timestamp: "2026-12-01T10:00:00Z",
  request_id: null,
  changes: { name: { old: "M3 spacer", new: "M3 standoff" } },
  comment: "",
  reverted: null,
};

/**
 * The API: CMP-0242 read by its public id, created by a POST and saved by a PATCH; its
 * history lists `history`, a revert's preview puts the old name back, and it has no files.
 */
function serve(history: unknown[] = []) {
  let record = { id: 242, public_id: "CMP-0242", name: "M3 standoff", status: "DRAFT" };
  fetchMock.mockImplementation(async (url, init) => {
    const { pathname } = new URL(String(url), window.location.origin);
    const method = init?.method ?? "GET";
    if (method !== "GET") {
      record = { ...record, ...(JSON.parse(String(init?.body)) as object) };
      return new Response(JSON.stringify(record), {
        status: method === "POST" ? 201 : 200,
        headers: { "Content-Type": "application/json", ETag: '"242-2"' },
      });
    }
    if (pathname === `${API_PATH}CMP-0242/`) {
      return new Response(JSON.stringify(record), { headers: { ETag: '"242-1"' } });
    }
    if (pathname === `${API_PATH}CMP-0242/history/`) {
      return json(200, { count: history.length, next: null, previous: null, results: history });
    }
    if (pathname === `${API_PATH}CMP-0242/revert/`) {
      // The revert's preview: the name put back.
      const changes = [
        { field: "name", current: record.name, restored: "M3 spacer", changed_later: null },
      ];
      return new Response(JSON.stringify({ audit_id: 9, changes }), {
        headers: { "Content-Type": "application/json", ETag: '"242-2"' },
      });
    }
    if (pathname === `${API_PATH}242/attachments/`) return json(200, []);
    // Whatever else the record's page lists: nothing.
    return json(200, { count: 0, next: null, previous: null, results: [] });
  });
}

function renderApp(path: string) {
  return renderRoutes(
    path,
    [tool],
    [
      {
        element: <Layout />,
        children: [
          RECORD_PAGES.create,
          RECORD_PAGES.edit,
          RECORD_PAGES.record,
          { path: "/elsewhere", element: <p>Elsewhere</p> },
        ],
      },
    ],
  );
}

describe("what a record's form did, said on the record's page", () => {
  it("says the record was created, read out, and not again when the page is come back to", async () => {
    const user = userEvent.setup();
    serve();
    const router = renderApp("/tools/components/components/new");
    await user.type(await screen.findByLabelText(/Name/), "M3 standoff");
    await user.click(screen.getByRole("button", { name: "Create component" }));

    const said = await screen.findByText("Created CMP-0242.");
    expect(said).toHaveRole("status");
    // The focus is on the record's heading, before the record's actions, not on the line
    // after them: Tab goes on to Edit, Move and Archive.
    expect(screen.getByRole("heading", { level: 1, name: /M3 standoff/ })).toHaveFocus();
    expect(router.state.location.pathname).toBe("/tools/components/components/CMP-0242");

    await act(() => router.navigate("/elsewhere"));
    expect(await screen.findByText("Elsewhere")).toBeVisible();
    await act(() => router.navigate(-1));
    expect(await screen.findByRole("heading", { name: /M3 standoff/ })).toBeVisible();
    expect(screen.queryByText("Created CMP-0242.")).not.toBeInTheDocument();
  });

  it("says an edit was saved", async () => {
    const user = userEvent.setup();
    serve();
    renderApp("/tools/components/components/CMP-0242/edit");
    const name = await screen.findByLabelText(/Name/);
    await user.clear(name);
    await user.type(name, "M3 standoff, nylon");
    await user.click(screen.getByRole("button", { name: "Save changes" }));

    const said = await screen.findByText("Saved.");
    expect(said).toHaveRole("status");
    expect(screen.getByRole("heading", { level: 1, name: /M3 standoff, nylon/ })).toHaveFocus();
  });

  it("is replaced by the next action's message: a revert after a save says only the revert", async () => {
    const user = userEvent.setup();
    serve([renamed]);
    renderApp("/tools/components/components/CMP-0242/edit");
    const name = await screen.findByLabelText(/Name/);
    await user.type(name, ", nylon");
    await user.click(screen.getByRole("button", { name: "Save changes" }));
    expect(await screen.findByText("Saved.")).toBeVisible();

    await user.click(await screen.findByRole("button", { name: "Revert this change" }));
    await user.click(screen.getByRole("button", { name: "Revert" }));
    const said = await screen.findByText(/^Reverted the change Ada made/);
    expect(said).toHaveFocus();
    expect(screen.queryByText("Saved.")).not.toBeInTheDocument();
    expect(screen.getAllByRole("status").filter((line) => line.textContent)).toEqual([said]);
  });
});

describe("the record's way back to its list", () => {
  it("names an entity named as its tool once", async () => {
    serve();
    renderApp("/tools/components/components/CMP-0242");
    expect(await screen.findByRole("link", { name: "Components" })).toHaveAttribute(
      "href",
      "/tools/components/components",
    );
    expect(screen.queryByText(/Components · Components/)).not.toBeInTheDocument();
  });
});

describe("a page with nothing to show", () => {
  it("names a record that cannot be read in its heading, above why", async () => {
    fetchMock.mockImplementation(async () =>
      json(404, { detail: "Not found.", code: "not_found", errors: {} }),
    );
    renderApp("/tools/components/components/CMP-9999");
    expect(
      await screen.findByRole("heading", { level: 1, name: "Component CMP-9999" }),
    ).toBeVisible();
    expect(screen.getByRole("alert")).toHaveTextContent("Not found");
  });

  it("has a heading on the page no route matches", async () => {
    renderApp("/tools/nothing/here/new");
    expect(await screen.findByRole("heading", { level: 1, name: "Not found" })).toBeVisible();
  });
});
