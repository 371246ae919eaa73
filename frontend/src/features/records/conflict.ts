/**
 * An edit that met a 412: someone saved the record after the user opened the form. Three
 * versions of the form's values say what to do: `base` (what the user started from),
 * `latest` (the record now) and `mine` (the form as the user left it).
 */
import type { FieldManifest, HistoryEntry } from "@/api/types";

import { sameFormValue, type FormValues } from "./fields";

export interface Versions {
  base: FormValues;
  latest: FormValues;
  mine: FormValues;
}

/** The form's fields by who changed them since `base`. */
export interface Comparison {
  /** Changed by the user alone: kept in the form, and sent. */
  mine: string[];
  /** Changed meanwhile alone: the form takes the latest value. */
  theirs: string[];
  /** Changed by both, to different values: the user chooses which to keep. */
  both: string[];
}

/** The fields whose values differ between two versions. */
export function changedFields(
  fields: FieldManifest[],
  before: FormValues,
  after: FormValues,
): string[] {
  return fields
    .filter(({ name }) => !sameFormValue(before[name], after[name]))
    .map(({ name }) => name);
}

/**
 * Who changed which field. A field both set to the same value is no one's: there is nothing
 * to choose, and nothing to send.
 */
export function compareVersions(fields: FieldManifest[], versions: Versions): Comparison {
  const { base, latest, mine } = versions;
  const comparison: Comparison = { mine: [], theirs: [], both: [] };
  for (const { name } of fields) {
    const changedByMe = !sameFormValue(mine[name], base[name]);
    const changedByThem = !sameFormValue(latest[name], base[name]);
    if (changedByMe && changedByThem) {
      if (!sameFormValue(mine[name], latest[name])) comparison.both.push(name);
    } else if (changedByMe) comparison.mine.push(name);
    else if (changedByThem) comparison.theirs.push(name);
  }
  return comparison;
}

/**
 * The form on top of the latest version: the user's values where they changed a field
 * (where both did, the user's until they choose), the latest everywhere else.
 */
export function rebasedValues(comparison: Comparison, versions: Versions): FormValues {
  const values = { ...versions.latest };
  for (const name of [...comparison.mine, ...comparison.both]) {
    const mine = versions.mine[name];
    if (mine !== undefined) values[name] = mine;
  }
  return values;
}

/** One history entry and the fields it is the last to have changed (none found: `entry` null). */
export interface ChangeBy {
  entry: HistoryEntry | null;
  names: string[];
}

/**
 * Who set each of `names` to the value it has now: the newest of `entries` (newest first, as
 * the history lists them) that changed it. Grouped by entry, oldest first; a field no entry
 * names (its change is older than the entries read) comes last, with no entry.
 */
export function changesBy(names: string[], entries: HistoryEntry[]): ChangeBy[] {
  const groups = new Map<HistoryEntry | null, string[]>();
  for (const name of names) {
    const entry = entries.find((candidate) => Object.hasOwn(candidate.changes, name)) ?? null;
    groups.set(entry, [...(groups.get(entry) ?? []), name]);
  }
  const order = (entry: HistoryEntry | null) =>
    entry === null ? Infinity : -entries.indexOf(entry);
  return [...groups.entries()]
    .sort(([one], [other]) => order(one) - order(other))
    .map(([entry, grouped]) => ({ entry, names: grouped }));
}
