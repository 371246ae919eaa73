/**
 * A record's history: who changed what, when; any change can be undone by a revert, asked
 * inline first (Revert / Keep, Escape keeps), then said on a line the focus moves to.
 */
import { useRef, useState } from "react";

import type { EntityManifest, HistoryEntry, ToolManifest } from "@/api/types";
import { Button } from "@/components/Button";
import { ErrorPanel, Outcome, Spinner } from "@/components/Feedback";
import { useFocusAfterRender } from "@/lib/useFocusAfterRender";
import { useSingleFlight } from "@/lib/useSingleFlight";

import { useHistory, useRevert, type LoadedRecord } from "../api";
import { ACTION_VERBS, actorName, isIntegrationChange } from "../audit";
import { formatDateTime } from "../times";
import { ChangeList } from "./ChangeList";
import { RecordWriteError } from "./RecordWriteError";

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
  const [outcome, setOutcome] = useState("");
  const once = useSingleFlight();
  const focusLater = useFocusAfterRender();
  // Each entry's "Revert this change", to give the focus back to when its prompt closes.
  const triggers = useRef(new Map<number, HTMLButtonElement>());
  const keep = useRef<HTMLButtonElement>(null);
  const outcomeLine = useRef<HTMLParagraphElement>(null);

  const ask = (entry: HistoryEntry) => {
    revert.reset();
    setOutcome("");
    setConfirming(entry.id);
    focusLater(() => keep.current); // the safe choice, as in a confirmation dialog
  };
  const dismiss = (entry: HistoryEntry) => {
    if (revert.isPending) return;
    setConfirming(null);
    focusLater(() => triggers.current.get(entry.id));
  };
  const confirm = (entry: HistoryEntry) =>
    void once(async () => {
      const reverted = await revert.mutateAsync(entry.id).then(
        () => true,
        () => false, // shown from the mutation's error
      );
      setConfirming(null);
      if (reverted) {
        setOutcome(
          `Reverted the change ${actorName(entry)} made ${formatDateTime(entry.timestamp)}.`,
        );
        focusLater(() => outcomeLine.current);
      } else {
        focusLater(() => triggers.current.get(entry.id) ?? outcomeLine.current);
      }
    });

  if (history.isError) return <ErrorPanel error={history.error} />;
  if (!history.data) return <Spinner />;
  return (
    <section aria-labelledby="history-heading" className="space-y-3">
      <h2 id="history-heading" className="text-base font-semibold">
        History
      </h2>
      <Outcome ref={outcomeLine}>{outcome}</Outcome>
      {revert.error !== null && <RecordWriteError entity={entity} error={revert.error} />}
      <ol className="space-y-3">
        {history.data.results.map((entry) => (
          <li key={entry.id} className="rounded-md border border-slate-200 bg-white p-3 text-sm">
            <div className="flex flex-wrap items-baseline justify-between gap-x-2 gap-y-1">
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
                  <span
                    className="ml-auto flex flex-wrap items-center justify-end gap-2"
                    onKeyDown={(event) => {
                      if (event.key === "Escape") dismiss(entry);
                    }}
                  >
                    <span className="text-slate-600">
                      Put these fields back as they were before?
                    </span>
                    <span className="flex gap-2">
                      <Button
                        variant="primary"
                        aria-disabled={revert.isPending}
                        aria-busy={revert.isPending}
                        onClick={() => confirm(entry)}
                      >
                        {revert.isPending ? "Reverting…" : "Revert"}
                      </Button>
                      <Button ref={keep} disabled={revert.isPending} onClick={() => dismiss(entry)}>
                        Keep
                      </Button>
                    </span>
                  </span>
                ) : (
                  // Small, on the entry's first line or at its end: never a line of its own
                  // that shifts under the entry's header.
                  <Button
                    ref={(button) => {
                      if (button) triggers.current.set(entry.id, button);
                      else triggers.current.delete(entry.id);
                    }}
                    variant="ghost"
                    className="-my-1 ml-auto px-2 py-1 text-xs whitespace-nowrap"
                    onClick={() => ask(entry)}
                  >
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
