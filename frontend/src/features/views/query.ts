/**
 * A list's query as a saved view keeps it, and the view a list's query is. The API keeps a
 * view's query normalised (apps/core/api/list_queries.py): without how a page is fetched,
 * without blank values, each pair once, sorted. `normalisedQuery` does the same, but for
 * URL-encoding (the API's and the browser's escape a few characters differently), so two
 * queries are compared only once both went through it.
 */
import type { SavedView } from "@/api/types";

/** How a page of the list is fetched or written, not which records it holds. */
const PAGE_PARAMS = new Set(["limit", "offset", "cursor", "format"]);

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `query` (a leading `?` allowed) as the API would keep it in a view. */
export function normalisedQuery(query: string | URLSearchParams): string {
  const pairs = new Map<string, [string, string]>();
  for (const [name, value] of new URLSearchParams(query)) {
    if (PAGE_PARAMS.has(name) || value.trim() === "") continue;
    pairs.set(JSON.stringify([name, value]), [name, value]);
  }
  const sorted = [...pairs.values()].sort(
    ([nameA, valueA], [nameB, valueB]) => byCodeUnits(nameA, nameB) || byCodeUnits(valueA, valueB),
  );
  return new URLSearchParams(sorted).toString();
}

/** Whether `a` and `b` show the same records in the same order. */
export function sameQuery(a: string | URLSearchParams, b: string | URLSearchParams): boolean {
  return normalisedQuery(a) === normalisedQuery(b);
}

/** The parameters and values a view keeps, decoded, in its order: to show what it holds. */
export function queryPairs(query: string | URLSearchParams): [string, string][] {
  return [...new URLSearchParams(normalisedQuery(query))];
}

const names = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });

function byName(a: SavedView, b: SavedView): number {
  return names.compare(a.name, b.name) || a.id - b.id;
}

/** The caller's views, then those others share; each by name, as a person reads names. */
export function groupViews(views: readonly SavedView[]): {
  mine: SavedView[];
  shared: SavedView[];
} {
  return {
    mine: views.filter((view) => view.is_mine).sort(byName),
    shared: views.filter((view) => !view.is_mine).sort(byName),
  };
}

/**
 * The view the list shows: one whose query is the list's. Should several be, the caller's
 * own wins over another's, then the one saved last, so a view just saved or updated is the
 * one named.
 */
export function currentView(
  views: readonly SavedView[],
  query: string | URLSearchParams,
): SavedView | null {
  const shown = normalisedQuery(query);
  const matching = views.filter((view) => normalisedQuery(view.query) === shown);
  matching.sort(
    (a, b) =>
      Number(b.is_mine) - Number(a.is_mine) || Date.parse(b.updated_at) - Date.parse(a.updated_at),
  );
  return matching[0] ?? null;
}
