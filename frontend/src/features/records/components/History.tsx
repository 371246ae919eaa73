/** A record's history: who changed what, when; any change can be undone by a revert. */
import { useState } from "react";

import type { EntityManifest, HistoryEntry, ToolManifest } from "@/api/types";
import { Button } from "@/components/Button";
import { ErrorPanel, Spinner } from "@/components/Feedback";
import { useSingleFlight } from "@/lib/useSingleFlight";

import { useHistory, useRevert, type LoadedRecord } from "../api";
import { ACTION_VERBS, actorName, isIntegrationChange } from "../audit";
import { ChangeList } from "./ChangeList";
import { RecordWriteError } from "./RecordWriteError";
import { formatDateTime } from "./FieldValue";

/**
 * A change can be reverted if it was an update of the record's fields (not only of what an
 * integration records, such as its Linear issue) whose status, if it changed one, the
 * workflow lets the record go back to from where it is now (else the API refuses: 409).
 */
export function revertible(
  entity: EntityManifest,
  entry: HistoryEntry,
  status: string,
  admin: boolean,
): boolean {
  if (entry.action !== "UPDATE") return false;
  const changed = Object.keys(entry.changes);
  if (changed.length > 0 && changed.every(isIntegrationChange)) return false;
  const change = entry.changes.status;
  if (!change) return true;
  const back = String(change.old);
  return (
    back === status ||
    entity.transitions.some(
      (transition) =>
        transition.source === status &&
        transition.target === back &&
        (admin || !transition.admin_only),
    )
  );
}

export function History({
  tools,
  entity,
  loaded,
  canRevert,
  admin,
}: {
  tools: ToolManifest[];
  entity: EntityManifest;
  loaded: LoadedRecord;
  canRevert: boolean;
  /** The caller is the tool's admin: admin-only transitions are theirs to make. */
  admin: boolean;
}) {
  const [offset, setOffset] = useState(0);
  const history = useHistory(entity, loaded.record.public_id, offset);
  const revert = useRevert(entity, loaded);
  const [confirming, setConfirming] = useState<number | null>(null);
  const once = useSingleFlight();

  if (history.isError) return <ErrorPanel error={history.error} />;
  if (!history.data) return <Spinner />;
  return (
    <section aria-labelledby="history-heading" className="space-y-3">
      <h2 id="history-heading" className="text-base font-semibold">
        History
      </h2>
      {revert.error !== null && <RecordWriteError error={revert.error} />}
      <ol className="space-y-3">
        {history.data.results.map((entry) => (
          <li key={entry.id} className="rounded-md border border-slate-200 bg-white p-3 text-sm">
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <p>
                <span className="font-medium">{actorName(entry)}</span> {ACTION_VERBS[entry.action]}{" "}
                it{" "}
                <time className="text-slate-500" dateTime={entry.timestamp}>
                  {formatDateTime(entry.timestamp)}
                </time>
              </p>
              {canRevert &&
                revertible(entity, entry, loaded.record.status, admin) &&
                (confirming === entry.id ? (
                  <span className="flex items-center gap-2">
                    <span className="text-slate-600">
                      Put these fields back as they were before?
                    </span>
                    <Button
                      variant="primary"
                      disabled={revert.isPending}
                      onClick={() =>
                        void once(() =>
                          revert.mutateAsync(entry.id).catch(() => undefined),
                        ).finally(() => setConfirming(null))
                      }
                    >
                      Revert
                    </Button>
                    <Button onClick={() => setConfirming(null)}>Keep</Button>
                  </span>
                ) : (
                  <Button variant="ghost" onClick={() => setConfirming(entry.id)}>
                    Revert this change
                  </Button>
                ))}
            </div>
            {entry.comment && <p className="mt-1 text-slate-600 italic">“{entry.comment}”</p>}
            {entry.action !== "CREATE" && (
              <ChangeList entity={entity} tools={tools} changes={entry.changes} />
            )}
          </li>
        ))}
      </ol>
      {(history.data.previous || history.data.next) && (
        <div className="flex gap-2">
          <Button
            disabled={!history.data.previous}
            onClick={() => setOffset(Math.max(0, offset - 20))}
          >
            Newer
          </Button>
          <Button disabled={!history.data.next} onClick={() => setOffset(offset + 20)}>
            Older
          </Button>
        </div>
      )}
    </section>
  );
}
