/**
 * Moving the ticked records to one status together: the statuses all of them can move to (as
 * the workflow and the caller's level allow), what will happen in words ("Move 3 test runs to
 * Running."), an optional comment (why, kept in each record's history, as a record's own move
 * keeps it), and one `PATCH …/bulk/` with each record's `status` and the comment, all or
 * nothing; a refusal names each record the workflow refused, as bulk edit's does, and a
 * guard's veto of the comment is said under the comment box too.
 */
import { useId, useRef, useState } from "react";

import type { EntityManifest } from "@/api/types";
import { Button } from "@/components/Button";
import { Dialog } from "@/components/Dialog";
import { inputClass, labelClass } from "@/components/styles";
import { useSingleFlight } from "@/lib/useSingleFlight";

import { useBulkUpdate } from "../api";
import { bulkTargets, countRecords, noBulkTargetReason, type Ticked } from "../bulk";
import { commentRefusal, statusLabel } from "../workflow";
import { BulkDialogEnd } from "./BulkWriteError";
import { MoveComment } from "./MoveComment";

/** What an item's `comment` is called in a refused record's reasons: the box's own name. */
const COMMENT_LABEL = { comment: "Comment" };

export function BulkMoveDialog({
  entity,
  records,
  admin,
  onMoved,
  onClose,
}: {
  entity: EntityManifest;
  /** The ticked records, in the order they are sent; fixed while the dialog is open. */
  records: Ticked[];
  /** The caller is the tool's admin: admin-only transitions are theirs to make. */
  admin: boolean;
  onMoved: (message: string) => void;
  onClose: () => void;
}) {
  const targets = bulkTargets(entity, records, admin);
  const [target, setTarget] = useState(targets[0] ?? "");
  const [comment, setComment] = useState("");
  const update = useBulkUpdate(entity);
  const once = useSingleFlight();
  const busy = update.isPending;
  const choice = useRef<HTMLSelectElement>(null);
  const commentBox = useRef<HTMLTextAreaElement>(null);
  const choiceId = useId();
  const count = countRecords(entity, records.length);

  const move = () =>
    void once(async () => {
      // A refusal is shown from the mutation's error; the dialog stays.
      const moved = await update
        .mutateAsync({ records, changes: { status: target }, tags: null, comment: comment.trim() })
        .catch((refusal: unknown) => {
          // A veto of the comment is the box's to fix.
          if (commentRefusal(refusal).length > 0) commentBox.current?.focus();
          return null;
        });
      if (moved !== null) {
        onMoved(`Moved ${countRecords(entity, moved)} to ${statusLabel(entity, target)}.`);
      }
    });

  return (
    <Dialog
      title={`Move ${count}`}
      description="Each selected record moves through the workflow, as its own page would move it; if any cannot, none moves."
      onClose={onClose}
      dismissible={!busy}
      initialFocus={targets.length > 0 ? choice : undefined}
    >
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (target) move();
        }}
        className="space-y-4"
      >
        {targets.length === 0 ? (
          <p className="text-sm text-slate-700">{noBulkTargetReason(entity, records, admin)}</p>
        ) : (
          <>
            <div>
              <label htmlFor={choiceId} className={labelClass}>
                Move to
              </label>
              <select
                id={choiceId}
                ref={choice}
                className={`${inputClass} mt-1`}
                value={target}
                disabled={busy}
                onChange={(event) => setTarget(event.target.value)}
              >
                {targets.map((value) => (
                  <option key={value} value={value}>
                    {statusLabel(entity, value)}
                  </option>
                ))}
              </select>
            </div>
            <MoveComment
              ref={commentBox}
              label="Why? (optional, kept in each record's history)"
              value={comment}
              refusal={commentRefusal(update.error)}
              onChange={setComment}
            />
            <p className="rounded-md bg-slate-50 p-3 text-sm text-slate-700">
              Move {count} to {statusLabel(entity, target)}.
            </p>
          </>
        )}
        <BulkDialogEnd
          entity={entity}
          error={update.error}
          sent={update.variables?.records ?? records}
          labels={COMMENT_LABEL}
          busy={busy}
          onClose={onClose}
        >
          {targets.length > 0 && (
            <Button type="submit" variant="primary" aria-disabled={busy} aria-busy={busy}>
              {busy ? "Moving…" : "Move"}
            </Button>
          )}
        </BulkDialogEnd>
      </form>
    </Dialog>
  );
}
