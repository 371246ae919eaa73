/** One field's control in the list's filter panel, chosen by the lookups the manifest lists. */
import type { ReactNode } from "react";

import type { FieldManifest } from "@/api/types";
import { DebouncedInput } from "@/components/DebouncedInput";
import { inputClass, labelClass } from "@/components/styles";
import { UserPicker } from "@/features/people/UserPicker";

import { localToUtc, splitList, toLocalInput } from "../fields";
import { lookupParam } from "../listParams";
import { RecordPicker } from "./RecordPicker";

export type Update = (changes: Record<string, string | string[]>) => void;

interface FilterProps {
  params: URLSearchParams;
  update: Update;
}

/** One end of a range: what the input shows, and what the API is sent (times in UTC). */
function Bound({
  type,
  name,
  label,
  params,
  update,
}: FilterProps & { type: FieldManifest["type"]; name: string; label: string }) {
  const stored = params.get(name) ?? "";
  if (type === "datetime") {
    // Shown in the user's time, sent in UTC once the user pauses on a real time (a year
    // being typed passes through 0002, 0020 …, which must not reach the URL key by key).
    return (
      <DebouncedInput
        aria-label={label}
        type="datetime-local"
        className={`${inputClass} min-w-0`}
        value={stored ? toLocalInput(stored) : ""}
        normalize={(text) => text}
        delay={800}
        onCommit={(local) => {
          if (!local) return update({ [name]: "" });
          const utc = localToUtc(local);
          if (utc) update({ [name]: utc });
        }}
      />
    );
  }
  return (
    <DebouncedInput
      aria-label={label}
      type={type === "date" ? "date" : "text"}
      inputMode={type === "date" ? undefined : "decimal"}
      placeholder={label.endsWith("from") ? "from" : "to"}
      className={`${inputClass} min-w-0`}
      value={stored}
      onCommit={(value) => update({ [name]: value })}
    />
  );
}

/** From and to: a number's, a date's or a time's range, each end optional. */
export function RangeFilter({
  legend,
  type,
  from,
  to,
  params,
  update,
}: FilterProps & { legend: string; type: FieldManifest["type"]; from: string; to: string }) {
  return (
    <fieldset className="min-w-0">
      <legend className={labelClass}>{legend}</legend>
      <div className="mt-1 flex gap-2">
        <Bound type={type} name={from} label={`${legend} from`} params={params} update={update} />
        <Bound type={type} name={to} label={`${legend} to`} params={params} update={update} />
      </div>
    </fieldset>
  );
}

export function FieldFilter({ field, params, update }: FilterProps & { field: FieldManifest }) {
  const lookups = field.filter_lookups;
  if (field.type === "user" && lookups.includes("exact")) {
    return <UserFilter name={field.name} label={field.label} params={params} update={update} />;
  }
  if (field.relation?.api_path && lookups.includes("exact")) {
    const apiPath = field.relation.api_path;
    return <RelationFilter field={field} apiPath={apiPath} params={params} update={update} />;
  }
  if (lookups.includes("gte") && lookups.includes("lte")) {
    return (
      <RangeFilter
        legend={field.label}
        type={field.type}
        from={lookupParam(field, "gte")}
        to={lookupParam(field, "lte")}
        params={params}
        update={update}
      />
    );
  }
  const id = `filter-${field.name}`;
  if (lookups.includes("exact") && (field.choices || field.type === "boolean")) {
    const options = field.choices ?? [
      { value: "true", label: "Yes" },
      { value: "false", label: "No" },
    ];
    return (
      <Labelled id={id} label={field.label}>
        <select
          id={id}
          className={inputClass}
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
      </Labelled>
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
    <TextFilter
      id={id}
      label={`${field.label} ${lookup === "icontains" ? "contains" : "is"}`}
      name={name}
      params={params}
      update={update}
    />
  );
}

/** A filter's label above its control. */
export function Labelled({
  id,
  label,
  children,
}: {
  id: string;
  label: string;
  children: ReactNode;
}) {
  return (
    <div>
      <label htmlFor={id} className={labelClass}>
        {label}
      </label>
      <div className="mt-1">{children}</div>
    </div>
  );
}

/**
 * A relation is filtered by the linked record's id (`?component=12`), which nobody types:
 * the user picks the record by its name or public id. The list's chips name the record
 * chosen and remove it (ListFilters).
 */
function RelationFilter({
  field,
  apiPath,
  params,
  update,
}: FilterProps & { field: FieldManifest; apiPath: string }) {
  const id = `filter-${field.name}`;
  return (
    <Labelled id={id} label={field.label}>
      <RecordPicker
        id={id}
        apiPath={apiPath}
        placeholder={params.get(field.name) ? "Choose another" : "Type a name or id"}
        onPick={(record) => update({ [field.name]: String(record.id) })}
      />
    </Labelled>
  );
}

/** A person, picked by name; filtered by their id (`?owner=12`), shown by name in a chip. */
export function UserFilter({
  name,
  label,
  params,
  update,
}: FilterProps & { name: string; label: string }) {
  const id = `filter-${name}`;
  return (
    <Labelled id={id} label={label}>
      <UserPicker
        id={id}
        placeholder={params.get(name) ? "Choose someone else" : "Type a name"}
        onPick={(user) => update({ [name]: String(user.id) })}
      />
    </Labelled>
  );
}

/** A typed value; `several` takes a comma-separated list, each item a repeat of the parameter. */
export function TextFilter({
  id,
  label,
  name,
  params,
  update,
  several = false,
}: FilterProps & { id: string; label: string; name: string; several?: boolean }) {
  return (
    <Labelled id={id} label={label}>
      <DebouncedInput
        id={id}
        className={inputClass}
        value={params.getAll(name).join(", ")}
        normalize={several ? (text) => splitList(text).join(", ") : undefined}
        onCommit={(value) => update({ [name]: several ? splitList(value) : value })}
      />
    </Labelled>
  );
}
