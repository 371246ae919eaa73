/**
 * A record's Linear issue, on its page: the issue linked to it (identifier, title, state, who
 * linked it and when), or for those who may write the record, a way to create one; they may
 * also unlink it (the issue stays in Linear). Shown only when the server has Linear
 * configured; a reader of an unlinked record reads one quiet line.
 */
import { ExternalLink } from "lucide-react";
import { useEffect, useId, useRef, useState, type RefObject } from "react";

import type { LinearIssue } from "@/api/types";
import { Button } from "@/components/Button";
import { ConfirmDialog } from "@/components/ConfirmDialog";
import { PanelReadFailure } from "@/components/Feedback";
import { Badge } from "@/components/StatusBadge";
import { textLinkClass } from "@/components/styles";
import { personName } from "@/features/people/names";
import type { RecordPanelProps } from "@/features/records/api";
import { formatDateTime } from "@/features/records/times";
import { canWrite, useIntegrations } from "@/features/tools/api";

import { useLinearIssue, useUnlinkLinearIssue } from "../api";
import { CreateIssueDialog } from "./CreateIssueDialog";

/** Linear's kinds of state, each its own colour (Badge's names); another kind is gray. */
const STATE_COLOURS: Record<string, string> = {
  triage: "orange",
  backlog: "gray",
  unstarted: "blue",
  started: "yellow",
  completed: "green",
  canceled: "red",
};

/** How long the line saying what was done shows it. */
const NOTICE_MS = 6000;

function LinkedIssue({
  issue,
  linkRef,
  onUnlink,
}: {
  issue: LinearIssue;
  linkRef: RefObject<HTMLAnchorElement | null>;
  /** Offered to those who may write the record. */
  onUnlink?: () => void;
}) {
  return (
    <div className="space-y-1 text-sm">
      <p className="flex flex-wrap items-center gap-2">
        <a
          ref={linkRef}
          href={issue.url}
          target="_blank"
          rel="noopener noreferrer"
          className={`inline-flex items-center gap-1 font-medium ${textLinkClass}`}
        >
          {issue.identifier}
          <ExternalLink className="size-3.5" aria-hidden="true" />
          <span className="sr-only">(opens Linear in a new tab)</span>
        </a>
        <bdi>
          <Badge color={STATE_COLOURS[issue.state_type] ?? "gray"}>{issue.state}</Badge>
        </bdi>
      </p>
      {/* Linear's text, isolated: direction marks in it cannot reorder what is around it. */}
      <p className="text-slate-900 [overflow-wrap:anywhere]">
        <bdi>{issue.title}</bdi>
      </p>
      <p className="flex flex-wrap items-center justify-between gap-2 text-xs text-slate-500">
        <span>
          Linked{issue.created_by ? ` by ${personName(issue.created_by)}` : ""}{" "}
          <time dateTime={issue.created_at}>{formatDateTime(issue.created_at)}</time>
        </span>
        {onUnlink && (
          <Button variant="ghost" className="-my-1 px-2 py-1 text-xs" onClick={onUnlink}>
            Unlink
          </Button>
        )}
      </p>
    </div>
  );
}

export function LinearPanel({ tool, entity, loaded }: RecordPanelProps) {
  const { record } = loaded;
  const configured = useIntegrations().linear;
  const issue = useLinearIssue(entity, record.id, configured);
  const unlink = useUnlinkLinearIssue(entity, loaded);
  // The dialog open: creating an issue, or unlinking the one shown when it was opened (kept as
  // it was: the panel may read another meanwhile, which the API then refuses to unlink).
  const [dialog, setDialog] = useState<"create" | LinearIssue | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // Set as a dialog closes: the focus goes to what the panel shows once it has rendered the
  // dialog's outcome, the issue or the button that makes one (the button that opened the dialog
  // may be gone, as the link changed).
  const refocus = useRef(false);
  const link = useRef<HTMLAnchorElement>(null);
  const create = useRef<HTMLButtonElement>(null);
  const headingId = useId();
  const writable = canWrite(tool);
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [notice]);
  useEffect(() => {
    if (!refocus.current) return;
    refocus.current = false;
    (link.current ?? create.current)?.focus();
  });

  if (!configured) return null;
  const closeDialog = (said?: string) => {
    setDialog(null);
    if (said) setNotice(said);
    refocus.current = true;
  };
  const linked = issue.data;
  const openUnlink = (shown: LinearIssue) => {
    unlink.reset();
    setDialog(shown);
  };
  return (
    <section
      aria-labelledby={headingId}
      className="rounded-lg border border-slate-200 bg-white px-4 py-3"
    >
      <h2 id={headingId} className="text-sm font-semibold text-slate-700">
        Linear
      </h2>
      {/* As tall as a linked issue's lines, whatever is shown: nothing below it moves. */}
      <div className="mt-2 min-h-16">
        {issue.isPending ? (
          <div role="status" className="space-y-2">
            <span className="sr-only">Loading the Linear issue…</span>
            <div aria-hidden="true" className="h-4 w-24 animate-pulse rounded bg-slate-100" />
            <div aria-hidden="true" className="h-4 w-3/4 animate-pulse rounded bg-slate-100" />
          </div>
        ) : issue.isError ? (
          <PanelReadFailure
            what="The Linear issue"
            error={issue.error}
            retrying={issue.isFetching}
            onRetry={() => void issue.refetch()}
          />
        ) : linked ? (
          <LinkedIssue
            issue={linked}
            linkRef={link}
            onUnlink={writable ? () => openUnlink(linked) : undefined}
          />
        ) : writable ? (
          <div className="space-y-2">
            <p className="text-sm text-slate-500">No Linear issue yet.</p>
            <Button ref={create} onClick={() => setDialog("create")}>
              Create Linear issue
            </Button>
          </div>
        ) : (
          <p className="text-sm text-slate-500">No Linear issue.</p>
        )}
      </div>
      {/* What a dialog did, on a line of the panel's own, kept for it: in the page's corner (a
          Notice) it covered the panel's last line, and here it moves nothing as it comes and
          goes. Those who only read open no dialog. */}
      {writable && (
        <p role="status" className="mt-2 min-h-5 text-sm text-slate-600">
          {notice}
        </p>
      )}
      {dialog === "create" && (
        <CreateIssueDialog
          entity={entity}
          loaded={loaded}
          onCreated={(created) =>
            closeDialog(`Created ${created.identifier} in Linear and linked it.`)
          }
          onClose={() => closeDialog()}
        />
      )}
      {dialog !== null && dialog !== "create" && (
        <ConfirmDialog
          title={`Unlink ${dialog.identifier}?`}
          description={`${record.public_id} will no longer be linked to ${dialog.identifier}. The issue stays in Linear.`}
          confirmLabel="Unlink"
          busyLabel="Unlinking…"
          busy={unlink.isPending}
          error={unlink.error}
          onConfirm={async () => {
            // A refusal is shown from the mutation's error; the dialog stays.
            const unlinked = await unlink.mutateAsync(dialog).then(
              () => true,
              () => false,
            );
            if (unlinked) closeDialog(`Unlinked ${dialog.identifier}; the issue stays in Linear.`);
          }}
          onClose={() => closeDialog()}
        />
      )}
    </section>
  );
}
