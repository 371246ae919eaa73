/**
 * What can happen to a record next: the workflow's transitions from its status (each with
 * an optional comment for the audit trail), archive, and restore.
 */
import { useState } from "react";

import { ApiError } from "@/api/client";
import type { EntityManifest, ToolManifest } from "@/api/types";
import { Button } from "@/components/Button";
import { inputClass } from "@/components/styles";
import { isAdmin } from "@/features/tools/api";
import { useSingleFlight } from "@/lib/useSingleFlight";

import { useArchive, useRestore, useStatusTransition, type LoadedRecord } from "../api";
import { RecordWriteError } from "./RecordWriteError";

/** The statuses a record can move to now, as the workflow and the caller's level allow. */
export function nextStatuses(entity: EntityManifest, status: string, admin: boolean): string[] {
  return entity.transitions
    .filter((transition) => transition.source === status && (admin || !transition.admin_only))
    .map((transition) => transition.target)
    .filter((target) => target !== entity.archived_status);
}

export function WorkflowActions({
  tool,
  entity,
  loaded,
}: {
  tool: ToolManifest;
  entity: EntityManifest;
  loaded: LoadedRecord;
}) {
  const transition = useStatusTransition(entity, loaded);
  const archive = useArchive(entity, loaded);
  const restore = useRestore(entity, loaded);
  const [target, setTarget] = useState<string | null>(null);
  const [comment, setComment] = useState("");
  const once = useSingleFlight();

  const { record } = loaded;
  const archived = record.status === entity.archived_status;
  const busy = transition.isPending || archive.isPending || restore.isPending;
  const error = transition.error ?? archive.error ?? restore.error;
  const label = (value: string) =>
    entity.statuses.find((status) => status.value === value)?.label ?? value;
  const reset = () => {
    transition.reset();
    archive.reset();
    restore.reset();
    setTarget(null);
  };
  /** Archive or restore: no form, one request at a time. */
  const run = (mutation: typeof archive) => () => {
    reset();
    void once(() => mutation.mutateAsync().catch(() => undefined));
  };

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-2">
        {!archived &&
          nextStatuses(entity, record.status, isAdmin(tool)).map((status) => (
            <Button
              key={status}
              disabled={busy}
              onClick={() => {
                reset();
                setTarget(status);
              }}
            >
              Move to {label(status)}
            </Button>
          ))}
        {archived ? (
          <Button disabled={busy} onClick={run(restore)}>
            Restore
          </Button>
        ) : (
          <Button variant="danger" disabled={busy} onClick={run(archive)}>
            Archive
          </Button>
        )}
      </div>
      {target && (
        <form
          className="flex max-w-xl flex-col gap-2 rounded-md border border-slate-200 bg-white p-3"
          onSubmit={(event) => {
            event.preventDefault();
            void once(async () => {
              await transition.mutateAsync({ to: target, comment: comment.trim() });
              setTarget(null);
              setComment("");
            }).catch(() => undefined); // shown from the mutation's error
          }}
        >
          <label htmlFor="transition-comment" className="text-sm font-medium text-slate-700">
            Move to {label(target)}: why? (optional, kept in the history)
          </label>
          <textarea
            id="transition-comment"
            rows={2}
            className={inputClass}
            value={comment}
            onChange={(event) => setComment(event.target.value)}
          />
          <div className="flex gap-2">
            <Button type="submit" variant="primary" disabled={busy}>
              Move to {label(target)}
            </Button>
            <Button onClick={() => setTarget(null)}>Cancel</Button>
          </div>
        </form>
      )}
      {error && (
        <RecordWriteError error={error}>
          {error instanceof ApiError && error.allowed.length > 0 && (
            <span>It can move to: {error.allowed.map(label).join(", ")}.</span>
          )}
        </RecordWriteError>
      )}
    </div>
  );
}
