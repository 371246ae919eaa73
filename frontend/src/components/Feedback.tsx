/** What the user sees while waiting, when something failed, and when there is nothing. */
import type { ReactNode, Ref } from "react";

import { ApiError } from "@/api/client";

import { Button } from "./Button";

export function Spinner({ label = "Loading…" }: { label?: string }) {
  return (
    <div role="status" className="flex items-center gap-2 p-6 text-sm text-slate-500">
      <span className="size-4 animate-spin rounded-full border-2 border-slate-300 border-t-indigo-600" />
      {label}
    </div>
  );
}

function explain(error: unknown): { title: string; detail: string; requestId: string | null } {
  if (!(error instanceof ApiError)) {
    return {
      title: "Something went wrong",
      detail: error instanceof Error ? error.message : String(error),
      requestId: null,
    };
  }
  const titles: Record<number, string> = {
    0: "No connection",
    401: "Your sign-in is no longer valid",
    403: "You may not do this",
    404: "Not found",
    409: "Not possible right now",
    412: "Changed by someone else",
    429: "Too many requests",
  };
  const title =
    titles[error.status] ?? (error.status >= 500 ? "The server failed" : "Not accepted");
  // The API's own words for a 412 are for programs: they name the record's ETag.
  const detail =
    error.status === 412 ? "Someone changed this record after you opened it." : error.message;
  return { title, detail, requestId: error.requestId };
}

/**
 * A failure, in words: what kind, the API's detail, the request id to quote, and with
 * `fieldMessages` each parameter's or field's reason (where no form shows them).
 */
export function ErrorPanel({
  error,
  title: ownTitle,
  detail: ownDetail,
  fieldMessages = false,
  children,
}: {
  error: unknown;
  /** What failed, in the caller's words, in place of the kind of failure its status says. */
  title?: string;
  /** Why, in the caller's words (the fields by their labels), in place of the API's detail. */
  detail?: ReactNode;
  fieldMessages?: boolean;
  children?: ReactNode;
}) {
  const explained = explain(error);
  const { requestId } = explained;
  const title = ownTitle ?? explained.title;
  const detail = ownDetail ?? explained.detail;
  const reasons = fieldMessages && error instanceof ApiError ? Object.entries(error.errors) : [];
  return (
    <div
      role="alert"
      className="rounded-md border border-red-200 bg-red-50 p-4 text-sm text-red-800"
    >
      <p className="font-semibold">{title}</p>
      <div className="mt-1">{detail}</div>
      {reasons.length > 0 && (
        <ul className="mt-1 list-disc pl-5">
          {reasons.map(([name, messages]) => (
            <li key={name}>
              <code>{name}</code>: {messages.join(" ")}
            </li>
          ))}
        </ul>
      )}
      {requestId && (
        <p className="mt-1 text-xs text-red-700/80">
          Request id <code>{requestId}</code>
        </p>
      )}
      {children && <div className="mt-3 flex gap-2">{children}</div>}
    </div>
  );
}

/**
 * A part of a page whose read failed, in a line of the panel's own ("The attachments could not
 * be read: …"), and a way to read it again.
 */
export function PanelReadFailure({
  what,
  error,
  retrying,
  onRetry,
}: {
  /** What could not be read, as the start of a sentence ("The Linear issue"). */
  what: string;
  error: unknown;
  retrying: boolean;
  onRetry: () => void;
}) {
  return (
    <div role="alert" className="space-y-2 text-sm text-red-700">
      <p>
        {what} could not be read: {error instanceof ApiError ? error.message : String(error)}
      </p>
      <Button onClick={onRetry} disabled={retrying}>
        Try again
      </Button>
    </div>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 p-10 text-center">
      <p className="text-sm font-medium text-slate-700">{title}</p>
      {children && <div className="mt-3 text-sm text-slate-500">{children}</div>}
    </div>
  );
}

/**
 * What was just done, in a line in the page's corner: in the page's flow it would push what
 * is below it about, and again when it goes. Its owner removes it after a few seconds.
 */
export function Notice({ children }: { children: ReactNode }) {
  return (
    <p
      role="status"
      className="fixed right-4 bottom-4 z-20 max-w-sm rounded-md bg-slate-900 px-4 py-2 text-sm text-white shadow-lg"
    >
      {children}
    </p>
  );
}

/**
 * What the user just did, said where they did it, for as long as it is true: a polite live
 * region, and a place the focus can go (its owner moves it there) when the control that was
 * used went away with the change. Empty, it takes no room and says nothing.
 */
export function Outcome({
  ref,
  children,
}: {
  ref: Ref<HTMLParagraphElement>;
  children: ReactNode;
}) {
  return (
    <p
      ref={ref}
      role="status"
      tabIndex={-1}
      className="rounded-md bg-green-50 px-3 py-2 text-sm text-green-800 empty:hidden focus:outline-none"
    >
      {children}
    </p>
  );
}
