/**
 * What can be done to the ticked records at once: edit them, move them to a status or archive
 * them, all or none,
 * then a word that it was done. The ticked rows are one page's (at most 100), well within
 * the API's limit of items per request.
 */
import { ArrowRight, Pencil } from "lucide-react";
import { useEffect, useId, useRef, useState } from "react";

import type { EntityManifest } from "@/api/types";
import { Button } from "@/components/Button";
import { ConfirmDialog } from "@/components/ConfirmDialog";
import { Outcome } from "@/components/Feedback";

import { useBulkArchive } from "../api";
import { bulkArchiveRefusal, countRecords, type Ticked } from "../bulk";
import { BulkEditDialog } from "./BulkEditDialog";
import { BulkMoveDialog } from "./BulkMoveDialog";
import { BulkWriteError } from "./BulkWriteError";

export function BulkActions({
  entity,
  records,
  admin,
  onDone,
}: {
  entity: EntityManifest;
  /** The ticked rows, in the list's order. */
  records: Ticked[];
  /** The caller is the tool's admin: admin-only transitions are theirs to make. */
  admin: boolean;
  onDone: () => void;
}) {
  const archive = useBulkArchive(entity);
  // The records being edited, or to be archived once confirmed, as ticked when asked.
  const [editing, setEditing] = useState<Ticked[] | null>(null);
  const [moving, setMoving] = useState<Ticked[] | null>(null);
  const [archiving, setArchiving] = useState<Ticked[] | null>(null);
  const [done, setDone] = useState<{ message: string } | null>(null);
  const confirmation = useRef<HTMLParagraphElement>(null);
  // Archiving is all or nothing: a selection the API would refuse is not offered, and why said.
  const archiveRefused = bulkArchiveRefusal(entity, records, admin);
  const refusalId = useId();
  // The buttons that had focus are gone with the selection: the confirmation takes it.
  useEffect(() => confirmation.current?.focus(), [done]);

  const finish = (message: string) => {
    setEditing(null);
    setMoving(null);
    setArchiving(null);
    setDone({ message });
    onDone();
  };
  const start = () => {
    archive.reset();
    setDone(null);
  };

  if (records.length === 0 && !archive.error && !done) return null;
  return (
    <div className="space-y-2">
      {records.length > 0 ? (
        <div className="flex flex-wrap items-center gap-3 rounded-md bg-indigo-50 px-3 py-2 text-sm text-indigo-900">
          <span>{records.length} selected</span>
          <Button
            disabled={archive.isPending}
            onClick={() => {
              start();
              setEditing(records);
            }}
          >
            <Pencil className="size-4" aria-hidden="true" /> Edit selected
          </Button>
          <Button
            disabled={archive.isPending}
            onClick={() => {
              start();
              setMoving(records);
            }}
          >
            <ArrowRight className="size-4" aria-hidden="true" /> Move to…
          </Button>
          <Button
            variant="danger"
            disabled={archive.isPending || archiveRefused !== null}
            aria-describedby={archiveRefused ? refusalId : undefined}
            onClick={() => {
              start();
              setArchiving(records);
            }}
          >
            Archive selected
          </Button>
          <Button
            variant="ghost"
            onClick={() => {
              start();
              onDone();
            }}
          >
            Clear selection
          </Button>
          {archiveRefused && (
            <span id={refusalId} className="basis-full text-indigo-800">
              {archiveRefused}
            </span>
          )}
        </div>
      ) : (
        done && <Outcome ref={confirmation}>{done.message}</Outcome>
      )}
      {archive.error && !archiving && (
        <BulkWriteError entity={entity} error={archive.error} sent={archive.variables ?? []} />
      )}
      {archiving && (
        <ConfirmDialog
          title={`Archive ${countRecords(entity, archiving.length)}?`}
          description="They leave the list (“Include archived” shows them) and can be restored, one by one, from each record's page."
          confirmLabel="Archive"
          busyLabel="Archiving…"
          busy={archive.isPending}
          error={null}
          onConfirm={async () => {
            // A refusal names each record that failed, below the list's toolbar.
            const archived = await archive.mutateAsync(archiving).catch(() => null);
            if (archived) finish(`Archived ${countRecords(entity, archived.length)}.`);
            else setArchiving(null);
          }}
          onClose={() => setArchiving(null)}
        />
      )}
      {moving && (
        <BulkMoveDialog
          entity={entity}
          records={moving}
          admin={admin}
          onMoved={finish}
          onClose={() => setMoving(null)}
        />
      )}
      {editing && (
        <BulkEditDialog
          entity={entity}
          records={editing}
          onApplied={(updated) => finish(`Updated ${countRecords(entity, updated)}.`)}
          onClose={() => setEditing(null)}
        />
      )}
    </div>
  );
}
