/** The input for one field of a record's form, chosen by the field's type in the manifest. */
import { useId, useState, type ReactNode } from "react";
import { useController, type Control } from "react-hook-form";

import type { EntityReference, FieldManifest } from "@/api/types";
import { inputClass, labelClass } from "@/components/styles";
import { UserField } from "@/features/people/UserField";
import { useDebouncedValue } from "@/lib/useDebouncedValue";

import { useRecordSuggestions } from "../api";
import type { FormValues } from "../fields";
import { MultiRecordPicker } from "./MultiRecordPicker";

const INPUT_TYPES: Partial<Record<FieldManifest["type"], string>> = {
  email: "email",
  url: "url",
  date: "date",
  time: "time",
  datetime: "datetime-local",
};

const HINTS: Partial<Record<FieldManifest["type"], string>> = {
  tags: "Separate tags with commas.",
  json: "JSON.",
};

function hint(field: FieldManifest): string {
  if (field.relation?.many) return "Type a name or public id to add a record.";
  if (field.relation) return "A public id; type a name to search.";
  if (field.type === "user") return field.help_text || "Type part of a name or email.";
  return [field.help_text, HINTS[field.type]].filter(Boolean).join(" ");
}

/** Suggestions for a relation: records of the linked entity whose name or id matches. */
function RelationOptions({
  id,
  apiPath,
  term,
}: {
  id: string;
  apiPath: string | null;
  term: string;
}) {
  const typed = useDebouncedValue(term.split(",").pop()?.trim() ?? "");
  const suggestions = useRecordSuggestions(apiPath, typed);
  return (
    <datalist id={id}>
      {suggestions.data?.map((record) => (
        <option key={record.id} value={record.public_id}>
          {record.name}
        </option>
      ))}
    </datalist>
  );
}

export function FieldInput({
  field,
  control,
  serverErrors,
}: {
  field: FieldManifest;
  control: Control<FormValues>;
  serverErrors: string[];
}) {
  const { field: input, fieldState } = useController({ name: field.name, control });
  const id = useId();
  const [term, setTerm] = useState("");
  const messages = [fieldState.error?.message, ...serverErrors].filter(Boolean) as string[];
  const invalid = messages.length > 0;
  const describedBy = `${id}-hint ${id}-errors`;
  const common = {
    id,
    name: input.name,
    onBlur: input.onBlur,
    ref: input.ref,
    "aria-invalid": invalid,
    "aria-describedby": describedBy,
  };
  const text = typeof input.value === "string" ? input.value : "";

  let widget: ReactNode;
  if (field.relation?.many && field.relation.api_path) {
    const apiPath = field.relation.api_path;
    widget = (
      // The form's focus (an error's field, a field added to a bulk edit) goes to the search.
      <div ref={(box) => input.ref(box && { focus: () => box.querySelector("input")?.focus() })}>
        <MultiRecordPicker
          id={id}
          apiPath={apiPath}
          label={field.label}
          value={input.value as EntityReference[]}
          describedBy={describedBy}
          onChange={input.onChange}
        />
      </div>
    );
  } else if (field.type === "boolean") {
    widget = (
      <input
        {...common}
        type="checkbox"
        className="size-4 rounded border-slate-300"
        checked={input.value === true}
        onChange={(event) => input.onChange(event.target.checked)}
      />
    );
  } else if (field.type === "user") {
    widget = (
      <UserField
        id={id}
        value={text}
        required={field.required}
        onChange={(value) => input.onChange(value)}
      />
    );
  } else if (field.type === "text" || field.type === "json") {
    widget = (
      <textarea
        {...common}
        rows={field.type === "json" ? 6 : 4}
        className={`${inputClass} ${field.type === "json" ? "font-mono" : ""}`}
        value={text}
        onChange={(event) => input.onChange(event.target.value)}
      />
    );
  } else if (field.choices) {
    widget = (
      <select
        {...common}
        className={inputClass}
        value={text}
        onChange={(event) => input.onChange(event.target.value)}
      >
        <option value="">{field.required ? "Choose…" : "—"}</option>
        {field.choices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </select>
    );
  } else {
    const numeric = ["integer", "decimal", "number"].includes(field.type);
    widget = (
      <>
        <input
          {...common}
          type={INPUT_TYPES[field.type] ?? "text"}
          inputMode={numeric ? (field.type === "integer" ? "numeric" : "decimal") : undefined}
          list={field.relation ? `${id}-options` : undefined}
          autoComplete="off"
          className={inputClass}
          value={text}
          onChange={(event) => {
            input.onChange(event.target.value);
            if (field.relation) setTerm(event.target.value);
          }}
        />
        {field.relation && (
          <RelationOptions id={`${id}-options`} apiPath={field.relation.api_path} term={term} />
        )}
      </>
    );
  }

  return (
    <div className={field.type === "boolean" ? "flex items-center gap-2" : ""}>
      <label htmlFor={id} className={labelClass}>
        {field.label}
        {field.required && <span className="text-red-600"> *</span>}
      </label>
      <div className={field.type === "boolean" ? "order-first" : "mt-1"}>{widget}</div>
      <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">
        {hint(field)}
      </p>
      <div id={`${id}-errors`} aria-live="polite">
        {messages.map((message) => (
          <p key={message} className="mt-1 text-xs text-red-700">
            {message}
          </p>
        ))}
      </div>
    </div>
  );
}
