/** A page of records as a table: the columns a tool's manifest makes worth a glance. */
import { ArrowDown, ArrowUp, ArrowUpDown } from "lucide-react";
import { Link } from "react-router";

import type { EntityManifest, EntityRecord, FieldManifest, ToolManifest } from "@/api/types";
import { recordRoute } from "@/features/tools/api";

import { NUMERIC_TYPES } from "../shownValues";
import { FieldValue } from "./FieldValue";

const MAX_OWN_COLUMNS = 4;
const LEADING = ["public_id", "name", "status"];
const TRAILING = ["tags", "updated_at"];
/** Long or structured values that do not fit a cell; the record's page shows them. */
const NOT_IN_TABLE = new Set(["text", "json", "url"]);

export function tableColumns(entity: EntityManifest): FieldManifest[] {
  const byName = (name: string) => entity.fields.find((field) => field.name === name);
  const own = entity.fields
    .filter(
      (field) =>
        !field.read_only &&
        ![...LEADING, ...TRAILING, "category"].includes(field.name) &&
        !NOT_IN_TABLE.has(field.type) &&
        !field.relation?.many,
    )
    .slice(0, MAX_OWN_COLUMNS);
  return [...LEADING.map(byName), ...own, ...TRAILING.map(byName)].filter(
    (field): field is FieldManifest => field !== undefined,
  );
}

/**
 * A cell's layout by its column, so the table fits its box (no sideways scroll at 1280 px): a
 * public id, a status and a number on one line (a number right-aligned, its digits aligned);
 * the name on one line, cut short with its whole value in its title; any other value wraps.
 */
function cellClass(field: FieldManifest): string {
  if (NUMERIC_TYPES.has(field.type)) return "text-right whitespace-nowrap";
  if (["public_id", "name", "status"].includes(field.name)) return "whitespace-nowrap";
  return "min-w-20 max-w-60 break-words";
}

/** How an order reads for a field's type: a time's newest first, a number's highest. */
const DIRECTIONS: Partial<Record<FieldManifest["type"], [string, string]>> = {
  datetime: ["oldest first", "newest first"],
  date: ["oldest first", "newest first"],
  integer: ["lowest first", "highest first"],
  decimal: ["lowest first", "highest first"],
  number: ["lowest first", "highest first"],
};

/** The list's order in words ("Sorted by Created, newest first"), the default's included. */
export function describeOrdering(entity: EntityManifest, ordering: string): string | null {
  const name = ordering.replace(/^-/, "");
  const field = entity.fields.find((candidate) => candidate.name === name);
  if (!field) return null;
  const [ascending, descending] = DIRECTIONS[field.type] ?? ["A to Z", "Z to A"];
  return `Sorted by ${field.label}, ${ordering.startsWith("-") ? descending : ascending}`;
}

function sortState(field: FieldManifest, ordering: string): "ascending" | "descending" | undefined {
  if (ordering === field.name) return "ascending";
  if (ordering === `-${field.name}`) return "descending";
  return undefined;
}

/** A sortable column's header: a button with the column's order, or a faint mark that it has none. */
function SortHeader({
  field,
  ordering,
  onOrder,
}: {
  field: FieldManifest;
  ordering: string;
  onOrder: (ordering: string) => void;
}) {
  if (!field.sortable) return <>{field.label}</>;
  const state = sortState(field, ordering);
  const Arrow = state === "ascending" ? ArrowUp : state === "descending" ? ArrowDown : ArrowUpDown;
  return (
    <button
      className="inline-flex items-center gap-1 rounded hover:text-slate-900 hover:underline"
      onClick={() => onOrder(state === "ascending" ? `-${field.name}` : field.name)}
    >
      {field.label}
      <Arrow
        className={`size-3.5 ${state ? "text-indigo-700" : "text-slate-400"}`}
        aria-hidden="true"
      />
    </button>
  );
}

/** The rows the user ticked, for a bulk action; absent when they may not write. */
export interface Selection {
  ids: ReadonlySet<number>;
  onChange: (ids: Set<number>) => void;
}

export function RecordTable({
  tool,
  entity,
  tools,
  records,
  ordering,
  onOrder,
  selection,
}: {
  tool: ToolManifest;
  entity: EntityManifest;
  tools: ToolManifest[];
  records: EntityRecord[];
  ordering: string;
  onOrder: (ordering: string) => void;
  selection?: Selection;
}) {
  const columns = tableColumns(entity);
  const ordered = describeOrdering(entity, ordering);
  const allSelected =
    records.length > 0 && records.every((record) => selection?.ids.has(record.id));
  const toggle = (id: number) => {
    const ids = new Set(selection?.ids);
    if (ids.has(id)) ids.delete(id);
    else ids.add(id);
    selection?.onChange(ids);
  };
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        {ordered && (
          <caption className="px-3 py-1.5 text-left text-xs text-slate-600">{ordered}</caption>
        )}
        <thead className="bg-slate-50 text-left text-xs font-semibold text-slate-600">
          <tr>
            {selection && (
              <th scope="col" className="w-8 px-3 py-2">
                <input
                  type="checkbox"
                  aria-label="Select every record on this page"
                  className="size-4 rounded border-slate-300"
                  checked={allSelected}
                  onChange={() =>
                    selection.onChange(
                      new Set(allSelected ? [] : records.map((record) => record.id)),
                    )
                  }
                />
              </th>
            )}
            {columns.map((field) => (
              <th
                key={field.name}
                scope="col"
                className={`px-3 py-2 align-bottom ${NUMERIC_TYPES.has(field.type) ? "text-right" : ""}`}
                aria-sort={sortState(field, ordering) ?? (field.sortable ? "none" : undefined)}
              >
                <SortHeader field={field} ordering={ordering} onOrder={onOrder} />
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {records.map((record) => (
            <tr key={record.id} className="hover:bg-slate-50">
              {selection && (
                <td className="px-3 py-2">
                  <input
                    type="checkbox"
                    aria-label={`Select ${record.public_id}`}
                    className="size-4 rounded border-slate-300"
                    checked={selection.ids.has(record.id)}
                    onChange={() => toggle(record.id)}
                  />
                </td>
              )}
              {columns.map((field) => (
                <td key={field.name} className={`px-3 py-2 ${cellClass(field)}`}>
                  {field.name === "public_id" || field.name === "name" ? (
                    <Link
                      className="block max-w-44 truncate font-medium text-indigo-700 hover:underline"
                      title={String(record[field.name])}
                      to={recordRoute(tool, entity, record.public_id)}
                    >
                      {String(record[field.name])}
                    </Link>
                  ) : (
                    <FieldValue
                      field={field}
                      value={record[field.name]}
                      statuses={entity.statuses}
                      tools={tools}
                    />
                  )}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
