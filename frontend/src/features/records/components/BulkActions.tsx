/**
 * What can be done to the ticked records at once: edit them or archive them, all or none,
 * then a word that it was done. The ticked rows are one page's (at most 100), well within
 * the API's limit of items per request.
 */
import { Pencil } from "lucide-react";
import { useEffect, useRef, useState } from "react";

import type { EntityManifest, EntityReference } from "@/api/types";
import { Button } from "@/components/Button";

import { useBulkArchive } from "../api";
import { countRecords } from "../bulk";
import { BulkEditDialog } from "./BulkEditDialog";
import { BulkWriteError } from "./BulkWriteError";

export function BulkActions({
  entity,
  records,
  onDone,
}: {
  entity: EntityManifest;
  /** The ticked rows, in the list's order. */
  records: EntityReference[];
  onDone: () => void;
}) {
  const archive = useBulkArchive(entity);
  // The records being edited, as ticked when the dialog opened.
  const [editing, setEditing] = useState<EntityReference[] | null>(null);
  const [done, setDone] = useState<{ message: string } | null>(null);
  const confirmation = useRef<HTMLParagraphElement>(null);
  // The buttons that had focus are gone with the selection: the confirmation takes it.
  useEffect(() => confirmation.current?.focus(), [done]);

  const finish = (message: string) => {
    setEditing(null);
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
            variant="danger"
            disabled={archive.isPending}
            onClick={() => {
              start();
              archive.mutate(records, {
                onSuccess: (archived) =>
                  finish(`Archived ${countRecords(entity, archived.length)}.`),
              });
            }}
          >
            {archive.isPending ? "Archiving…" : "Archive selected"}
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
        </div>
      ) : (
        done && (
          <p
            ref={confirmation}
            role="status"
            tabIndex={-1}
            className="rounded-md bg-green-50 px-3 py-2 text-sm text-green-800 focus:outline-none"
          >
            {done.message}
          </p>
        )
      )}
      {archive.error && (
        <BulkWriteError entity={entity} error={archive.error} sent={archive.variables ?? []} />
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
