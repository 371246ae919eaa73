/** A record's form, for creating or editing: fields, checks and messages from the manifest. */
import { zodResolver } from "@hookform/resolvers/zod";
import { useState, type ReactNode } from "react";
import { useForm, type UseFormReturn } from "react-hook-form";

import { ApiError } from "@/api/client";
import type { EntityManifest, EntityRecord, FieldManifest } from "@/api/types";
import { Button } from "@/components/Button";
import { ErrorPanel } from "@/components/Feedback";
import { useConfirmLeave } from "@/lib/useConfirmLeave";
import { useSingleFlight } from "@/lib/useSingleFlight";

import {
  checkFields,
  editableFields,
  formValues,
  linkRefusals,
  recordSchema,
  refusedFields,
  requestBody,
  type FormValues,
} from "../fields";
import { UnpickedContext, useUnpicked } from "../unpicked";
import { FieldInput } from "./FieldInput";

/** The form's state: its fields, the record it edits (none to create one), and its values. */
export interface RecordFormState {
  fields: FieldManifest[];
  /** The record as last read: the form edits it and sends only what changed. */
  record?: EntityRecord;
  form: UseFormReturn<FormValues>;
}

/**
 * The form of `entity`, holding `record`'s values (or each field's default, under `preset`:
 * a new record's values from its list's filters). A newer
 * `record` changes what passes unchecked and what is compared, not the values: the edit page
 * puts them on top of it itself (`form.reset`).
 */
export function useRecordForm(
  entity: EntityManifest,
  record?: EntityRecord,
  preset?: FormValues,
): RecordFormState {
  const fields = editableFields(entity);
  const initial = formValues(fields, record);
  const form = useForm<FormValues>({
    resolver: zodResolver(recordSchema(fields, record ? initial : undefined)),
    defaultValues: { ...initial, ...preset },
  });
  return { fields, record, form };
}

export function RecordForm({
  state,
  submitLabel,
  onSubmit,
  onCancel,
  error,
  notice,
  fieldNote,
}: {
  state: RecordFormState;
  submitLabel: string;
  /** Rejects when nothing was saved: leaving the page asks again. */
  onSubmit: (body: Record<string, unknown>) => Promise<unknown>;
  onCancel: () => void;
  /** The API's refusal of the last submit: its field messages go under their fields. */
  error: unknown;
  /** Above the fields, inside the form (so a submit button in it submits the form). */
  notice?: ReactNode;
  /** Below a field's input. */
  fieldNote?: (name: string) => ReactNode;
}) {
  const { fields, record, form } = state;
  const { dirtyFields, isDirty, isSubmitting } = form.formState;
  const once = useSingleFlight();
  const unpicked = useUnpicked();
  // The last body sent: a refusal names a many-to-many link's records by their place in it.
  const [sent, setSent] = useState<Record<string, unknown>>({});
  // A save under way may lead to another page: no loss of the user's work.
  const setSaving = useConfirmLeave(isDirty, "Leave this page? Your changes are not saved.");

  const submit = form.handleSubmit(async (values) => {
    // Text typed in a picker and never picked: said under its field, and nothing sent.
    if (unpicked.holds(form.setFocus)) return;
    const changed = record ? (name: string) => Boolean(dirtyFields[name]) : undefined;
    const body = requestBody(fields, values, changed);
    if (record && Object.keys(body).length === 0) return onCancel();
    await once(async () => {
      setSent(body);
      setSaving(true);
      // The mutation reports its failure through `error`; the user's work stays guarded.
      await onSubmit(body).catch(() => setSaving(false));
    });
  });

  const apiError = error instanceof ApiError ? error : null;
  const shown = new Set(fields.map((field) => field.name));
  const otherMessages = Object.entries(apiError?.errors ?? {})
    .filter(([name]) => !shown.has(name))
    .flatMap(([name, messages]) => messages.map((message) => `${name}: ${message}`));
  // The fields say what is wrong with them: the banner names them as the form labels them.
  const refused = refusedFields(fields, apiError?.status === 400 ? apiError : null);

  return (
    <form noValidate onSubmit={unpicked.onSubmit(submit)} className="max-w-2xl space-y-5">
      {notice}
      {error !== null && error !== undefined && (
        <ErrorPanel error={error} detail={checkFields(refused.filter(({ field }) => field))}>
          {otherMessages.length > 0 && (
            <ul className="list-disc pl-5">
              {otherMessages.map((message) => (
                <li key={message}>{message}</li>
              ))}
            </ul>
          )}
        </ErrorPanel>
      )}
      <UnpickedContext value={unpicked}>
        {fields.map((field) => {
          const { byRecord, others } = linkRefusals(apiError, field.name, sent[field.name]);
          return (
            <div key={field.name}>
              <FieldInput
                field={field}
                control={form.control}
                serverErrors={others}
                refusedLinks={byRecord}
              />
              {fieldNote?.(field.name)}
            </div>
          );
        })}
      </UnpickedContext>
      <div className="flex gap-2">
        <Button type="submit" variant="primary" disabled={isSubmitting}>
          {isSubmitting ? "Saving…" : submitLabel}
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
      </div>
    </form>
  );
}
