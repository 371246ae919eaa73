/**
 * A record's files, on its page: each with its size, who uploaded it and when, to download.
 * Those who may change the record upload files (a button, or dropped on the panel) and delete
 * them after confirming; a file too large is refused before it is sent, in words. Readers, and
 * writers of a record in a locked status, only read.
 */
import { Paperclip, Upload } from "lucide-react";
import { useId, useRef, useState, type DragEvent } from "react";

import { ApiError } from "@/api/client";
import type { Attachment } from "@/api/types";
import { Button } from "@/components/Button";
import { ConfirmDialog } from "@/components/ConfirmDialog";
import { PanelReadFailure } from "@/components/Feedback";
import { personName } from "@/features/people/names";
import type { RecordPanelProps } from "@/features/records/api";
import { formatDateTime } from "@/features/records/times";
import { lockedStatus } from "@/features/records/workflow";
import { canWrite, isAdmin, useAttachmentLimits } from "@/features/tools/api";

import {
  downloadAttachment,
  uploadFailure,
  useAttachments,
  useDeleteAttachment,
  useUploadAttachment,
} from "../api";
import { formatSize, uploadRefusal } from "../files";

function AttachmentItem({
  attachment,
  onDownload,
  onDelete,
}: {
  attachment: Attachment;
  onDownload: () => void;
  /** Offered to those who may change the record's files. */
  onDelete?: () => void;
}) {
  return (
    <li className="flex items-start justify-between gap-2 py-2">
      <div className="min-w-0 text-sm">
        <button
          type="button"
          onClick={onDownload}
          className="text-left font-medium text-indigo-700 [overflow-wrap:anywhere] hover:underline"
          title={`Download ${attachment.name}`}
        >
          {/* The uploader's text, isolated: direction marks in it cannot reorder the panel. */}
          <bdi>{attachment.name}</bdi>
        </button>
        <p className="text-xs text-slate-500">
          {formatSize(attachment.size)}
          {` · ${personName(attachment.uploaded_by)}`} ·{" "}
          <time dateTime={attachment.created_at}>{formatDateTime(attachment.created_at)}</time>
        </p>
      </div>
      {onDelete && (
        <Button
          variant="ghost"
          className="-my-1 shrink-0 px-2 py-1 text-xs"
          aria-label={`Delete ${attachment.name}`}
          onClick={onDelete}
        >
          Delete
        </Button>
      )}
    </li>
  );
}

export function AttachmentsPanel({ tool, entity, loaded }: RecordPanelProps) {
  const { record } = loaded;
  const attachments = useAttachments(entity, record.id);
  const upload = useUploadAttachment(entity, loaded);
  const remove = useDeleteAttachment(entity, loaded);
  const limits = useAttachmentLimits();
  const [deleting, setDeleting] = useState<Attachment | null>(null);
  const [uploading, setUploading] = useState<string | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [notice, setNotice] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const headingId = useId();
  const locked = lockedStatus(entity, record.status, isAdmin(tool));
  const mayChange = canWrite(tool) && !locked;

  async function uploadAll(files: File[]) {
    if (uploading || files.length === 0) return;
    const refused: string[] = [];
    const uploaded: string[] = [];
    setProblems([]);
    setNotice(null);
    for (const file of files) {
      const refusal = uploadRefusal(file, limits?.max_bytes);
      if (refusal) {
        refused.push(refusal);
        continue;
      }
      setUploading(file.name);
      try {
        await upload.mutateAsync(file);
        uploaded.push(file.name);
      } catch (error) {
        refused.push(uploadFailure(file, error));
      }
    }
    setUploading(null);
    setProblems(refused);
    if (uploaded.length === 1) setNotice(`Uploaded ${uploaded[0]}.`);
    if (uploaded.length > 1) setNotice(`Uploaded ${uploaded.length} files.`);
  }

  async function download(attachment: Attachment) {
    setProblems([]);
    try {
      await downloadAttachment(entity, record.id, attachment);
    } catch (error) {
      const reason = error instanceof ApiError ? error.message : String(error);
      setProblems([`${attachment.name} could not be downloaded: ${reason}`]);
    }
  }

  const drop = mayChange
    ? {
        onDragOver: (event: DragEvent) => {
          if (!event.dataTransfer.types.includes("Files")) return;
          event.preventDefault();
          setDragging(true);
        },
        onDragLeave: () => setDragging(false),
        onDrop: (event: DragEvent) => {
          event.preventDefault();
          setDragging(false);
          void uploadAll([...event.dataTransfer.files]);
        },
      }
    : {};
  const files = attachments.data ?? [];
  return (
    <section
      aria-labelledby={headingId}
      className={`rounded-lg border bg-white px-4 py-3 ${
        dragging ? "border-indigo-400 ring-2 ring-indigo-200" : "border-slate-200"
      }`}
      {...drop}
    >
      <h2 id={headingId} className="flex items-center gap-1.5 text-sm font-semibold text-slate-700">
        <Paperclip className="size-4" aria-hidden="true" /> Attachments
      </h2>
      {attachments.isPending ? (
        <div role="status" className="mt-2">
          <span className="sr-only">Loading the attachments…</span>
          <div aria-hidden="true" className="h-4 w-3/4 animate-pulse rounded bg-slate-100" />
        </div>
      ) : attachments.isError ? (
        <div className="mt-2">
          <PanelReadFailure
            what="The attachments"
            error={attachments.error}
            retrying={attachments.isFetching}
            onRetry={() => void attachments.refetch()}
          />
        </div>
      ) : files.length === 0 ? (
        <p className="mt-2 text-sm text-slate-500">No files.</p>
      ) : (
        <ul className="mt-1 divide-y divide-slate-100">
          {files.map((attachment) => (
            <AttachmentItem
              key={attachment.id}
              attachment={attachment}
              onDownload={() => void download(attachment)}
              onDelete={
                mayChange
                  ? () => {
                      remove.reset();
                      setDeleting(attachment);
                    }
                  : undefined
              }
            />
          ))}
        </ul>
      )}
      {problems.length > 0 && (
        <ul role="alert" className="mt-2 space-y-1 text-sm text-red-700">
          {problems.map((problem, index) => (
            <li key={index}>{problem}</li>
          ))}
        </ul>
      )}
      {mayChange && (
        <div className="mt-2 flex flex-wrap items-center gap-2">
          <input
            ref={input}
            type="file"
            multiple
            hidden
            aria-label="Files to upload"
            onChange={(event) => {
              const chosen = [...(event.target.files ?? [])];
              event.target.value = "";
              void uploadAll(chosen);
            }}
          />
          <Button onClick={() => input.current?.click()} disabled={uploading !== null}>
            <Upload className="size-4" aria-hidden="true" /> Upload files
          </Button>
          <span className="text-xs text-slate-500">or drop them here</span>
        </div>
      )}
      {canWrite(tool) && locked && (
        <p className="mt-2 text-sm text-slate-600">
          {locked.label} records are locked: only admins may change their files.
        </p>
      )}
      {mayChange && (
        <p role="status" className="mt-2 min-h-5 text-sm text-slate-600">
          {uploading ? `Uploading ${uploading}…` : notice}
        </p>
      )}
      {deleting && (
        <ConfirmDialog
          title={`Delete ${deleting.name}?`}
          description={`The file is removed from ${record.public_id} for everyone; its name stays in the record's history.`}
          confirmLabel="Delete"
          busyLabel="Deleting…"
          busy={remove.isPending}
          error={remove.error}
          onConfirm={async () => {
            // A refusal is shown from the mutation's error; the dialog stays.
            const deleted = await remove.mutateAsync(deleting).then(
              () => true,
              () => false,
            );
            if (deleted) {
              setNotice(`Deleted ${deleting.name}.`);
              setDeleting(null);
            }
          }}
          onClose={() => setDeleting(null)}
        />
      )}
    </section>
  );
}
