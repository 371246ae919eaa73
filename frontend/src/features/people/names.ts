/** People named by their id: their name once it is read, "user #7" until then. */
import { useQueries } from "@tanstack/react-query";

import type { UserSummary } from "@/api/types";

import { userQuery } from "./api";

/** A person the API names, or null for one since deleted (a shared saved view's owner). */
export function personName(person: UserSummary | null): string {
  return person ? person.name : "a former user";
}

/** A person as the user reads them: their name, or "user #7" while it is not read. */
export function personLabel(id: string, name: string | undefined): string {
  return name ?? `user #${id}`;
}

/** The names of the people `ids` name, read once each: a lookup by id, undefined until read. */
export function usePeopleNames(ids: readonly string[]): (id: string) => string | undefined {
  const people = useQueries({ queries: ids.map((id) => userQuery(id)) });
  return (id) => people[ids.indexOf(id)]?.data?.name;
}
