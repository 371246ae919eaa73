/** The input for one field of a record's form, chosen by the field's type in the manifest. */
import { useId, type ReactNode } from "react";
import { useController, type Control } from "react-hook-form";

import type { EntityReference, FieldManifest } from "@/api/types";
import { FieldMessages } from "@/components/FormMessages";
import { inputClass, labelClass } from "@/components/styles";
import { UserField } from "@/features/people/UserField";
import { useLinkedEntity } from "@/features/tools/api";

import type { FormValues } from "../fields";
import { referenceLabel } from "../shownValues";
import { repeatedTimeNote } from "../times";
import { useUnpickedField } from "../unpicked";
import { LinkField } from "./LinkField";

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

function hint(field: FieldManifest, unreadable: boolean): string {
  if (unreadable) return "You cannot read these records, so this link is not yours to change.";
  if (field.relation?.many) return "Type a name or public id to add a record.";
  if (field.relation) return "Type a name or public id, then choose the record.";
  // People are found by the name others see, never by their email (docs/auth.md).
  if (field.type === "user") return field.help_text || "Type part of their name.";
  return [field.help_text, HINTS[field.type]].filter(Boolean).join(" ");
}

export function FieldInput({
  field,
  control,
  serverErrors,
  refusedLinks,
}: {
  field: FieldManifest;
  control: Control<FormValues>;
  serverErrors: string[];
  /** A many-to-many link's records the API refused, by id: their chips say why. */
  refusedLinks?: ReadonlyMap<number, string[]>;
}) {
  const { field: input, fieldState } = useController({ name: field.name, control });
  const id = useId();
  const unpicked = useUnpickedField(field);
  // A link to a tool the caller may not read: shown as the record holds it, never picked.
  const unreadable = useLinkedEntity(field) === null;
  const messages = [unpicked.message, fieldState.error?.message, ...serverErrors].filter(
    Boolean,
  ) as string[];
  const invalid = messages.length > 0 || Boolean(refusedLinks?.size);
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
  // A time the clocks show twice, as the user typed it (not a record's, kept as it was).
  const repeated = field.type === "datetime" && fieldState.isDirty ? repeatedTimeNote(text) : null;
  // The form's focus (an error's field, a field added to a bulk edit) goes to a picker's search.
  const focusSearch = (box: HTMLDivElement | null) =>
    input.ref(box && { focus: () => box.querySelector("input")?.focus() });

  let widget: ReactNode;
  if (unreadable) {
    const linked = input.value as EntityReference[];
    widget = (
      <input
        id={id}
        readOnly
        aria-describedby={describedBy}
        className={`${inputClass} bg-slate-50 text-slate-700`}
        value={linked.length > 0 ? linked.map(referenceLabel).join(", ") : "—"}
      />
    );
  } else if (field.relation) {
    widget = (
      <div ref={focusSearch} onBlur={unpicked.onLeave}>
        <LinkField
          id={id}
          apiPath={field.relation.api_path}
          label={field.label}
          many={field.relation.many}
          required={field.required}
          value={input.value as EntityReference[]}
          describedBy={describedBy}
          invalid={invalid}
          refused={refusedLinks}
          onChange={input.onChange}
          onTextChange={unpicked.onText}
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
      <div ref={focusSearch} onBlur={unpicked.onLeave}>
        <UserField
          id={id}
          value={text}
          required={field.required}
          describedBy={describedBy}
          invalid={invalid}
          onChange={(value) => input.onChange(value)}
          onTextChange={unpicked.onText}
        />
      </div>
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
      <input
        {...common}
        type={INPUT_TYPES[field.type] ?? "text"}
        inputMode={numeric ? (field.type === "integer" ? "numeric" : "decimal") : undefined}
        autoComplete="off"
        className={inputClass}
        value={text}
        onChange={(event) => input.onChange(event.target.value)}
      />
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
        {[hint(field, unreadable), repeated].filter(Boolean).join(" ")}
      </p>
      <FieldMessages id={`${id}-errors`} messages={messages} />
    </div>
  );
}
