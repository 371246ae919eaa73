/**
 * People as the user reads them, wherever a person is shown: their name, marked when they are
 * deactivated ("Ada Lovelace (deactivated)": someone who left, still named on what they did),
 * "a former user" for one since deleted, "user #7" while a name is not read yet.
 */
import { useQueries } from "@tanstack/react-query";

import type { UserSummary } from "@/api/types";

import { userQuery } from "./api";

/** What a person's name needs of them (`UserSummary`). */
export type Person = Pick<UserSummary, "name" | "is_active">;

/** Whether to mark `person` as deactivated: the API says so (`is_active: false`). */
export function isDeactivated(person: Person): boolean {
  return person.is_active === false;
}

/** A person as text: "Ada Lovelace", "Ada Lovelace (deactivated)", or null: "a former user". */
export function personName(person: Person | null): string {
  if (!person) return "a former user";
  return isDeactivated(person) ? `${person.name} (deactivated)` : person.name;
}

/** A person named by their id: their name once they are read, or "user #7" until then. */
export function personLabel(id: string, person: Person | undefined): string {
  return person ? personName(person) : `user #${id}`;
}

/** The names of the people `ids` name, read once each: a lookup by id, undefined until read. */
export function usePeopleNames(ids: readonly string[]): (id: string) => string | undefined {
  const people = useQueries({ queries: ids.map((id) => userQuery(id)) });
  return (id) => {
    const person = people[ids.indexOf(id)]?.data;
    return person && personName(person);
  };
}
