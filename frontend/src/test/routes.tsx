/** The app's record pages under their routes, for tests that go from one to another. */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import { createMemoryRouter, RouterProvider, type RouteObject } from "react-router";

import type { ToolManifest } from "@/api/types";
import { RecordCreatePage } from "@/features/records/routes/RecordCreatePage";
import { RecordDetailPage } from "@/features/records/routes/RecordDetailPage";
import { RecordEditPage } from "@/features/records/routes/RecordEditPage";
import { RecordListPage } from "@/features/records/routes/RecordListPage";

/** Each record page by the path the app gives it. */
export const RECORD_PAGES = {
  list: { path: "/tools/:tool/:entity", element: <RecordListPage /> },
  create: { path: "/tools/:tool/:entity/new", element: <RecordCreatePage /> },
  edit: { path: "/tools/:tool/:entity/:id/edit", element: <RecordEditPage /> },
  record: { path: "/tools/:tool/:entity/:id", element: <RecordDetailPage /> },
} satisfies Record<string, RouteObject>;

/** `routes` rendered at `path`, for a caller whose manifest lists `tools`; its router. */
export function renderRoutes(path: string, tools: ToolManifest[], routes: RouteObject[]) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  client.setQueryData(["manifest"], { tools, integrations: { linear: false } });
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  render(
    <QueryClientProvider client={client}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return router;
}
