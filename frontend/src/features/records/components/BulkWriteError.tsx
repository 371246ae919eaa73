/**
 * A bulk write the API refused: each ticked record that failed, by its public id and name,
 * with its reasons (the API's detail says that nothing was written); any other failure as
 * every page shows one.
 */
import type { ReactNode } from "react";

import type { EntityManifest, EntityReference } from "@/api/types";
import { Button } from "@/components/Button";
import { ErrorPanel } from "@/components/Feedback";

import { failedRecords } from "../bulk";
import { referenceLabel } from "../shownValues";

export function BulkWriteError({
  entity,
  error,
  sent,
  labels,
}: {
  entity: EntityManifest;
  error: unknown;
  /** The records named in the request, in its order: a refusal names them by position. */
  sent: readonly EntityReference[];
  /** The labels of what the items held beside the record's fields (a move's "Comment"). */
  labels?: Readonly<Record<string, string>>;
}) {
  const failures = failedRecords(entity, error, sent, labels);
  return (
    <ErrorPanel error={error} fieldMessages>
      {failures.length > 0 && (
        <ul className="list-disc space-y-1 pl-5" aria-label="Records refused">
          {failures.map(({ record, index, reasons }) => (
            <li key={index}>
              <span className="font-medium">
                {record ? referenceLabel(record) : `Item ${index + 1}`}
              </span>
              <ul>
                {reasons.map(({ field, messages }) => (
                  <li key={field ?? ""}>
                    {field && `${field}: `}
                    {messages.join(" ")}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </ErrorPanel>
  );
}

/**
 * A bulk dialog's end: the API's refusal of the last request (`error`, `sent` its records),
 * then Cancel and the dialog's own action (`children`, its submit button).
 */
export function BulkDialogEnd({
  entity,
  error,
  sent,
  labels,
  busy,
  onClose,
  children,
}: {
  entity: EntityManifest;
  error: unknown;
  sent: readonly EntityReference[];
  labels?: Readonly<Record<string, string>>;
  busy: boolean;
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <>
      {error !== null && error !== undefined && (
        <BulkWriteError entity={entity} error={error} sent={sent} labels={labels} />
      )}
      <div className="flex justify-end gap-2">
        <Button onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        {children}
      </div>
    </>
  );
}
