/** One field's control in the list's filter panel, chosen by the lookups the manifest lists. */
import { useState, type ComponentProps, type ReactNode } from "react";

import type { FieldManifest } from "@/api/types";
import { DebouncedInput } from "@/components/DebouncedInput";
import { FieldMessages } from "@/components/FormMessages";
import { inputClass, labelClass } from "@/components/styles";
import { UserPicker } from "@/features/people/UserPicker";

import { filterProblem, splitList } from "../fields";
import { localToUtc, toLocalInput } from "../times";
import { lookupLabel, lookupParam } from "../listParams";
import { RecordPicker } from "./RecordPicker";

export type Update = (changes: Record<string, string | string[]>) => void;

interface FilterProps {
  params: URLSearchParams;
  update: Update;
  /** The API's reasons for refusing the list's query, by parameter. */
  refused?: Record<string, string[]>;
}

/**
 * A filter's typed value. A value `check` finds wrong is not sent: the input is marked invalid,
 * with the reason under it; so is the value sent when the API refused it (`refused`).
 */
function CheckedInput({
  id,
  check,
  refused = [],
  onCommit,
  ...props
}: ComponentProps<typeof DebouncedInput> & {
  id: string;
  check?: (text: string) => string | null;
  refused?: string[];
}) {
  const [problem, setProblem] = useState<string | null>(null);
  const messages = problem ? [problem] : refused;
  const messagesId = `${id}-messages`;
  return (
    <>
      <DebouncedInput
        {...props}
        id={id}
        aria-invalid={messages.length > 0}
        aria-describedby={messages.length > 0 ? messagesId : undefined}
        onInput={() => setProblem(null)}
        onCommit={(value) => {
          const found = check?.(value) ?? null;
          setProblem(found);
          if (!found) onCommit(value);
        }}
      />
      <FieldMessages id={messagesId} messages={messages} />
    </>
  );
}

/** One end of a range, labelled "from" or "to" on screen: what the input shows, and what the API is sent (times in UTC). */
function Bound({
  field,
  name,
  legend,
  end,
  params,
  update,
  refused,
}: FilterProps & { field: FieldManifest; name: string; legend: string; end: "from" | "to" }) {
  const stored = params.get(name) ?? "";
  const id = `filter-${name}`;
  const check = (text: string) => filterProblem(field, text);
  const props = {
    id,
    "aria-label": `${legend} ${end}`,
    className: `${inputClass} min-w-0`,
    check,
    refused: refused?.[name],
  };
  return (
    <div className="min-w-0">
      <label htmlFor={id} className="block text-xs text-slate-600">
        {end}
      </label>
      {field.type === "datetime" ? (
        // Shown in the user's time, sent in UTC once the user pauses on a real time (a year
        // being typed passes through 0002, 0020 …, which must not reach the URL key by key).
        <CheckedInput
          {...props}
          type="datetime-local"
          value={stored ? toLocalInput(stored) : ""}
          normalize={(text) => text}
          delay={800}
          onCommit={(local) => update({ [name]: local ? (localToUtc(local) ?? "") : "" })}
        />
      ) : (
        <CheckedInput
          {...props}
          type={field.type === "date" ? "date" : "text"}
          inputMode={field.type === "date" ? undefined : "decimal"}
          value={stored}
          onCommit={(value) => update({ [name]: value })}
        />
      )}
    </div>
  );
}

/** From and to: a number's, a date's or a time's range, each end optional. */
export function RangeFilter({
  legend,
  field,
  from,
  to,
  ...props
}: FilterProps & { legend: string; field: FieldManifest; from: string; to: string }) {
  return (
    <fieldset className="min-w-0">
      <legend className={labelClass}>{legend}</legend>
      <div className="mt-1 grid grid-cols-2 gap-2">
        <Bound field={field} name={from} legend={legend} end="from" {...props} />
        <Bound field={field} name={to} legend={legend} end="to" {...props} />
      </div>
    </fieldset>
  );
}

export function FieldFilter({
  field,
  params,
  update,
  refused,
}: FilterProps & { field: FieldManifest }) {
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
        field={field}
        from={lookupParam(field, "gte")}
        to={lookupParam(field, "lte")}
        params={params}
        update={update}
        refused={refused}
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
      label={lookupLabel(field, lookup)}
      name={name}
      params={params}
      update={update}
      refused={refused}
      check={(text) => filterProblem(field, text)}
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
  refused,
  check,
  several = false,
}: FilterProps & {
  id: string;
  label: string;
  name: string;
  several?: boolean;
  check?: (text: string) => string | null;
}) {
  return (
    <Labelled id={id} label={label}>
      <CheckedInput
        id={id}
        className={inputClass}
        value={params.getAll(name).join(", ")}
        normalize={several ? (text) => splitList(text).join(", ") : undefined}
        check={check}
        refused={refused?.[name]}
        onCommit={(value) => update({ [name]: several ? splitList(value) : value })}
      />
    </Labelled>
  );
}
