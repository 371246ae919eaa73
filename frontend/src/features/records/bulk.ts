/**
 * Writing the ticked records together: a refusal's items mapped back to the records they
 * name, and how many records, in words.
 */
import { ApiError } from "@/api/client";
import type { EntityManifest, EntityReference } from "@/api/types";

/** "1 component", "3 components". */
export function countRecords(entity: EntityManifest, count: number): string {
  const label = count === 1 ? entity.label : entity.label_plural;
  return `${count} ${label.toLowerCase()}`;
}

/** A refused item's reasons, each under the label of the field it names (none: the item's). */
export interface Reason {
  field: string | null;
  messages: string[];
}

export interface RecordFailure {
  /** The record the item named; missing only if the API named a position never sent. */
  record: EntityReference | undefined;
  index: number;
  reasons: Reason[];
}

/**
 * The records a bulk write's 400 refused, found by the position of their item in the
 * request (`sent`, in the order sent), each with its messages by field; empty for any other
 * failure.
 */
export function failedRecords(
  entity: EntityManifest,
  error: unknown,
  sent: readonly EntityReference[],
): RecordFailure[] {
  if (!(error instanceof ApiError)) return [];
  const label = (name: string) =>
    name === "non_field_errors"
      ? null
      : (entity.fields.find((field) => field.name === name)?.label ?? name);
  // "Same as item 0 of this request" (docs/api.md): the user knows records, not positions.
  const named = (message: string) =>
    message.replace(
      /\bitem (\d+)(?= of this request)/g,
      (text, position: string) => sent[Number(position)]?.public_id ?? text,
    );
  return error.items.map(({ index, errors }) => ({
    record: sent[index],
    index,
    reasons: Object.entries(errors).map(([name, messages]) => ({
      field: label(name),
      messages: messages.map(named),
    })),
  }));
}
