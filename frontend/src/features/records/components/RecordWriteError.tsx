/**
 * A write on a record's page that the API refused: its reasons, each field by its label
 * ("Check Measured value: Required once the run has finished."), with a way to the form when
 * the fields are the form's; and what a 412 did. The reasons the page says beside its own
 * control (`shown`: a move's comment, under its box) are left out, and a refusal they explain
 * whole shows nothing more.
 */
import type { ReactNode } from "react";

import { ApiError } from "@/api/client";
import type { EntityManifest } from "@/api/types";
import { ButtonLink } from "@/components/Button";
import { ErrorPanel } from "@/components/Feedback";

import { editableFields, refusedFields, type FieldRefusal } from "../fields";

function reason({ label, messages }: FieldRefusal): string {
  return label ? `Check ${label}: ${messages.join(" ")}` : messages.join(" ");
}

export function RecordWriteError({
  entity,
  error,
  shown = [],
  children,
}: {
  entity: EntityManifest;
  error: unknown;
  shown?: readonly string[];
  children?: ReactNode;
}) {
  const all = refusedFields(entity.fields, error);
  const refusals = all.filter(({ name }) => !shown.includes(name));
  if (all.length > 0 && refusals.length === 0) return null;
  const [only, ...more] = refusals;
  const editable = editableFields(entity);
  const [first, ...others] = refusals.filter(({ field }) => field && editable.includes(field));
  const detail = !only ? undefined : more.length === 0 ? (
    reason(only)
  ) : (
    <ul className="list-disc pl-5">
      {refusals.map((refusal) => (
        <li key={refusal.name}>{reason(refusal)}</li>
      ))}
    </ul>
  );
  return (
    <ErrorPanel error={error} detail={detail}>
      {/* A 412 reads the record again (useRecordWrite): what the page shows is current. */}
      {error instanceof ApiError && error.status === 412 && (
        <span>The page now shows the latest version: look it over, then try again.</span>
      )}
      {/* The record's page is the form's parent route: "edit" is its form. */}
      {first && (
        <ButtonLink to="edit">
          {others.length === 0 ? `Edit ${first.label}` : `Edit the ${entity.label.toLowerCase()}`}
        </ButtonLink>
      )}
      {children}
    </ErrorPanel>
  );
}
