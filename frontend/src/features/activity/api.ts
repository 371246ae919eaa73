import { keepPreviousData, useQuery } from "@tanstack/react-query";

import { apiRequest } from "@/api/client";
import type { ActivityEntry, CursorPage } from "@/api/types";

export const PAGE_SIZE = 30;

/** The suite-wide feed, newest first, a cursor page at a time (it never counts). */
export function useActivity(params: URLSearchParams) {
  return useQuery({
    queryKey: ["activity", params.toString()],
    queryFn: async ({ signal }) => {
      const query = new URLSearchParams(params);
      query.set("limit", String(PAGE_SIZE));
      return (
        await apiRequest<CursorPage<ActivityEntry>>("/api/v1/activity/", { params: query, signal })
      ).data;
    },
    placeholderData: keepPreviousData,
  });
}

/** The `cursor` of a page link the API sent (`…/activity/?cursor=…&limit=30`). */
export function cursorOf(link: string | null): string | null {
  return link ? new URL(link, window.location.origin).searchParams.get("cursor") : null;
}
