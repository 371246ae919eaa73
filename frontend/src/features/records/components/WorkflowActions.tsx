/**
 * What can happen to a record next: the workflow's transitions from its status (each with
 * an optional comment for the audit trail; a guard's veto of the comment is said under it),
 * archive (asked first), and restore. The focus follows the user: into the comment box (again
 * when a guard wants another comment), back to the control that opened it, and to a line
 * saying what was done, which is also read out; the same line says, read out only, what the
 * form that led to the page did (`arrival`: "Created CMP-0242.", "Saved.").
 */
import { useEffect, useEffectEvent, useRef, useState } from "react";

import { ApiError } from "@/api/client";
import type { EntityManifest, ToolManifest } from "@/api/types";
import { Button } from "@/components/Button";
import { ConfirmDialog } from "@/components/ConfirmDialog";
import { Outcome } from "@/components/Feedback";
import { isAdmin } from "@/features/tools/api";
import { useFocusAfterRender } from "@/lib/useFocusAfterRender";
import { useSingleFlight } from "@/lib/useSingleFlight";

import { useArchive, useRestore, useStatusTransition, type LoadedRecord } from "../api";
import { useOutcomeLine, type OutcomeLine } from "../outcome";
import { commentRefusal, mayArchive, nextStatuses, statusLabel } from "../workflow";
import { MoveComment } from "./MoveComment";
import { RecordWriteError } from "./RecordWriteError";

export function WorkflowActions({
  tool,
  entity,
  loaded,
  arrival = "",
  outcome: pageOutcome,
}: {
  tool: ToolManifest;
  entity: EntityManifest;
  loaded: LoadedRecord;
  /** What the form that led to the page did, "" for nothing. */
  arrival?: string;
  /** The page's line of what was done (`usePageOutcome`), which its other parts share. */
  outcome?: OutcomeLine;
}) {
  const transition = useStatusTransition(entity, loaded);
  const archive = useArchive(entity, loaded);
  const restore = useRestore(entity, loaded);
  const [target, setTarget] = useState<string | null>(null);
  const [comment, setComment] = useState("");
  const [confirmingArchive, setConfirmingArchive] = useState(false);
  const outcome = useOutcomeLine(pageOutcome);
  const once = useSingleFlight();
  const focusLater = useFocusAfterRender();
  const opener = useRef<HTMLButtonElement | null>(null);
  const commentBox = useRef<HTMLTextAreaElement>(null);
  const outcomeLine = useRef<HTMLParagraphElement>(null);
  // What the form that led here did is put in the line once the line is on the screen, so it
  // is read out as a live region's change; the focus is on the page's heading by then.
  const sayArrival = useEffectEvent(() => outcome.say(arrival));
  useEffect(() => {
    if (arrival) sayArrival();
  }, [arrival]);

  const { record } = loaded;
  const archived = record.status === entity.archived_status;
  const busy = transition.isPending || archive.isPending || restore.isPending;
  const error = transition.error ?? archive.error ?? restore.error;
  const label = (value: string) => statusLabel(entity, value);
  const reset = () => {
    transition.reset();
    archive.reset();
    restore.reset();
    outcome.say("");
  };
  const done = (message: string) => {
    outcome.say(message);
    focusLater(() => outcomeLine.current);
  };
  const openTransition = (status: string, trigger: HTMLButtonElement) => {
    reset();
    opener.current = trigger;
    setTarget(status);
    setComment(""); // a comment typed for another move is not this one's
    focusLater(() => commentBox.current);
  };
  /** Closed unsent: its comment goes with it, and the focus back to the control that opened it. */
  const cancelTransition = () => {
    if (transition.isPending) return;
    transition.reset();
    setTarget(null);
    setComment("");
    focusLater(() => opener.current);
  };
  const onRestore = () => {
    reset();
    void once(async () => {
      const restored = await restore.mutateAsync().then(
        ({ data }) => data,
        () => null, // shown from the mutation's error
      );
      if (restored) done(`Restored ${record.public_id}: it is ${label(restored.status)} again.`);
    });
  };

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-2">
        {!archived &&
          nextStatuses(entity, record.status, isAdmin(tool)).map((status) => (
            <Button
              key={status}
              disabled={busy}
              onClick={(event) => openTransition(status, event.currentTarget)}
            >
              Move to {label(status)}
            </Button>
          ))}
        {/* The busy control keeps the focus (aria-disabled, not disabled) and says so. */}
        {archived ? (
          <Button
            aria-disabled={busy}
            aria-busy={restore.isPending}
            onClick={busy ? undefined : onRestore}
          >
            {restore.isPending ? "Restoring…" : "Restore"}
          </Button>
        ) : (
          mayArchive(entity, record.status, isAdmin(tool)) && (
            <Button
              variant="danger"
              disabled={busy}
              onClick={() => {
                reset();
                setTarget(null);
                setConfirmingArchive(true);
              }}
            >
              Archive
            </Button>
          )
        )}
      </div>
      {target && (
        <form
          className="flex max-w-xl flex-col gap-2 rounded-md border border-slate-200 bg-white p-3"
          onKeyDown={(event) => {
            if (event.key === "Escape") cancelTransition();
          }}
          onSubmit={(event) => {
            event.preventDefault();
            void once(async () => {
              await transition.mutateAsync({ to: target, comment: comment.trim() });
              setTarget(null);
              setComment("");
              done(`Moved ${record.public_id} to ${label(target)}.`);
            }).catch((refusal: unknown) => {
              // Shown from the mutation's error; a veto of the comment is the box's to fix.
              if (commentRefusal(refusal).length > 0) commentBox.current?.focus();
            });
          }}
        >
          <MoveComment
            ref={commentBox}
            label={`Move to ${label(target)}: why? (optional, kept in the history)`}
            value={comment}
            refusal={commentRefusal(transition.error)}
            onChange={setComment}
          />
          <div className="flex gap-2">
            <Button
              type="submit"
              variant="primary"
              aria-disabled={busy}
              aria-busy={transition.isPending}
            >
              {transition.isPending ? "Moving…" : `Move to ${label(target)}`}
            </Button>
            <Button disabled={transition.isPending} onClick={cancelTransition}>
              Cancel
            </Button>
          </div>
        </form>
      )}
      <Outcome ref={outcomeLine}>{outcome.text}</Outcome>
      {error && !confirmingArchive && (
        <RecordWriteError entity={entity} error={error} shown={["comment"]}>
          {error instanceof ApiError && error.allowed.length > 0 && (
            <span>It can move to: {error.allowed.map(label).join(", ")}.</span>
          )}
        </RecordWriteError>
      )}
      {confirmingArchive && (
        <ConfirmDialog
          title={`Archive ${record.public_id}?`}
          description={`${record.name} leaves the list of ${entity.label_plural.toLowerCase()} (“Include archived” shows it) and can be restored from this page.`}
          confirmLabel="Archive"
          busyLabel="Archiving…"
          busy={archive.isPending}
          error={archive.error}
          onConfirm={async () => {
            // A refusal is shown in the dialog, which stays.
            const archivedNow = await archive.mutateAsync().then(
              () => true,
              () => false,
            );
            if (!archivedNow) return;
            setConfirmingArchive(false);
            done(`Archived ${record.public_id}.`);
          }}
          onClose={() => setConfirmingArchive(false)}
        />
      )}
    </div>
  );
}
