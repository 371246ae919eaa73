import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";

import type { EntityManifest } from "@/api/types";
import { json, mockFetch } from "@/test/api";
import { fieldManifest, testingTool, testRunEntity } from "@/test/manifest";

import { RecordListPage } from "./RecordListPage";

const entity = {
  ...testRunEntity([
    fieldManifest("name", "string", { label: "Name", required: true }),
    fieldManifest("status", "choice", { label: "Status", read_only: true }),
  ]),
  statuses: [
    { value: "PENDING", label: "Pending", color: "gray" },
    { value: "ARCHIVED", label: "Archived", color: "gray" },
  ],
  transitions: [{ source: "PENDING", target: "ARCHIVED", admin_only: false }],
  archived_status: "ARCHIVED",
} as EntityManifest;

const tool = testingTool([entity]);

const fetchMock = mockFetch();

/** The API: three pending test runs, until a bulk archive takes them all out of the list. */
function serve() {
  let runs = [1, 2, 3].map((id) => ({
    id,
    public_id: `TST-000${id}`,
    name: `Run ${id}`,
    status: "PENDING",
  }));
  fetchMock.mockImplementation(async (url) => {
    const { pathname } = new URL(String(url), window.location.origin);
    if (pathname === `${entity.api_path}bulk/archive/`) {
      const archived = runs;
      runs = [];
      return json(200, { archived });
    }
    return json(200, {
      count: runs.length,
      count_is_estimate: false,
      next: null,
      previous: null,
      results: runs,
    });
  });
}

function renderAt(path: string) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  client.setQueryData(["manifest"], { tools: [tool], integrations: { linear: false } });
  const router = createMemoryRouter(
    [{ path: "/tools/:tool/:entity", element: <RecordListPage /> }],
    {
      initialEntries: [path],
    },
  );
  render(
    <QueryClientProvider client={client}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
}

describe("a bulk write on the list", () => {
  it("says what it did, focused, when it leaves the list empty", async () => {
    const user = userEvent.setup();
    serve();
    renderAt("/tools/testing/test-runs?status=PENDING");
    await user.click(
      await screen.findByRole("checkbox", { name: "Select every record on this page" }),
    );
    await user.click(screen.getByRole("button", { name: "Archive selected" }));
    await user.click(screen.getByRole("button", { name: "Archive" }));

    expect(await screen.findByText("No records match these filters.")).toBeVisible();
    const said = screen.getByText("Archived 3 test runs.");
    expect(said).toHaveRole("status");
    expect(said).toHaveFocus();
  });
});
