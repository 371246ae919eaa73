/** A record's form, for creating or editing: fields, checks and messages from the manifest. */
import { zodResolver } from "@hookform/resolvers/zod";
import type { ReactNode } from "react";
import { useForm } from "react-hook-form";

import { ApiError } from "@/api/client";
import type { EntityManifest, EntityRecord } from "@/api/types";
import { Button } from "@/components/Button";
import { ErrorPanel } from "@/components/Feedback";
import { useSingleFlight } from "@/lib/useSingleFlight";

import { editableFields, formValues, recordSchema, requestBody, type FormValues } from "../fields";
import { FieldInput } from "./FieldInput";

export function RecordForm({
  entity,
  record,
  submitLabel,
  onSubmit,
  onCancel,
  error,
  errorActions,
}: {
  entity: EntityManifest;
  /** The record as last read: the form edits it and sends only what changed. */
  record?: EntityRecord;
  submitLabel: string;
  onSubmit: (body: Record<string, unknown>) => Promise<unknown>;
  onCancel: () => void;
  /** The API's refusal of the last submit: its field messages go under their fields. */
  error: unknown;
  errorActions?: ReactNode;
}) {
  const fields = editableFields(entity);
  const initial = formValues(fields, record);
  const form = useForm<FormValues>({
    resolver: zodResolver(recordSchema(fields, record ? initial : undefined)),
    defaultValues: initial,
  });
  const { dirtyFields, isSubmitting } = form.formState;
  const once = useSingleFlight();

  const submit = form.handleSubmit(async (values) => {
    const changed = record ? (name: string) => Boolean(dirtyFields[name]) : undefined;
    const body = requestBody(fields, values, changed);
    if (record && Object.keys(body).length === 0) return onCancel();
    // The mutation reports its failure through `error`; nothing more to do with it here.
    await once(() => onSubmit(body).catch(() => undefined));
  });

  const apiError = error instanceof ApiError ? error : null;
  const shown = new Set(fields.map((field) => field.name));
  const otherMessages = Object.entries(apiError?.errors ?? {})
    .filter(([name]) => !shown.has(name))
    .flatMap(([name, messages]) => messages.map((message) => `${name}: ${message}`));

  return (
    <form noValidate onSubmit={(event) => void submit(event)} className="max-w-2xl space-y-5">
      {error !== null && error !== undefined && (
        <ErrorPanel error={error}>
          {otherMessages.length > 0 && (
            <ul className="list-disc pl-5">
              {otherMessages.map((message) => (
                <li key={message}>{message}</li>
              ))}
            </ul>
          )}
          {errorActions}
        </ErrorPanel>
      )}
      {fields.map((field) => (
        <FieldInput
          key={field.name}
          field={field}
          control={form.control}
          serverErrors={apiError?.errors[field.name] ?? []}
        />
      ))}
      <div className="flex gap-2">
        <Button type="submit" variant="primary" disabled={isSubmitting}>
          {isSubmitting ? "Saving…" : submitLabel}
        </Button>
        <Button onClick={onCancel}>Cancel</Button>
      </div>
    </form>
  );
}
