/**
 * Editing the ticked records together: the user chooses fields among the record form's,
 * gives each a value through the same input and checks (tags: names to add to each
 * record's, to remove from them, or to replace them with), reads what will be done, and
 * applies it, all or nothing; a refusal names each record that failed.
 */
import { zodResolver } from "@hookform/resolvers/zod";
import { X } from "lucide-react";
import { useEffect, useId, useRef, useState } from "react";
import { useForm, useWatch } from "react-hook-form";

import type { EntityManifest, EntityReference } from "@/api/types";
import { Button } from "@/components/Button";
import { Dialog } from "@/components/Dialog";
import { inputClass, labelClass } from "@/components/styles";
import { usePeopleNames } from "@/features/people/names";
import { linksUnreadable, useManifest } from "@/features/tools/api";
import { useSingleFlight } from "@/lib/useSingleFlight";

import { useBulkUpdate } from "../api";
import { bulkEdit, countRecords, describeBulkUpdate, type TagsMode } from "../bulk";
import { blankValues, editableFields, recordSchema, type FormValues } from "../fields";
import { BulkDialogEnd } from "./BulkWriteError";
import { UnpickedContext, useUnpicked } from "../unpicked";
import { FieldInput } from "./FieldInput";

/** Where focus goes after the chosen fields change: the field just added, or the picker. */
type FocusTarget = { field: string } | { picker: true };

const TAGS_MODES: { value: TagsMode; label: string }[] = [
  { value: "add", label: "Add to each record's tags" },
  { value: "remove", label: "Remove from each record's tags" },
  { value: "replace", label: "Replace each record's tags" },
];

export function BulkEditDialog({
  entity,
  records,
  onApplied,
  onClose,
}: {
  entity: EntityManifest;
  /** The ticked records, in the order they are sent; fixed while the dialog is open. */
  records: EntityReference[];
  onApplied: (updated: number) => void;
  onClose: () => void;
}) {
  // No two records may share a unique field's value: it is set on one record at a time.
  // A link to a tool the caller may not read is not theirs to set (the API refuses it).
  const tools = useManifest().data;
  const writable = editableFields(entity).filter(
    (field) => !(tools && linksUnreadable(tools, field)),
  );
  const fields = writable.filter((field) => !field.unique || records.length === 1);
  const oneAtATime = writable.filter((field) => !fields.includes(field));
  const [chosen, setChosen] = useState<string[]>([]);
  // Adding leaves each record's other tags; replacing them is the one to pick on purpose.
  const [tagsMode, setTagsMode] = useState<TagsMode>("add");
  // In the order chosen: a field added goes under those already there.
  const picked = chosen.flatMap((name) => fields.filter((field) => field.name === name));
  const remaining = fields.filter((field) => !chosen.includes(field.name));
  const form = useForm<FormValues>({
    // No record's value passes unchecked: every record gets the value given.
    resolver: zodResolver(recordSchema(picked, "many")),
    // Blank, not the fields' defaults: one click must not set every record to a default.
    defaultValues: blankValues(fields),
    // A field taken off the list takes its value with it; chosen again, it starts afresh.
    shouldUnregister: true,
  });
  const values = useWatch({ control: form.control }) as FormValues;
  // The people chosen, by name in the summary (their pickers have read them already).
  const personName = usePeopleNames(
    picked.flatMap((field) => {
      const id = field.type === "user" ? values[field.name] : undefined;
      return typeof id === "string" && id ? [id] : [];
    }),
  );
  const update = useBulkUpdate(entity);
  const once = useSingleFlight();
  const unpicked = useUnpicked();
  const busy = update.isPending;

  const picker = useRef<HTMLSelectElement>(null);
  const pickerId = useId();
  const [focusTarget, setFocusTarget] = useState<FocusTarget | null>(null);
  useEffect(() => {
    if (!focusTarget) return;
    if ("field" in focusTarget) form.setFocus(focusTarget.field);
    else picker.current?.focus();
  }, [focusTarget, form]);

  const submit = form.handleSubmit((checked) =>
    once(async () => {
      // Text typed in a picker and never picked: said under its field, and nothing sent.
      if (unpicked.holds(form.setFocus)) return;
      const edit = bulkEdit(picked, checked, tagsMode);
      const tags = picked.find((field) => field.type === "tags");
      if (tags && edit.tags && edit.tags.add.length + edit.tags.remove.length === 0) {
        form.setError(tags.name, { message: "Name at least one tag." }, { shouldFocus: true });
        return;
      }
      // A refusal is shown from the mutation's error; the dialog stays, the values kept.
      const updated = await update.mutateAsync({ records, ...edit }).catch(() => null);
      if (updated !== null) onApplied(updated);
    }),
  );

  return (
    <Dialog
      title={`Edit ${countRecords(entity, records.length)}`}
      description="Each field you choose is set to the same value on every selected record; the others stay as they are."
      onClose={onClose}
      dismissible={!busy}
      initialFocus={picker}
    >
      <form noValidate onSubmit={unpicked.onSubmit(submit)} className="space-y-4">
        <UnpickedContext value={unpicked}>
          {picked.map((field) => (
            <div key={field.name} className="flex items-start gap-2">
              <div className="min-w-0 flex-1 space-y-1">
                {field.type === "tags" && (
                  <select
                    aria-label={`How to change ${field.label}`}
                    className={inputClass}
                    value={tagsMode}
                    disabled={busy}
                    onChange={(event) => setTagsMode(event.target.value as TagsMode)}
                  >
                    {TAGS_MODES.map((mode) => (
                      <option key={mode.value} value={mode.value}>
                        {mode.label}
                      </option>
                    ))}
                  </select>
                )}
                <FieldInput field={field} control={form.control} serverErrors={[]} />
              </div>
              <Button
                variant="ghost"
                aria-label={`Leave ${field.label} as it is`}
                title={`Leave ${field.label} as it is`}
                disabled={busy}
                onClick={() => {
                  setChosen(chosen.filter((name) => name !== field.name));
                  setFocusTarget({ picker: true });
                }}
              >
                <X className="size-4" aria-hidden="true" />
              </Button>
            </div>
          ))}
        </UnpickedContext>
        <div>
          <label htmlFor={pickerId} className={labelClass}>
            {picked.length === 0 ? "Field to change" : "Another field to change"}
          </label>
          <select
            id={pickerId}
            ref={picker}
            className={`${inputClass} mt-1`}
            value=""
            disabled={busy || remaining.length === 0}
            onChange={(event) => {
              const name = event.target.value;
              if (!name) return;
              setChosen([...chosen, name]);
              setFocusTarget({ field: name });
            }}
          >
            <option value="">
              {remaining.length === 0 ? "Every field is chosen" : "Choose a field…"}
            </option>
            {remaining.map((field) => (
              <option key={field.name} value={field.name}>
                {field.label}
              </option>
            ))}
          </select>
          {oneAtATime.length > 0 && (
            <p className="mt-1 text-xs text-slate-500">
              {oneAtATime.map((field) => field.label).join(", ")}: one record at a time, as no two{" "}
              {entity.label_plural.toLowerCase()} may share a value.
            </p>
          )}
        </div>
        {picked.length > 0 && (
          <p className="rounded-md bg-slate-50 p-3 text-sm break-words text-slate-700">
            {describeBulkUpdate(entity, picked, values, records.length, tagsMode, personName)}
          </p>
        )}
        <BulkDialogEnd
          entity={entity}
          error={update.error}
          sent={update.variables?.records ?? records}
          busy={busy}
          onClose={onClose}
        >
          <Button type="submit" variant="primary" disabled={busy || picked.length === 0}>
            {busy ? "Applying…" : "Apply"}
          </Button>
        </BulkDialogEnd>
      </form>
    </Dialog>
  );
}
