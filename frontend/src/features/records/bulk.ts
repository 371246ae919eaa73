/**
 * Writing the ticked records together: the bulk update's body, what it will do in words, and a refusal's items mapped back to the records they name.
 */
import { ApiError } from "@/api/client";
import type { EntityManifest, EntityReference, FieldManifest } from "@/api/types";
import { permissionFor } from "@/features/tools/api";

import { formProblems, requestBody, splitList, type FormValue, type FormValues } from "./fields";
import { joinWords, shownFormValue, type PersonName } from "./shownValues";
import { mayArchive, nextStatuses, statusLabel } from "./workflow";

/** "1 component", "3 components". */
export function countRecords(entity: EntityManifest, count: number): string {
  const label = count === 1 ? entity.label : entity.label_plural;
  return `${count} ${label.toLowerCase()}`;
}

/** A ticked record: what names it, and the status it moves from. */
export type Ticked = EntityReference & { status: string };

/**
 * The statuses every one of `records` can move to now, as the workflow and the caller's level
 * allow (archiving excepted: it has its own action), in the manifest's order: a bulk move is
 * all or nothing, so a status one of them cannot reach is not offered.
 */
export function bulkTargets(
  entity: EntityManifest,
  records: readonly { status: string }[],
  admin: boolean,
): string[] {
  const reachable = records.map((record) => new Set(nextStatuses(entity, record.status, admin)));
  return entity.statuses
    .map((status) => status.value)
    .filter((value) => records.length > 0 && reachable.every((targets) => targets.has(value)));
}

/**
 * Why `bulkTargets` offers the ticked records no status, in the user's words: they are in
 * different statuses with no move in common; their status is final (the workflow leads
 * nowhere from it but to the archive, which may be the admins' alone); or every move out of it
 * is the tool's admins'.
 */
export function noBulkTargetReason(
  entity: EntityManifest,
  records: readonly { status: string }[],
  admin: boolean,
): string {
  const plural = entity.label_plural.toLowerCase();
  const statuses = [...new Set(records.map((record) => record.status))];
  const [status = ""] = statuses;
  if (statuses.length > 1) {
    return (
      `The selected ${plural} are in different statuses ` +
      `(${joinWords(statuses.map((value) => statusLabel(entity, value)))}), with no status ` +
      `all of them can move to. Select ${plural} in the same status to move them together.`
    );
  }
  const label = statusLabel(entity, status);
  const adminPermission = `'${permissionFor(entity.name, "admin")}'`;
  if (admin || nextStatuses(entity, status, true).length === 0) {
    const archiving = mayArchive(entity, status, admin)
      ? ""
      : ` Archiving them needs ${adminPermission}.`;
    return `${label} is a final status: ${plural} in it move to no other status.${archiving}`;
  }
  return `Moving ${plural} out of ${label} needs ${adminPermission}.`;
}

/**
 * Why the ticked records may not be archived together, or null when they may: archiving is
 * all or nothing, and a record in a status only admins may archive from (a final one, or one
 * only admins may leave; `mayArchive`, as the record's page has it) would fail the lot.
 */
export function bulkArchiveRefusal(
  entity: EntityManifest,
  records: readonly { status: string }[],
  admin: boolean,
): string | null {
  const plural = entity.label_plural.toLowerCase();
  const refused = [
    ...new Set(
      records
        .filter((record) => !mayArchive(entity, record.status, admin))
        .map((record) => record.status),
    ),
  ];
  if (refused.length === 0) return null;
  if (refused.includes(entity.archived_status)) {
    return `Some selected ${plural} are archived already: restore them from their own pages.`;
  }
  const labels = joinWords(refused.map((value) => statusLabel(entity, value)));
  return `Archiving ${plural} in ${labels} needs '${permissionFor(entity.name, "admin")}'.`;
}

/** The values to set, as the API takes them: every chosen field, an emptied one too. */
export function bulkChanges(fields: FieldManifest[], values: FormValues): Record<string, unknown> {
  return requestBody(fields, values, () => true);
}

/** What a bulk edit does to each record's tags: adds the names given, removes them, or
 * replaces the record's tags with them. */
export type TagsMode = "add" | "remove" | "replace";

/** The tags to add to and remove from every record (`add_tags`, `remove_tags` in
 * `PATCH …/bulk/`: each keeps its other tags). */
export interface TagChange {
  add: string[];
  remove: string[];
}

export interface BulkEdit {
  /** The values to set on every record; empty when only tags change. */
  changes: Record<string, unknown>;
  /** The tags to add or remove; null when they are replaced (in `changes`) or left. */
  tags: TagChange | null;
}

/** The chosen tags field, when its names are added or removed rather than set. */
function taggedField(fields: FieldManifest[], mode: TagsMode): FieldManifest | undefined {
  return mode === "replace" ? undefined : fields.find((field) => field.type === "tags");
}

/** The chosen fields' values as `PATCH …/bulk/` takes them: values and tag changes. */
export function bulkEdit(fields: FieldManifest[], values: FormValues, mode: TagsMode): BulkEdit {
  const tagged = taggedField(fields, mode);
  const changes = bulkChanges(
    fields.filter((field) => field !== tagged),
    values,
  );
  if (!tagged) return { changes, tags: null };
  const names = splitList(String(values[tagged.name] ?? ""));
  return {
    changes,
    tags: mode === "add" ? { add: names, remove: [] } : { add: [], remove: names },
  };
}

/**
 * `PATCH …/bulk/`'s body: one item per record, in the order given (the API reports a
 * refusal by that position), each setting the same values and making the same tag changes,
 * so that values and tags are one write, all or nothing; and the same comment, if any, which
 * each record's audit entry keeps.
 */
export function bulkUpdateBody(
  records: readonly EntityReference[],
  changes: Record<string, unknown>,
  tags: TagChange | null = null,
  comment = "",
): Record<string, unknown>[] {
  const extras = {
    ...(tags?.add.length ? { add_tags: tags.add } : {}),
    ...(tags?.remove.length ? { remove_tags: tags.remove } : {}),
    ...(comment ? { comment } : {}),
  };
  return records.map(({ id }) => ({ id, ...changes, ...extras }));
}

/** One field's change in words: "set Supplier to “Mouser”", or "clear Supplier". */
function describeChange(field: FieldManifest, value: FormValue, personName?: PersonName): string {
  const shown = shownFormValue(field, value, personName);
  if (shown === "") return `clear ${field.label}`;
  return typeof value === "boolean"
    ? `set ${field.label} to ${shown}`
    : `set ${field.label} to “${shown}”`;
}

/**
 * What applying will do, each value as the record's page shows it (`shownFormValue`: a person
 * by name, once `personName` has read it): "Set Supplier to “Mouser” and clear Datasheet URL
 * on 2 components.",
 * "Add “urgent” to 3 components.", "Set Supplier to “Mouser” on 2 components, and remove
 * “old” from them." A required field left blank cannot be cleared, nor can no tag be added
 * or removed, so the sentence asks for it instead: "Part number needs a value."; and a value
 * the form's checks refuse is not described as if it would be set, but what to fix is said:
 * "Unit cost: Enter a number like 1234.50, without thousands separators."
 */
export function describeBulkUpdate(
  entity: EntityManifest,
  fields: FieldManifest[],
  values: FormValues,
  count: number,
  mode: TagsMode = "replace",
  personName?: PersonName,
): string {
  const tagged = taggedField(fields, mode);
  const missing = fields.filter(
    (field) =>
      (field.required || field === tagged) && shownFormValue(field, values[field.name]) === "",
  );
  const problems = formProblems(fields, values, "many");
  const wrong = fields
    .filter((field) => !missing.includes(field) && problems[field.name])
    .map((field) => `${field.label}: ${problems[field.name]}`);
  if (missing.length > 0 || wrong.length > 0) {
    const labels = joinWords(missing.map((field) => field.label));
    const needed =
      missing.length > 0 ? [`${labels} ${missing.length === 1 ? "needs" : "need"} a value.`] : [];
    return [...needed, ...wrong].join(" ");
  }
  const records = countRecords(entity, count);
  const set = fields
    .filter((field) => field !== tagged)
    .map((field) => describeChange(field, values[field.name] ?? "", personName));
  const clauses = set.length > 0 ? [`${joinWords(set)} on ${records}`] : [];
  if (tagged) {
    const names = joinWords(splitList(String(values[tagged.name])).map((name) => `“${name}”`));
    const [verb, preposition] = mode === "add" ? ["add", "to"] : ["remove", "from"];
    clauses.push(`${verb} ${names} ${preposition} ${set.length > 0 ? "them" : records}`);
  }
  const sentence = `${clauses.join(", and ")}.`;
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
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
 * request (`sent`, in the order sent), each with its messages by field (by its label, or
 * by the one `labels` gives what is not a field, a bulk move's comment); empty for any other
 * failure.
 */
export function failedRecords(
  entity: EntityManifest,
  error: unknown,
  sent: readonly EntityReference[],
  labels: Readonly<Record<string, string>> = {},
): RecordFailure[] {
  if (!(error instanceof ApiError)) return [];
  const label = (name: string) =>
    name === "non_field_errors"
      ? null
      : (entity.fields.find((field) => field.name === name)?.label ?? labels[name] ?? name);
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
