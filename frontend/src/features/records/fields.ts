/**
 * A record's form, derived from the manifest: which fields it has, the zod schema that
 * checks them as the user types (the API checks again, and its 400 names the field),
 * and the conversion between a record, the form's values and a request body.
 */
import { z } from "zod";

import { ApiError } from "@/api/client";
import type { EntityManifest, EntityRecord, EntityReference, FieldManifest } from "@/api/types";

import { floatInput } from "./numbers";
import { localTimeProblem, localToUtc, toLocalInput } from "./times";

/**
 * A form value: text for every input but a checkbox and a link to records, whose value is
 * the linked records (one at most for a single link), each with what its chip shows.
 */
export type FormValue = string | boolean | EntityReference[];
export type FormValues = Record<string, FormValue>;

/** The fields every entity has that come after a tool's own in a form. */
const COMMON_LAST = ["category", "tags", "description"];

/**
 * The form's fields: the name, the tool's own, then the common ones. Status moves through
 * the workflow's transitions on the record's page, never in the form.
 */
export function editableFields(entity: EntityManifest): FieldManifest[] {
  const writable = entity.fields.filter((field) => !field.read_only && field.name !== "status");
  const named = (names: string[]) =>
    names.flatMap((name) => writable.filter((field) => field.name === name));
  const own = writable.filter(
    (field) => field.name !== "name" && !COMMON_LAST.includes(field.name),
  );
  return [...named(["name"]), ...own, ...named(COMMON_LAST)];
}

/** Types whose empty value is none at all: such a field, unless nullable, always has one. */
const NEVER_BLANK = new Set<FieldManifest["type"]>([
  "integer",
  "decimal",
  "number",
  "date",
  "datetime",
  "time",
  "uuid",
  "json",
  "user",
]);

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function isUrl(value: string): boolean {
  try {
    return ["http:", "https:", "ftp:", "ftps:"].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

function isJson(value: string): boolean {
  try {
    JSON.parse(value);
    return true;
  } catch {
    return false;
  }
}

/** Comma-separated names (tags, a filter's values), blanks dropped. */
export function splitList(value: string): string[] {
  return value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Characters as the API counts them: code points (an emoji is one, not two). */
function length(value: string): number {
  return [...value].length;
}

function decimalPlaces(value: string): number {
  return value.includes(".") ? (value.split(".")[1] ?? "").length : 0;
}

function compareBounds(
  field: FieldManifest,
  value: string,
  toNumber: (text: string) => number | bigint,
): string | null {
  const number = toNumber(value);
  if (field.min !== null && number < toNumber(field.min)) {
    return `Ensure this value is greater than or equal to ${field.min}.`;
  }
  if (field.max !== null && number > toNumber(field.max)) {
    return `Ensure this value is less than or equal to ${field.max}.`;
  }
  return null;
}

/**
 * What a number field takes, said when its text is none: "Enter a number like 1234.50, without
 * thousands separators." (the example with the places a decimal declares).
 */
function numberFormatProblem(field: FieldManifest): string {
  if (field.type === "integer")
    return "Enter a whole number like 1234, without thousands separators.";
  const places = field.type === "decimal" ? (field.decimal_places ?? 1) : 1;
  const example = places > 0 ? `1234.5${"0".repeat(places - 1)}` : "1234";
  return `Enter a number like ${example}, without thousands separators.`;
}

/** The first thing wrong with a filled-in text value of this field, or null. */
function problemWith(field: FieldManifest, value: string): string | null {
  if (field.max_length !== null && field.type !== "tags" && length(value) > field.max_length) {
    return `Ensure this field has no more than ${field.max_length} characters.`;
  }
  switch (field.type) {
    case "integer":
      return INTEGER.test(value) ? compareBounds(field, value, BigInt) : numberFormatProblem(field);
    case "decimal":
      if (!DECIMAL.test(value)) return numberFormatProblem(field);
      if (field.decimal_places !== null && decimalPlaces(value) > field.decimal_places) {
        return `Ensure that there are no more than ${field.decimal_places} decimal places.`;
      }
      return compareBounds(field, value, Number);
    case "number":
      return Number.isFinite(Number(value))
        ? compareBounds(field, value, Number)
        : numberFormatProblem(field);
    case "email":
      return EMAIL.test(value) ? null : "Enter a valid email address.";
    case "url":
      return isUrl(value) ? null : "Enter a valid URL.";
    case "json":
      return isJson(value) ? null : "Enter valid JSON.";
    case "datetime":
      return localTimeProblem(value);
    case "choice":
      return field.choices?.some((choice) => choice.value === value)
        ? null
        : "Select one of the choices.";
    case "tags": {
      const tooLong = splitList(value).find((tag) => length(tag) > (field.max_length ?? Infinity));
      return tooLong ? `Tag "${tooLong}" is longer than ${field.max_length} characters.` : null;
    }
    default:
      return null;
  }
}

/** The types whose filter values are checked: a number's, or a time's (as the user's own). */
const CHECKED_FILTERS = new Set<FieldManifest["type"]>([
  "integer",
  "decimal",
  "number",
  "datetime",
]);

/**
 * What is wrong with a value the list is to be filtered by, checked as the form checks the
 * field's (a number's format, places and bounds; a time's years), or null. Text is matched, not checked: a
 * URL field's "contains" takes any part of one.
 */
export function filterProblem(field: FieldManifest, value: string): string | null {
  const text = value.trim();
  return text && CHECKED_FILTERS.has(field.type) ? problemWith(field, text) : null;
}

/**
 * One field's check. `initial` is what an edit starts from: a record's value (which passes
 * as it is), or `null` when editing many records at once (every value is new to some);
 * creating, there is none.
 */
function fieldSchema(
  field: FieldManifest,
  initial?: FormValue | null,
): z.ZodType<FormValue, FormValue> {
  if (field.type === "boolean") return z.boolean();
  if (field.relation) {
    const many = field.relation.many;
    return z.array(z.custom<EntityReference>()).superRefine((linked, context) => {
      if (linked.length > 0) return;
      if (field.required) {
        const message = many ? "Choose at least one." : "This field is required.";
        context.addIssue({ code: "custom", message });
      }
      // Unlinking a record that had one: only a nullable link can name none.
      else if (!many && initial !== undefined && !field.nullable) {
        context.addIssue({ code: "custom", message: "This field cannot be empty." });
      }
    });
  }
  return z.string().superRefine((raw, context) => {
    // A value the user left as it was is the API's to judge, and is not sent.
    if (initial !== undefined && initial !== null && raw === initial) return;
    const value = field.type === "text" || field.type === "json" ? raw : raw.trim();
    if (value === "") {
      if (field.required) context.addIssue({ code: "custom", message: "This field is required." });
      // Emptying a field that was set: only a nullable one, or text, can be empty.
      else if (initial !== undefined && !field.nullable && NEVER_BLANK.has(field.type)) {
        context.addIssue({ code: "custom", message: "This field cannot be empty." });
      }
      return;
    }
    const problem = problemWith(field, value);
    if (problem) context.addIssue({ code: "custom", message: problem });
  });
}

/**
 * The form's checks; editing one record, `initial` holds its values, which pass as they are;
 * editing many at once (`"many"`), each field is checked as an edit's (a field that must
 * have a value cannot be emptied), with no stored value to let through.
 */
export function recordSchema(fields: FieldManifest[], initial?: FormValues | "many") {
  return z.object(
    Object.fromEntries(
      fields.map((field) => [
        field.name,
        fieldSchema(field, initial === "many" ? null : initial?.[field.name]),
      ]),
    ),
  );
}

/**
 * What the form's checks (`recordSchema`, with the same `initial`) find wrong with `values`
 * before any submit: each field's first reason, by the field's name; a field with no value
 * yet is checked as a blank one.
 */
export function formProblems(
  fields: FieldManifest[],
  values: Partial<FormValues>,
  initial?: FormValues | "many",
): Record<string, string> {
  const filled = Object.fromEntries(
    fields.map((field) => [field.name, values[field.name] ?? blankValue(field)]),
  );
  const result = recordSchema(fields, initial).safeParse(filled);
  const problems: Record<string, string> = {};
  for (const issue of result.error?.issues ?? []) problems[String(issue.path[0])] ??= issue.message;
  return problems;
}

function toFormValue(field: FieldManifest, value: unknown): FormValue {
  if (field.type === "boolean") return Boolean(value ?? false);
  if (field.relation?.many) return (value as EntityReference[] | null | undefined) ?? [];
  if (field.relation) return value ? [value as EntityReference] : [];
  if (value === null || value === undefined) return "";
  switch (field.type) {
    case "tags":
      return (value as string[]).join(", ");
    case "user":
      return String((value as { id: number }).id);
    case "datetime":
      return toLocalInput(String(value));
    case "json":
      return JSON.stringify(value, null, 2);
    case "number":
      return floatInput(value as number);
    default:
      return String(value);
  }
}

function blankValue(field: FieldManifest): FormValue {
  return field.type === "boolean" ? false : field.relation ? [] : "";
}

/** Nothing filled in, not even a default: a value to set on many records is the user's own. */
export function blankValues(fields: FieldManifest[]): FormValues {
  return Object.fromEntries(fields.map((field) => [field.name, blankValue(field)]));
}

/**
 * The form's values: a record's (to edit it: an empty value stays empty), or each field's
 * default (to create one), shown as a value of the field is.
 */
export function formValues(fields: FieldManifest[], record?: EntityRecord): FormValues {
  return Object.fromEntries(
    fields.map((field) => [
      field.name,
      toFormValue(field, record ? record[field.name] : field.default),
    ]),
  );
}

function toRequestValue(field: FieldManifest, value: FormValue): unknown {
  if (typeof value === "boolean") return value;
  if (Array.isArray(value)) {
    const ids = value.map((linked) => linked.id);
    return field.relation?.many ? ids : (ids[0] ?? null);
  }
  const text = field.type === "text" || field.type === "json" ? value : value.trim();
  if (field.type === "tags") return splitList(text);
  if (text === "") return field.nullable ? null : "";
  switch (field.type) {
    case "integer":
    case "user":
      return Number.isSafeInteger(Number(text)) ? Number(text) : text;
    case "number":
      return Number(text);
    case "datetime":
      return localToUtc(text);
    case "json":
      return JSON.parse(text);
    default:
      return text;
  }
}

/** Whether two form values are the same value: a link's by the records it names. */
export function sameFormValue(a: FormValue | undefined, b: FormValue | undefined): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    const ids = new Set(a.map((record) => record.id));
    return a.length === b.length && b.every((record) => ids.has(record.id));
  }
  return a === b;
}

/**
 * The request body: every field on create; on edit only those the user changed, so a
 * PATCH says what this user meant to change and nothing else.
 */
export function requestBody(
  fields: FieldManifest[],
  values: FormValues,
  changed?: (name: string) => boolean,
): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field.name];
    if (value === undefined || (changed && !changed(field.name))) continue;
    const empty = Array.isArray(value)
      ? value.length === 0
      : typeof value === "string" && value.trim() === "";
    // On create, an optional field left empty is left to the server's default.
    if (!changed && empty && !field.required) continue;
    body[field.name] = toRequestValue(field, value);
  }
  return body;
}

/** A field the API refused, as the user knows it, with the API's reasons. */
export interface FieldRefusal {
  /** The field's name in the API (or the parameter's, or `non_field_errors`). */
  name: string;
  /** The field of `fields` it names, if any. */
  field: FieldManifest | undefined;
  /** Its label ("Measured value"); a name no field has as it is; none for the request's own. */
  label: string | null;
  messages: string[];
}

/**
 * What a refusal (a 400, a 409 `revert_conflict`) says of each field, by the label the form
 * and the record's page give it: the fields of `fields` in their order, then any other name
 * the API gave. None for any other failure.
 */
export function refusedFields(fields: FieldManifest[], error: unknown): FieldRefusal[] {
  if (!(error instanceof ApiError)) return [];
  const known = fields
    .filter((field) => error.errors[field.name])
    .map((field) => ({
      name: field.name,
      field,
      label: field.label,
      messages: error.errors[field.name] ?? [],
    }));
  const others = Object.entries(error.errors)
    .filter(([name]) => !fields.some((field) => field.name === name))
    .map(([name, messages]) => ({
      name,
      field: undefined,
      label: name === "non_field_errors" ? null : name,
      messages,
    }));
  return [...known, ...others];
}

/** A many-to-many link's refusal: each refused record's messages by its id, and the rest. */
export interface LinkRefusals {
  byRecord: ReadonlyMap<number, string[]>;
  /** What no record of the list explains: the list's own messages ("Ensure this field …"). */
  others: string[];
}

/**
 * What a refusal says of field `name`'s links: the API names each refused record by its
 * position in the list sent (`{"instruments": {"1": ["…"]}}`), which `sent` (that list of
 * ids) turns into the record's id, so the record's chip stays marked however the list changes
 * after; any other message, or one at a position not sent, is the field's.
 */
export function linkRefusals(error: unknown, name: string, sent: unknown): LinkRefusals {
  if (!(error instanceof ApiError)) return { byRecord: new Map(), others: [] };
  const byPosition = error.errorsByPart[name];
  if (!byPosition) return { byRecord: new Map(), others: error.errors[name] ?? [] };
  const ids = Array.isArray(sent) ? sent : [];
  const byRecord = new Map<number, string[]>();
  const others: string[] = [];
  for (const [position, messages] of Object.entries(byPosition)) {
    const id: unknown = ids[Number(position)];
    if (typeof id === "number") byRecord.set(id, messages);
    else others.push(...messages);
  }
  return { byRecord, others };
}

/** "Check Part number, Unit.": what to look at, by the fields' labels; none if no field. */
export function checkFields(refusals: FieldRefusal[]): string | undefined {
  const labels = refusals.flatMap(({ label }) => (label ? [label] : []));
  return labels.length > 0 ? `Check ${labels.join(", ")}.` : undefined;
}
