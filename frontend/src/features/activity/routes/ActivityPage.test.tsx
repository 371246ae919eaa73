import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import { createMemoryRouter, RouterProvider } from "react-router";

import type { ToolManifest } from "@/api/types";
import { json, mockFetch } from "@/test/api";
import { componentEntity, componentsTool } from "@/test/manifest";

import { ActivityPage } from "./ActivityPage";

const fetchMock = mockFetch();

function renderFeed(tools: ToolManifest[]) {
  fetchMock.mockImplementation(async () => json(200, { next: null, previous: null, results: [] }));
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  client.setQueryData(["manifest"], { tools, integrations: { linear: false } });
  const router = createMemoryRouter([{ path: "/activity", element: <ActivityPage /> }], {
    initialEntries: ["/activity"],
  });
  render(
    <QueryClientProvider client={client}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
}

describe("ActivityPage", () => {
  it("tells a caller with no tools what the front page does, and asks the API nothing", () => {
    renderFeed([]);
    expect(screen.getByText("You have no tools yet")).toBeInTheDocument();
    expect(screen.getByText(/Ask an administrator for access\./)).toBeInTheDocument();
    expect(screen.queryByRole("alert")).toBeNull();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("shows the feed of a caller who may read a tool", async () => {
    renderFeed([componentsTool([componentEntity()])]);
    expect(await screen.findByText("Nothing has happened yet.")).toBeInTheDocument();
    expect(String(fetchMock.mock.calls[0]?.[0])).toContain("/api/v1/activity/");
  });
});
