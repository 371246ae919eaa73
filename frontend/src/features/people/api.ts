/** The suite's people (`/api/v1/users/`): found by name, named by id. */
import { queryOptions, useQuery } from "@tanstack/react-query";

import { apiRequest } from "@/api/client";
import type { OffsetPage, UserSummary } from "@/api/types";

const USERS = "/api/v1/users/";

/** Active people matching `term`; none asked for while `term` is null (the picker closed). */
export function useUserSuggestions(term: string | null) {
  return useQuery({
    queryKey: ["users", "suggest", term],
    enabled: term !== null,
    queryFn: async ({ signal }) =>
      (
        await apiRequest<OffsetPage<UserSummary>>(USERS, {
          params: { search: term ?? "", limit: 10 },
          signal,
        })
      ).data.results,
    staleTime: 30_000,
  });
}

/** One person's name, for a filter that holds their id (`?created_by=12`). */
export function useUser(id: string | null) {
  return useQuery(userQuery(id));
}

/** `useUser`'s query, for several people (`useQueries`). */
export function userQuery(id: string | null) {
  return queryOptions({
    queryKey: ["users", "detail", id],
    enabled: Boolean(id),
    queryFn: async ({ signal }) =>
      (await apiRequest<UserSummary>(`${USERS}${encodeURIComponent(id ?? "")}/`, { signal })).data,
    staleTime: 5 * 60_000,
  });
}
