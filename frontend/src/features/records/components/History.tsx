/**
 * A record's history: who changed what, when; any change can be undone by a revert. Asked
 * for one, it reads what the revert would change first (the button says "Checking…"), then
 * asks in a dialog that lists it (RevertDialog); a revert done is said on a line the focus
 * moves to, and a preview refused is shown here, the focus staying on the entry's button.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";

import type { EntityManifest, HistoryEntry, ToolManifest } from "@/api/types";
import { Button } from "@/components/Button";
import { ErrorPanel, Outcome, Spinner } from "@/components/Feedback";
import { useFocusAfterRender } from "@/lib/useFocusAfterRender";
import { useSingleFlight } from "@/lib/useSingleFlight";

import { revertPreviewQuery, useHistory, type LoadedRecord } from "../api";
import { useOutcomeLine, type OutcomeLine } from "../outcome";
import { ACTION_VERBS, actorName, isIntegrationChange } from "../audit";
import { formatDateTime } from "../times";
import { ActorName } from "./ActorName";
import { ChangeList, EntryComment } from "./ChangeList";
import { RecordWriteError } from "./RecordWriteError";
import { RevertDialog } from "./RevertDialog";

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
  outcome: pageOutcome,
}: {
  tools: ToolManifest[];
  entity: EntityManifest;
  loaded: LoadedRecord;
  canRevert: boolean;
  /** The caller is the tool's admin: admin-only transitions are theirs to make. */
  admin: boolean;
  /** The page's line of what was done (`usePageOutcome`), which its other parts share. */
  outcome?: OutcomeLine;
}) {
  const [offset, setOffset] = useState(0);
  const history = useHistory(entity, loaded.record.public_id, offset);
  const queryClient = useQueryClient();
  // The entry whose preview is being read, then the one the dialog asks about.
  const [checking, setChecking] = useState<number | null>(null);
  const [asking, setAsking] = useState<HistoryEntry | null>(null);
  const [refusal, setRefusal] = useState<unknown>(null);
  const outcome = useOutcomeLine(pageOutcome);
  const once = useSingleFlight();
  const focusLater = useFocusAfterRender();
  // Each entry's "Revert this change", to give the focus back to when its dialog closes.
  const triggers = useRef(new Map<number, HTMLButtonElement>());
  const outcomeLine = useRef<HTMLParagraphElement>(null);

  const ask = (entry: HistoryEntry) =>
    void once(async () => {
      outcome.say("");
      setRefusal(null);
      setChecking(entry.id);
      const query = revertPreviewQuery(entity, loaded.record.public_id, entry.id);
      const refused = await queryClient.fetchQuery({ ...query, staleTime: 0 }).then(
        () => null,
        (error: unknown) => error,
      );
      setChecking(null);
      if (refused === null) setAsking(entry);
      else setRefusal(refused);
    });
  const dismiss = (entry: HistoryEntry) => {
    setAsking(null);
    focusLater(() => triggers.current.get(entry.id));
  };
  const reverted = (entry: HistoryEntry) => {
    setAsking(null);
    outcome.say(`Reverted the change ${actorName(entry)} made ${formatDateTime(entry.timestamp)}.`);
    focusLater(() => outcomeLine.current);
  };

  if (history.isError) return <ErrorPanel error={history.error} />;
  if (!history.data) return <Spinner />;
  return (
    <section aria-labelledby="history-heading" className="space-y-3">
      <h2 id="history-heading" className="text-base font-semibold">
        History
      </h2>
      <Outcome ref={outcomeLine}>{outcome.text}</Outcome>
      {refusal !== null && <RecordWriteError entity={entity} error={refusal} />}
      <ol className="space-y-3">
        {history.data.results.map((entry) => (
          <li key={entry.id} className="rounded-md border border-slate-200 bg-white p-3 text-sm">
            <div className="flex flex-wrap items-baseline justify-between gap-x-2 gap-y-1">
              <p>
                <ActorName entry={entry} /> {ACTION_VERBS[entry.action]} it{" "}
                <time className="text-slate-500" dateTime={entry.timestamp}>
                  {formatDateTime(entry.timestamp)}
                </time>
              </p>
              {canRevert && revertible(entity, entry, loaded.record.status, admin) && (
                // Small, on the entry's first line or at its end: never a line of its own
                // that shifts under the entry's header.
                <Button
                  ref={(button) => {
                    if (button) triggers.current.set(entry.id, button);
                    else triggers.current.delete(entry.id);
                  }}
                  variant="ghost"
                  className="-my-1 ml-auto px-2 py-1 text-xs whitespace-nowrap"
                  aria-busy={checking === entry.id}
                  onClick={() => ask(entry)}
                >
                  {checking === entry.id ? "Checking…" : "Revert this change"}
                </Button>
              )}
            </div>
            <EntryComment entry={entry} />
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
      {asking && (
        <RevertDialog
          tools={tools}
          entity={entity}
          loaded={loaded}
          entry={asking}
          onReverted={() => reverted(asking)}
          onClose={() => dismiss(asking)}
        />
      )}
    </section>
  );
}
