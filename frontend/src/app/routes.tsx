import type { RouteObject } from "react-router";

import { Layout } from "./Layout";
import { RouteError } from "./RouteError";

/** The pages, each loaded when first visited (forms and their checks only with a form). */
const pages: RouteObject[] = [
  {
    index: true,
    lazy: async () => ({
      Component: (await import("@/features/tools/routes/ToolIndexPage")).ToolIndexPage,
    }),
  },
  {
    path: "activity",
    lazy: async () => ({
      Component: (await import("@/features/activity/routes/ActivityPage")).ActivityPage,
    }),
  },
  {
    path: "tools/:tool",
    lazy: async () => ({
      Component: (await import("@/features/tools/routes/ToolPage")).ToolPage,
    }),
  },
  {
    path: "tools/:tool/:entity",
    lazy: async () => ({
      Component: (await import("@/features/records/routes/RecordListPage")).RecordListPage,
    }),
  },
  {
    path: "tools/:tool/:entity/new",
    lazy: async () => ({
      Component: (await import("@/features/records/routes/RecordCreatePage")).RecordCreatePage,
    }),
  },
  {
    path: "tools/:tool/:entity/:id",
    lazy: async () => ({
      Component: (await import("@/features/records/routes/RecordDetailPage")).RecordDetailPage,
    }),
  },
  {
    path: "tools/:tool/:entity/:id/edit",
    lazy: async () => ({
      Component: (await import("@/features/records/routes/RecordEditPage")).RecordEditPage,
    }),
  },
  {
    path: "*",
    lazy: async () => ({
      Component: (await import("@/features/tools/routes/NotFoundPage")).NotFoundPage,
    }),
  },
];

/** Every page of the app; tools and their entities are URL segments the manifest resolves. */
export const routes: RouteObject[] = [
  {
    element: <Layout />,
    // A page that fails shows the error inside the frame; the side bar still works.
    children: [{ errorElement: <RouteError />, children: pages }],
  },
];
