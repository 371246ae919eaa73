/**
 * Creating a record's Linear issue: its title (the record's public id and name to start with),
 * priority and description, checked as the API checks them. What the API refuses of a field
 * shows under it; any other refusal (Linear's own error, Linear not set up, a link made
 * meanwhile) above the fields, and the dialog stays open. Every attempt from one opening sends
 * the issue id made when it opened: after a 502 or a timeout, "Create issue" links the issue the
 * first attempt made in Linear, if it did, rather than a second.
 */
import { zodResolver } from "@hookform/resolvers/zod";
import { useId, useRef, useState } from "react";
import { useForm } from "react-hook-form";

import { ApiError } from "@/api/client";
import type { EntityManifest, LinearIssue } from "@/api/types";
import { Button } from "@/components/Button";
import { Dialog } from "@/components/Dialog";
import { FieldMessages, FormRefusal } from "@/components/FormMessages";
import { inputClass, labelClass } from "@/components/styles";
import type { LoadedRecord } from "@/features/records/api";
import { useSingleFlight } from "@/lib/useSingleFlight";

import { useCreateLinearIssue } from "../api";
import {
  initialIssueForm,
  issueFormSchema,
  issueRequest,
  PRIORITIES,
  type IssueForm,
} from "../form";

const FIELDS = ["title", "priority", "description"] as const;

/** The refusals that are no field's, in words that say what failed. */
const REFUSALS: Record<string, string> = {
  linear_error: "Linear did not create the issue",
  linear_not_configured: "Linear is not set up on this server",
  already_linked: "This record already has a Linear issue",
};

export function CreateIssueDialog({
  entity,
  loaded,
  onCreated,
  onClose,
}: {
  entity: EntityManifest;
  loaded: LoadedRecord;
  onCreated: (issue: LinearIssue) => void;
  onClose: () => void;
}) {
  const { record } = loaded;
  const create = useCreateLinearIssue(entity, loaded);
  const form = useForm<IssueForm>({
    resolver: zodResolver(issueFormSchema),
    defaultValues: initialIssueForm(record),
  });
  // Made once per opening: the dialog is mounted when it opens.
  const [issueId] = useState(() => crypto.randomUUID());
  const once = useSingleFlight();
  const id = useId();
  const titleInput = useRef<HTMLInputElement | null>(null);
  const { ref: titleRef, ...titleField } = form.register("title");

  const apiError = create.error instanceof ApiError ? create.error : null;
  const messages = (field: (typeof FIELDS)[number]) =>
    [form.formState.errors[field]?.message, ...(apiError?.errors[field] ?? [])].filter(
      (message) => message !== undefined,
    );

  const submit = form.handleSubmit((values) =>
    once(async () => {
      try {
        onCreated(await create.mutateAsync(issueRequest(issueId, values)));
      } catch (refusal) {
        const field = FIELDS.find((name) => refusal instanceof ApiError && refusal.errors[name]);
        if (field) form.setFocus(field);
      }
    }),
  );
  const control = (field: (typeof FIELDS)[number]) => ({
    id: `${id}-${field}`,
    "aria-invalid": messages(field).length > 0,
    "aria-describedby": `${id}-${field}-errors`,
  });

  return (
    <Dialog
      title="Create Linear issue"
      description={`A new issue in Linear, linked to ${record.public_id}.`}
      onClose={onClose}
      dismissible={!create.isPending}
      initialFocus={titleInput}
    >
      <form noValidate onSubmit={(event) => void submit(event)} className="space-y-4">
        <FormRefusal
          error={create.error}
          shown={FIELDS}
          title={apiError ? REFUSALS[apiError.code] : undefined}
        />
        <div>
          <label htmlFor={`${id}-title`} className={labelClass}>
            Title
          </label>
          <input
            {...titleField}
            {...control("title")}
            ref={(element) => {
              titleRef(element);
              titleInput.current = element;
            }}
            autoComplete="off"
            className={`${inputClass} mt-1`}
          />
          <FieldMessages id={`${id}-title-errors`} messages={messages("title")} />
        </div>
        <div>
          <label htmlFor={`${id}-priority`} className={labelClass}>
            Priority
          </label>
          <select
            {...form.register("priority", { valueAsNumber: true })}
            {...control("priority")}
            className={`${inputClass} mt-1`}
          >
            {PRIORITIES.map((priority) => (
              <option key={priority.value} value={priority.value}>
                {priority.label}
              </option>
            ))}
          </select>
          <FieldMessages id={`${id}-priority-errors`} messages={messages("priority")} />
        </div>
        <div>
          <label htmlFor={`${id}-description`} className={labelClass}>
            Description <span className="font-normal text-slate-500">(optional)</span>
          </label>
          <textarea
            {...form.register("description")}
            {...control("description")}
            rows={4}
            placeholder={`Left empty, the issue gets the ${entity.label.toLowerCase()}'s description and a link back to it.`}
            className={`${inputClass} mt-1`}
          />
          <FieldMessages id={`${id}-description-errors`} messages={messages("description")} />
        </div>
        <div className="flex flex-wrap justify-end gap-2">
          <Button onClick={onClose} disabled={create.isPending}>
            Cancel
          </Button>
          {/* Not disabled while it works (a second submit is ignored): the focus stays on it,
              where the refusal, if any, is announced. */}
          <Button type="submit" variant="primary" aria-disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create issue"}
          </Button>
        </div>
      </form>
    </Dialog>
  );
}
