/**
 * A list's query lives in the page's URL (`?search=…&status=ACTIVE&ordering=-name`), so a
 * filtered list can be bookmarked, shared and gone back to; these read and change it.
 */
import { useCallback, useState } from "react";
import { useSearchParams } from "react-router";

import type { EntityManifest, FieldManifest } from "@/api/types";

export const PAGE_SIZES = [25, 50, 100] as const;
const DEFAULT_LIMIT = PAGE_SIZES[0];

/** The parameters that page through a list rather than choose its rows. */
const PAGING = new Set(["limit", "offset"]);

function sameParams(a: URLSearchParams, b: URLSearchParams): boolean {
  const sorted = (params: URLSearchParams) => [...params].map(String).sort().join("&");
  return sorted(a) === sorted(b);
}

export function useListParams() {
  const [routerParams, setParams] = useSearchParams();
  // The router applies a navigation in a transition: a control bound to the URL would show
  // its old value for a moment after a click (a ticked box unticked again), and a second
  // change in that moment would start from the old query and undo the first. So the query
  // asked for stands in for the URL until the router's next one (this or any other) arrives.
  const [asked, setAsked] = useState<{ from: URLSearchParams; next: URLSearchParams }>();
  const params = asked?.from === routerParams ? asked.next : routerParams;

  /** Show the list `next` asks for; nothing changed is no step for Back. */
  const show = useCallback(
    (next: URLSearchParams) => {
      if (sameParams(next, params)) return;
      setAsked({ from: routerParams, next });
      setParams(next);
    },
    [params, routerParams, setParams],
  );

  /**
   * Set query parameters ("" or [] clears one; a list repeats it); a change of rows goes
   * back to the first page. Each change is a step Back undoes (a search's, once the user
   * pauses typing).
   */
  const update = useCallback(
    (changes: Record<string, string | string[]>) => {
      const next = new URLSearchParams(params);
      for (const [key, value] of Object.entries(changes)) {
        next.delete(key);
        for (const item of Array.isArray(value) ? value : [value]) {
          if (item !== "") next.append(key, item);
        }
      }
      if (sameParams(next, params)) return; // the same rows: stay on this page
      if (Object.keys(changes).some((key) => !PAGING.has(key))) next.delete("offset");
      show(next);
    },
    [params, show],
  );

  /** Show another list: `query` in place of the whole query (a saved view's), from its first page. */
  const replace = useCallback(
    (query: string) => {
      const next = new URLSearchParams(query);
      for (const key of PAGING) next.delete(key);
      show(next);
    },
    [show],
  );

  const limit = Number(params.get("limit")) || DEFAULT_LIMIT;
  const offset = Math.max(0, Number(params.get("offset")) || 0);
  return { params, update, replace, limit, offset };
}

/** What the API is asked for: the URL's query, with the page size made explicit. */
export function apiParams(params: URLSearchParams, limit: number): URLSearchParams {
  const query = new URLSearchParams(params);
  query.set("limit", String(limit));
  return query;
}

/**
 * The same rows, unpaged: what the CSV export streams, for a spreadsheet — with a byte-order
 * mark, without which Excel reads a name beyond ASCII ("Müller") as mojibake.
 */
export function exportParams(params: URLSearchParams): URLSearchParams {
  const query = new URLSearchParams(params);
  for (const key of PAGING) query.delete(key);
  query.set("byte_order_mark", "true");
  return query;
}

/** True when the URL chooses rows (not only pages or orders them). */
export function isFiltered(params: URLSearchParams): boolean {
  return [...params.keys()].some((key) => !PAGING.has(key) && key !== "ordering");
}

/** The list's order as the API will apply it: `?ordering=`, else the entity's default. */
export function currentOrdering(params: URLSearchParams, entity: EntityManifest): string {
  return params.get("ordering") ?? entity.default_ordering[0] ?? "";
}

/** The types a new record takes from its list's filter: links, people, choices. */
const PRESET_TYPES = new Set<FieldManifest["type"]>(["relation", "user", "choice"]);

/**
 * The list's filters a new record starts from: those that are plain equality (one value, no
 * lookup) on a field of the form (`fields`) that is a link, a person or a choice. A list
 * reached from a component's "Linked: Test runs" (`?component=4`) makes a test run of it.
 */
export function presetParams(fields: FieldManifest[], params: URLSearchParams): URLSearchParams {
  const preset = new URLSearchParams();
  for (const field of fields) {
    const values = params.getAll(field.name);
    if (!PRESET_TYPES.has(field.type) || values.length !== 1 || !values[0]) continue;
    preset.set(field.name, values[0]);
  }
  return preset;
}

/** The query parameter of a field's lookup: `field` for exact, `field__gte` for the others. */
export function lookupParam(field: FieldManifest, lookup: string): string {
  return lookup === "exact" ? field.name : `${field.name}__${lookup}`;
}

/** How the filters name a field's lookup. */
const LOOKUP_WORDS: Record<string, string> = {
  exact: "is",
  icontains: "contains",
  gte: "from",
  lte: "to",
  in: "is one of",
};

/** A field's filter as the panel labels it: "Unit cost from", "Supplier contains". */
export function lookupLabel(field: FieldManifest, lookup: string): string {
  return `${field.label} ${LOOKUP_WORDS[lookup] ?? lookup}`;
}

/** The list's own parameters, as its controls name them. */
const LIST_PARAMS: Record<string, string> = {
  search: "Search",
  status: "Status",
  include_archived: "Include archived",
  tag: "Tagged with",
  created_after: "Created from",
  created_before: "Created to",
  ordering: "Order",
  limit: "Per page",
  offset: "Page",
};

/**
 * A query parameter as the list's controls name it (`unit_cost__gte`: "Unit cost from"), for
 * the API's reasons about it; a parameter the list does not know is named as it is.
 */
export function paramLabel(entity: EntityManifest, param: string): string {
  const own = LIST_PARAMS[param];
  if (own) return own;
  const [name, lookup = "exact"] = param.split("__");
  const field = entity.fields.find((candidate) => candidate.name === name);
  if (!field) return param;
  return lookup === "exact" ? field.label : lookupLabel(field, lookup);
}

/** A label within a sentence: "Part number" as "part number", an abbreviation ("URL") as it is. */
function inSentence(label: string): string {
  return /^[A-Z]{2}/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1);
}

/** What the search box says it looks in, from the manifest: "Search public id, name, …". */
export function searchPlaceholder(entity: EntityManifest): string {
  return `Search ${entity.searched_fields.map(({ label }) => inSentence(label)).join(", ")}`;
}
