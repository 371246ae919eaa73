/**
 * A view's name and sharing in a dialog, checked as the API checks them; what the API still
 * refuses shows under its field (a name the caller already gave a view of this entity, a
 * parameter of the query), anything else above them.
 */
import { zodResolver } from "@hookform/resolvers/zod";
import { useId, useRef } from "react";
import { useForm } from "react-hook-form";

import { ApiError } from "@/api/client";
import { Button } from "@/components/Button";
import { Dialog } from "@/components/Dialog";
import { FieldMessages, FormRefusal } from "@/components/FormMessages";
import { inputClass, labelClass } from "@/components/styles";
import { useSingleFlight } from "@/lib/useSingleFlight";

import { viewFormSchema, type ViewForm } from "../form";
import { ViewQuery } from "./ViewQuery";

/** The fields the dialog shows the API's messages under. */
const SHOWN = ["name", "shared", "query"];

export function ViewDialog({
  title,
  toolName,
  query,
  initial,
  submitLabel,
  busy,
  error,
  onSubmit,
  onClose,
}: {
  title: string;
  /** Whose readers a shared view is shown to. */
  toolName: string;
  /** What the view keeps: shown, not edited here. */
  query: string;
  initial: ViewForm;
  submitLabel: string;
  busy: boolean;
  /** The API's refusal of the last submit. */
  error: unknown;
  /** Rejects with the API's refusal, which then comes back as `error`. */
  onSubmit: (values: ViewForm) => Promise<unknown>;
  onClose: () => void;
}) {
  const form = useForm<ViewForm>({
    resolver: zodResolver(viewFormSchema),
    defaultValues: initial,
  });
  const once = useSingleFlight();
  const id = useId();
  const nameInput = useRef<HTMLInputElement | null>(null);
  const { ref: nameRef, ...nameField } = form.register("name");

  const apiError = error instanceof ApiError ? error : null;
  const nameMessages = [form.formState.errors.name?.message, ...(apiError?.errors.name ?? [])];
  const shownMessages = nameMessages.filter((message) => message !== undefined);

  const submit = form.handleSubmit((values) =>
    once(() =>
      onSubmit(values).catch((refusal: unknown) => {
        if (refusal instanceof ApiError && refusal.errors.name) form.setFocus("name");
      }),
    ),
  );

  return (
    <Dialog title={title} onClose={onClose} dismissible={!busy} initialFocus={nameInput}>
      <form noValidate onSubmit={(event) => void submit(event)} className="space-y-4">
        <FormRefusal error={error} shown={SHOWN} />
        <div>
          <label htmlFor={`${id}-name`} className={labelClass}>
            Name
          </label>
          <input
            {...nameField}
            ref={(element) => {
              nameRef(element);
              nameInput.current = element;
            }}
            id={`${id}-name`}
            autoComplete="off"
            className={`${inputClass} mt-1`}
            aria-invalid={shownMessages.length > 0}
            aria-describedby={`${id}-name-errors`}
          />
          <FieldMessages id={`${id}-name-errors`} messages={shownMessages} />
        </div>
        <div>
          <div className="flex items-center gap-2">
            <input
              {...form.register("shared")}
              id={`${id}-shared`}
              type="checkbox"
              className="size-4 rounded border-slate-300"
              aria-describedby={`${id}-shared-hint ${id}-shared-errors`}
            />
            <label htmlFor={`${id}-shared`} className="text-sm text-slate-700">
              Share with everyone who can read {toolName}
            </label>
          </div>
          <p id={`${id}-shared-hint`} className="mt-1 text-xs text-slate-500">
            They can open it; only you can change it.
          </p>
          <FieldMessages id={`${id}-shared-errors`} messages={apiError?.errors.shared ?? []} />
        </div>
        <ViewQuery query={query} error={error} />
        <div className="flex justify-end gap-2">
          <Button onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button type="submit" variant="primary" disabled={busy}>
            {busy ? "Saving…" : submitLabel}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
