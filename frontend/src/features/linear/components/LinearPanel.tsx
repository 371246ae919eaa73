/**
 * A record's Linear issue, on its page: the issue linked to it (identifier, title, state, who
 * linked it and when), or for those who may write the record, a way to create one. Shown only
 * when the server has Linear configured; a reader of an unlinked record reads one quiet line.
 */
import { ExternalLink } from "lucide-react";
import { useEffect, useId, useRef, useState, type RefObject } from "react";

import { ApiError } from "@/api/client";
import type { EntityManifest, EntityRecord, LinearIssue, ToolManifest } from "@/api/types";
import { Button } from "@/components/Button";
import { Notice } from "@/components/Feedback";
import { Badge } from "@/components/StatusBadge";
import { formatDateTime } from "@/features/records/components/FieldValue";
import { canWrite, useIntegrations } from "@/features/tools/api";

import { useLinearIssue } from "../api";
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

/** How long the line saying what was done stays. */
const NOTICE_MS = 6000;

function LinkedIssue({
  issue,
  linkRef,
}: {
  issue: LinearIssue;
  linkRef: RefObject<HTMLAnchorElement | null>;
}) {
  return (
    <div className="space-y-1 text-sm">
      <p className="flex flex-wrap items-center gap-2">
        <a
          ref={linkRef}
          href={issue.url}
          target="_blank"
          rel="noopener noreferrer"
          className="inline-flex items-center gap-1 font-medium text-indigo-700 hover:underline"
        >
          {issue.identifier}
          <ExternalLink className="size-3.5" aria-hidden="true" />
          <span className="sr-only">(opens Linear in a new tab)</span>
        </a>
        <Badge color={STATE_COLOURS[issue.state_type] ?? "gray"}>{issue.state}</Badge>
      </p>
      <p className="break-words text-slate-900">{issue.title}</p>
      <p className="text-xs text-slate-500">
        Linked{issue.created_by ? ` by ${issue.created_by.name}` : ""}{" "}
        <time dateTime={issue.created_at}>{formatDateTime(issue.created_at)}</time>
      </p>
    </div>
  );
}

export function LinearPanel({
  tool,
  entity,
  record,
}: {
  tool: ToolManifest;
  entity: EntityManifest;
  record: EntityRecord;
}) {
  const configured = useIntegrations().linear;
  const issue = useLinearIssue(entity, record.id, configured);
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const link = useRef<HTMLAnchorElement>(null);
  const headingId = useId();
  useEffect(() => {
    if (!notice) return;
    // The button that opened the dialog is gone: the focus goes to the issue in its place.
    link.current?.focus();
    const timer = setTimeout(() => setNotice(null), NOTICE_MS);
    return () => clearTimeout(timer);
  }, [notice]);

  if (!configured) return null;
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
          <div role="alert" className="space-y-2 text-sm text-red-700">
            <p>
              The Linear issue could not be read:{" "}
              {issue.error instanceof ApiError ? issue.error.message : String(issue.error)}
            </p>
            <Button onClick={() => void issue.refetch()} disabled={issue.isFetching}>
              Try again
            </Button>
          </div>
        ) : issue.data ? (
          <LinkedIssue issue={issue.data} linkRef={link} />
        ) : canWrite(tool) ? (
          <div className="space-y-2">
            <p className="text-sm text-slate-500">No Linear issue yet.</p>
            <Button onClick={() => setCreating(true)}>Create Linear issue</Button>
          </div>
        ) : (
          <p className="text-sm text-slate-500">No Linear issue.</p>
        )}
      </div>
      {notice && <Notice>{notice}</Notice>}
      {creating && (
        <CreateIssueDialog
          entity={entity}
          record={record}
          onCreated={(created) => {
            setCreating(false);
            setNotice(`Created ${created.identifier} in Linear and linked it.`);
          }}
          onClose={() => setCreating(false)}
        />
      )}
    </section>
  );
}
