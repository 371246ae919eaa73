/** The list's filters, derived from what the manifest says each field can be filtered by. */
import { useState } from "react";

import type { EntityManifest, FieldManifest } from "@/api/types";
import { Button } from "@/components/Button";
import { DebouncedInput } from "@/components/DebouncedInput";
import { compactInputClass, inputClass, labelClass } from "@/components/styles";

import { toLocalInput } from "../fields";
import { lookupParam } from "../listParams";

type Update = (changes: Record<string, string>) => void;

interface FilterProps {
  field: FieldManifest;
  params: URLSearchParams;
  update: Update;
}

const RANGE_INPUT: Partial<Record<FieldManifest["type"], string>> = {
  date: "date",
  datetime: "datetime-local",
};

/** A bound of a range: what the input shows, and what the API is sent (times in UTC). */
function RangeBound({ field, params, update, lookup }: FilterProps & { lookup: "gte" | "lte" }) {
  const name = lookupParam(field, lookup);
  const label = `${field.label} ${lookup === "gte" ? "from" : "to"}`;
  const stored = params.get(name) ?? "";
  if (field.type === "datetime") {
    return (
      <input
        aria-label={label}
        type="datetime-local"
        className={inputClass}
        value={stored ? toLocalInput(stored) : ""}
        onChange={(event) =>
          update({ [name]: event.target.value ? new Date(event.target.value).toISOString() : "" })
        }
      />
    );
  }
  return (
    <DebouncedInput
      aria-label={label}
      type={RANGE_INPUT[field.type] ?? "text"}
      inputMode={field.type === "date" ? undefined : "decimal"}
      placeholder={lookup === "gte" ? "from" : "to"}
      className={inputClass}
      value={stored}
      onCommit={(value) => update({ [name]: value.trim() })}
    />
  );
}

function FieldFilter({ field, params, update }: FilterProps) {
  const lookups = field.filter_lookups;
  if (lookups.includes("gte") && lookups.includes("lte")) {
    return (
      <fieldset>
        <legend className={labelClass}>{field.label}</legend>
        <div className="mt-1 flex gap-2">
          <RangeBound field={field} params={params} update={update} lookup="gte" />
          <RangeBound field={field} params={params} update={update} lookup="lte" />
        </div>
      </fieldset>
    );
  }
  const id = `filter-${field.name}`;
  if (lookups.includes("exact") && (field.choices || field.type === "boolean")) {
    const options = field.choices ?? [
      { value: "true", label: "Yes" },
      { value: "false", label: "No" },
    ];
    return (
      <div>
        <label htmlFor={id} className={labelClass}>
          {field.label}
        </label>
        <select
          id={id}
          className={`mt-1 ${inputClass}`}
          value={params.get(field.name) ?? ""}
          onChange={(event) => update({ [field.name]: event.target.value })}
        >
          <option value="">Any</option>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
    );
  }
  const lookup = lookups.includes("icontains")
    ? "icontains"
    : lookups.includes("exact")
      ? "exact"
      : null;
  if (!lookup) return null;
  const name = lookupParam(field, lookup);
  return (
    <div>
      <label htmlFor={id} className={labelClass}>
        {field.label} {lookup === "icontains" ? "contains" : "is"}
      </label>
      <DebouncedInput
        id={id}
        className={`mt-1 ${inputClass}`}
        value={params.get(name) ?? ""}
        onCommit={(value) => update({ [name]: value.trim() })}
      />
    </div>
  );
}

/**
 * The fields the panel offers: a tool's own, plus category, filtered by the lookups the
 * manifest lists. Status, search and archived have their own controls; relations and
 * users are filtered by id, which a person does not type.
 */
function filterableFields(entity: EntityManifest): FieldManifest[] {
  return entity.fields.filter(
    (field) =>
      field.filter_lookups.length > 0 &&
      field.name !== "status" &&
      field.type !== "relation" &&
      field.type !== "user",
  );
}

export function ListFilters({
  entity,
  params,
  update,
}: {
  entity: EntityManifest;
  params: URLSearchParams;
  update: Update;
}) {
  const fields = filterableFields(entity);
  const active = [...fields.map((field) => field.name), "tag"].filter((name) =>
    [...params.keys()].some((key) => key === name || key.startsWith(`${name}__`)),
  );
  const [open, setOpen] = useState(active.length > 0);
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
            placeholder={`Search ${entity.label_plural.toLowerCase()} by name or id`}
            className={inputClass}
            value={params.get("search") ?? ""}
            onCommit={(value) => update({ search: value.trim() })}
          />
        </div>
        <div>
          <label htmlFor="filter-status" className="sr-only">
            Status
          </label>
          <select
            id="filter-status"
            className={compactInputClass}
            value={params.get("status") ?? ""}
            onChange={(event) => update({ status: event.target.value })}
          >
            <option value="">Any status</option>
            {entity.statuses.map((status) => (
              <option key={status.value} value={status.value}>
                {status.label}
              </option>
            ))}
          </select>
        </div>
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input
            type="checkbox"
            className="size-4 rounded border-slate-300"
            checked={params.get("include_archived") === "true"}
            onChange={(event) => update({ include_archived: event.target.checked ? "true" : "" })}
          />
          Include archived
        </label>
        {(fields.length > 0 || entity.filters.includes("tag")) && (
          <Button aria-expanded={open} onClick={() => setOpen(!open)}>
            Filters{active.length > 0 ? ` (${active.length})` : ""}
          </Button>
        )}
      </div>
      {open && (
        <div className="grid gap-3 rounded-md border border-slate-200 bg-white p-3 sm:grid-cols-2 lg:grid-cols-3">
          {fields.map((field) => (
            <FieldFilter key={field.name} field={field} params={params} update={update} />
          ))}
          {entity.filters.includes("tag") && (
            <div>
              <label htmlFor="filter-tag" className={labelClass}>
                Tagged
              </label>
              <DebouncedInput
                id="filter-tag"
                className={`mt-1 ${inputClass}`}
                value={params.get("tag") ?? ""}
                onCommit={(value) => update({ tag: value.trim() })}
              />
            </div>
          )}
        </div>
      )}
    </div>
  );
}
