/** The list's filters, derived from what the manifest says each field can be filtered by. */
import { useQueries, type UseQueryResult } from "@tanstack/react-query";
import { useState } from "react";

import { ApiError } from "@/api/client";
import type { EntityManifest, EntityReference, FieldManifest, ToolManifest } from "@/api/types";
import { Button } from "@/components/Button";
import { Chip } from "@/components/Chip";
import { DebouncedInput } from "@/components/DebouncedInput";
import { MultiSelect } from "@/components/MultiSelect";
import { inputClass } from "@/components/styles";
import { userQuery } from "@/features/people/api";
import { personLabel } from "@/features/people/names";
import { UserChip } from "@/features/people/UserChip";
import { linksUnreadable, useManifest, useMe } from "@/features/tools/api";

import { referenceQuery, useReference } from "../api";
import { splitList } from "../fields";
import { lookupParam, searchPlaceholder } from "../listParams";
import { referenceLabel } from "../shownValues";
import { FieldFilter, RangeFilter, TextFilter, type Update } from "./FieldFilter";

/**
 * The fields the panel offers: a tool's own, plus category, filtered by the lookups the
 * manifest lists. Status, search and archived have their own controls; a linked record or
 * a person is picked by name, and shown by it in a chip. A link to a tool the caller may not
 * read (`tools`, the manifest, lists it not) is not offered: the API refuses filtering by it.
 */
function panelFields(entity: EntityManifest, tools: ToolManifest[] | undefined): FieldManifest[] {
  return entity.fields.filter(
    (field) =>
      field.filter_lookups.length > 0 &&
      field.name !== "status" &&
      (field.type !== "relation" || Boolean(field.relation?.api_path)) &&
      !(tools && linksUnreadable(tools, field)),
  );
}

/** A field filtered by the id of what it links to: picked by name, its value shown as a chip. */
function isPicked(field: FieldManifest): boolean {
  return field.type === "relation" || field.type === "user";
}

/** The query parameters of the panel's filters: each lookup of each of its fields, and its own. */
function panelParams(fields: FieldManifest[], own: string[]): Set<string> {
  return new Set([
    ...fields.flatMap((field) => field.filter_lookups.map((lookup) => lookupParam(field, lookup))),
    ...own,
  ]);
}

/**
 * Where a link's records are read from, for naming those a list is filtered by: nowhere when
 * the caller may not read the linked tool (the manifest lists it not), which would be a 403.
 */
function useReferencePath(field: FieldManifest): string | null {
  const tools = useManifest().data;
  if (tools && linksUnreadable(tools, field)) return null;
  return field.relation?.api_path ?? null;
}

/**
 * A linked record a list is filtered by, in words: its public id and name once read; one the
 * caller may not read (its tool not theirs, or a 403 or 404 reading it, as a saved view shared
 * by someone who may can hold) said so with its id, as the link's value is all there is to
 * show; its id while it is read.
 */
function linkedRecordName(
  id: string,
  reference: Pick<UseQueryResult<EntityReference>, "data" | "error">,
  readable: boolean,
): string {
  if (reference.data) return referenceLabel(reference.data);
  const refused =
    reference.error instanceof ApiError && [403, 404].includes(reference.error.status);
  return !readable || refused ? `a record you cannot see (id ${id})` : `id ${id}`;
}

/** A relation the list is filtered by (`?component=12`), named by the linked record. */
function ReferenceChip({
  field,
  id,
  update,
}: {
  field: FieldManifest;
  id: string;
  update: Update;
}) {
  const apiPath = useReferencePath(field);
  const reference = useReference(apiPath, id);
  const name = linkedRecordName(id, reference, apiPath !== null);
  return (
    <Chip
      label={`${field.label}: ${name}`}
      onRemove={() => update({ [field.name]: "" })}
      returnFocusTo="search"
    />
  );
}

/**
 * A link the list is filtered to any of (`?instruments__in=2,6`): the records (public id and
 * name) or the people's names, in one chip that removes them all.
 */
function AnyOfChip({
  field,
  param,
  ids,
  update,
}: {
  field: FieldManifest;
  param: string;
  ids: string[];
  update: Update;
}) {
  const apiPath = useReferencePath(field);
  const people = useQueries({
    queries: ids.map((id) => ({ ...userQuery(id), enabled: field.type === "user" })),
  });
  const records = useQueries({
    queries: ids.map((id) => ({ ...referenceQuery(apiPath, id), enabled: field.type !== "user" })),
  });
  const names = ids.map((id, index) =>
    field.type === "user"
      ? personLabel(id, people[index]?.data)
      : linkedRecordName(id, records[index] ?? { data: undefined, error: null }, apiPath !== null),
  );
  return (
    <Chip
      label={`${field.label}: ${names.join(", ")}`}
      onRemove={() => update({ [param]: "" })}
      returnFocusTo="search"
    />
  );
}

export function ListFilters({
  entity,
  params,
  update,
  refused = {},
}: {
  entity: EntityManifest;
  params: URLSearchParams;
  update: Update;
  /** The API's reasons for refusing the list's query, by parameter: shown under their filters. */
  refused?: Record<string, string[]>;
}) {
  const me = useMe();
  const tools = useManifest().data;
  const fields = panelFields(entity, tools);
  const created = entity.fields.find((field) => field.name === "created_at");
  const offersCreated = entity.filters.includes("created_after") && created !== undefined;
  const offersTag = entity.filters.includes("tag");
  const mine = me.data ? String(me.data.id) : null;
  // "Filters (n)": each value the panel's filters hold (two tags are two), "created by me"
  // excepted, which is its checkbox's.
  const inPanel = panelParams(fields, [
    ...(offersTag ? ["tag"] : []),
    ...(offersCreated ? ["created_after", "created_before"] : []),
  ]);
  const filterValues = [...params].filter(
    ([key, value]) => inPanel.has(key) && !(key === "created_by" && value === mine),
  );
  // Records and people the list is under show as chips, so they need not open the panel.
  const chipped = new Set(
    fields.filter(isPicked).flatMap((field) => [field.name, lookupParam(field, "in")]),
  );
  const [open, setOpen] = useState(() => filterValues.some(([key]) => !chipped.has(key)));
  const offersAuthor = entity.filters.includes("created_by");
  // "Created by me" is its checkbox, not a chip.
  const picked = entity.fields.filter(
    (field) =>
      isPicked(field) &&
      params.get(field.name) &&
      !(field.name === "created_by" && params.get(field.name) === mine),
  );
  // …and to any of several (`?executed_by__in=2,3`), which only a link (or a view) sets.
  const pickedAnyOf = entity.fields.flatMap((field) => {
    const param = lookupParam(field, "in");
    const ids = params.getAll(param).flatMap(splitList);
    return isPicked(field) && field.filter_lookups.includes("in") && ids.length > 0
      ? [{ field, param, ids }]
      : [];
  });

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-56 flex-1">
          <label htmlFor="search" className="sr-only">
            Search
          </label>
          <DebouncedInput
            id="search"
            type="search"
            placeholder={searchPlaceholder(entity)}
            className={inputClass}
            value={params.get("search") ?? ""}
            onCommit={(value) => update({ search: value.trim() })}
          />
        </div>
        <MultiSelect
          label="Status"
          none="Any status"
          options={entity.statuses}
          chosen={params.getAll("status")}
          onChange={(statuses) => update({ status: statuses })}
        />
        {mine && offersAuthor && (
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input
              type="checkbox"
              className="size-4 rounded border-slate-300"
              checked={params.get("created_by") === mine}
              onChange={(event) => update({ created_by: event.target.checked ? mine : "" })}
            />
            Created by me
          </label>
        )}
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input
            type="checkbox"
            className="size-4 rounded border-slate-300"
            checked={params.get("include_archived") === "true"}
            onChange={(event) => update({ include_archived: event.target.checked ? "true" : "" })}
          />
          Include archived
        </label>
        <Button aria-expanded={open} onClick={() => setOpen(!open)}>
          Filters{filterValues.length > 0 ? ` (${filterValues.length})` : ""}
        </Button>
      </div>
      {picked.length + pickedAnyOf.length > 0 && (
        <div className="flex flex-wrap gap-2" data-chips>
          {picked.map((field) =>
            field.type === "user" ? (
              <UserChip
                key={field.name}
                label={`${field.label}:`}
                id={params.get(field.name) ?? ""}
                onRemove={() => update({ [field.name]: "" })}
                returnFocusTo="search"
              />
            ) : (
              <ReferenceChip
                key={field.name}
                field={field}
                id={params.get(field.name) ?? ""}
                update={update}
              />
            ),
          )}
          {pickedAnyOf.map(({ field, param, ids }) => (
            <AnyOfChip key={param} field={field} param={param} ids={ids} update={update} />
          ))}
        </div>
      )}
      {open && (
        <div className="grid gap-3 rounded-md border border-slate-200 bg-white p-3 sm:grid-cols-2 lg:grid-cols-3">
          {fields.map((field) => (
            <FieldFilter
              key={field.name}
              field={field}
              params={params}
              update={update}
              refused={refused}
            />
          ))}
          {offersTag && (
            <TextFilter
              id="filter-tag"
              label="Tagged with (all of, comma-separated)"
              name="tag"
              several
              params={params}
              update={update}
              refused={refused}
            />
          )}
          {offersCreated && (
            <RangeFilter
              legend="Created"
              field={created}
              from="created_after"
              to="created_before"
              params={params}
              update={update}
              refused={refused}
            />
          )}
        </div>
      )}
    </div>
  );
}
