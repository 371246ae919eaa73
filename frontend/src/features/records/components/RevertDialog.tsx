/**
 * "Revert this change?", said with what the revert would do, as the API's preview has it: each
 * field from its value now to the one put back, and a warning for a field someone changed
 * again after this change, since the revert undoes that too. A revert that would change
 * nothing says so and offers no Revert. The list is the dialog's description, read with its
 * title when it opens; Keep has the focus, as Cancel has in every confirmation. The revert
 * sends the preview's ETag: changed meanwhile, the record is read again and so is the preview,
 * which the dialog, staying open with the refusal, then shows.
 */
import { useRef } from "react";

import type { EntityManifest, FieldRevert, HistoryEntry, ToolManifest } from "@/api/types";
import { Button } from "@/components/Button";
import { Dialog } from "@/components/Dialog";
import { Spinner } from "@/components/Feedback";
import { useSingleFlight } from "@/lib/useSingleFlight";

import { useRevert, useRevertPreview, type LoadedRecord } from "../api";
import { actorName } from "../audit";
import { ChangeValue, changeLabel } from "./ChangeList";
import { formatDateTime } from "../times";
import { RecordWriteError } from "./RecordWriteError";

export function RevertDialog({
  tools,
  entity,
  loaded,
  entry,
  onReverted,
  onClose,
}: {
  tools: ToolManifest[];
  entity: EntityManifest;
  loaded: LoadedRecord;
  /** The history entry to revert. */
  entry: HistoryEntry;
  onReverted: () => void;
  onClose: () => void;
}) {
  const preview = useRevertPreview(entity, loaded.record.public_id, entry.id);
  const revert = useRevert(entity, loaded);
  const once = useSingleFlight();
  const keep = useRef<HTMLButtonElement>(null);
  const changes = preview.data?.preview.changes ?? [];
  // Read again after a refusal: until it is back, what the dialog lists may no longer be so.
  const current = preview.isSuccess && !preview.isFetching;
  // A preview read again and refused says why no revert is possible now; else the revert's.
  const refusal = preview.isError ? preview.error : revert.error;

  const confirm = () =>
    void once(async () => {
      const reverted = await revert
        .mutateAsync({ auditId: entry.id, etag: preview.data?.etag ?? null })
        .then(
          () => true,
          () => false, // shown in the dialog, which stays
        );
      if (reverted) onReverted();
    });

  return (
    <Dialog
      title={`Revert the change ${actorName(entry)} made ${formatDateTime(entry.timestamp)}?`}
      description={
        preview.data && <RevertSummary tools={tools} entity={entity} changes={changes} />
      }
      onClose={onClose}
      dismissible={!revert.isPending}
      initialFocus={keep}
    >
      {!preview.data && !preview.isError && <Spinner label="Checking what it would change…" />}
      {refusal !== null && (
        <div className="mb-4">
          <RecordWriteError entity={entity} error={refusal} />
        </div>
      )}
      <div className="flex justify-end gap-2">
        <Button ref={keep} onClick={onClose} disabled={revert.isPending}>
          {changes.length > 0 ? "Keep" : "Close"}
        </Button>
        {changes.length > 0 && !preview.isError && (
          // Busy, it keeps the focus and says so; a second press is dropped by the single flight.
          <Button
            variant="primary"
            aria-disabled={revert.isPending || !current}
            aria-busy={revert.isPending}
            onClick={() => {
              if (current) confirm();
            }}
          >
            {revert.isPending ? "Reverting…" : "Revert"}
          </Button>
        )}
      </div>
    </Dialog>
  );
}

function RevertSummary({
  tools,
  entity,
  changes,
}: {
  tools: ToolManifest[];
  entity: EntityManifest;
  changes: FieldRevert[];
}) {
  if (changes.length === 0) {
    return (
      <p>
        Nothing to revert: the fields this change set already have the values they had before it.
      </p>
    );
  }
  return (
    <>
      <p>Reverting would change:</p>
      <ul className="mt-2 space-y-2 text-slate-900">
        {changes.map((change) => {
          const label = changeLabel(entity, change.field);
          const later = change.changed_later;
          const show = (value: unknown) => (
            <ChangeValue entity={entity} tools={tools} name={change.field} value={value} inline />
          );
          return (
            <li key={change.field}>
              <span className="font-medium">{label}:</span> {show(change.current)} →{" "}
              {show(change.restored)}
              {later && (
                <p className="mt-1 rounded-md bg-amber-50 px-2 py-1 text-amber-900">
                  {actorName(later)} changed {label} again on {formatDateTime(later.timestamp)};
                  reverting undoes that too.
                </p>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}
