/**
 * A dialog form's messages: under a field, its own (the form's check, then the API's); above
 * the fields, a refusal that no field's messages explain.
 */
import { ApiError } from "@/api/client";

import { ErrorPanel } from "./Feedback";

/** A field's messages, announced as they come; `id` is what the control is described by. */
export function FieldMessages({ id, messages }: { id: string; messages: string[] }) {
  return (
    <div id={id} aria-live="polite">
      {messages.map((message) => (
        <p key={message} className="mt-1 text-xs text-red-700">
          {message}
        </p>
      ))}
    </div>
  );
}

/**
 * The API's refusal of a form's submit, above its fields: none when the form's `shown` fields'
 * messages explain it (a 400 naming only them), else the failure, with the messages of any
 * field the form does not show. `title` says what failed in the form's words.
 */
export function FormRefusal({
  error,
  shown,
  title,
}: {
  error: unknown;
  shown: readonly string[];
  title?: string;
}) {
  if (error === null || error === undefined) return null;
  const apiError = error instanceof ApiError ? error : null;
  const others = Object.entries(apiError?.errors ?? {}).filter(([name]) => !shown.includes(name));
  const explained = apiError?.status === 400 && Object.keys(apiError.errors).length > 0;
  if (explained && others.length === 0) return null;
  return (
    <ErrorPanel error={error} title={title}>
      {others.length > 0 && (
        <ul className="list-disc pl-5">
          {others.map(([name, messages]) => (
            <li key={name}>
              {name}: {messages.join(" ")}
            </li>
          ))}
        </ul>
      )}
    </ErrorPanel>
  );
}
