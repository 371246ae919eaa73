/**
 * A field's value as the user reads it, wherever it is read: a choice by its label, a person by
 * name, a linked record by its public id and name (as the pickers show it), yes or no, numbers
 * with the user's grouping and floats rounded as people write them (`numbers.ts`), and dates and times in the user's locale and time zone (`times.ts`). The record's page and its
 * list (`FieldValue`), the edit conflict's choice of values and bulk edit's summary all read
 * values through these.
 */
import type { EntityReference, FieldManifest } from "@/api/types";
import { personLabel } from "@/features/people/names";

import { splitList, type FormValue } from "./fields";
import { formatNumber } from "./numbers";
import { formatDate, formatDateTime, localToUtc } from "./times";

/** A choice field's value by its label ("SMD" → "Surface mount"); a value none has, as it is. */
export function choiceLabel(field: FieldManifest, value: string): string {
  return field.choices?.find((choice) => choice.value === value)?.label ?? value;
}

/** A linked record as its chip and the pickers show it: "CMP-0042 Resistor 10k". */
export function referenceLabel(reference: Pick<EntityReference, "public_id" | "name">): string {
  return reference.name ? `${reference.public_id} ${reference.name}` : reference.public_id;
}

/** The types whose values are numbers: shown in the user's grouping, right-aligned in a list. */
export const NUMERIC_TYPES = new Set<FieldManifest["type"]>(["integer", "decimal", "number"]);

/** A yes/no field's value: "Yes" or "No". */
export function yesNo(value: boolean): "Yes" | "No" {
  return value ? "Yes" : "No";
}

/** A person's name by their id, once it is read (`usePeopleNames`); undefined until then. */
export type PersonName = (id: string) => string | undefined;

/**
 * A form's value (`FormValue`, as its input holds it) in words, "" when it holds none: each
 * place says an empty value its own way ("(empty)", "clear Supplier").
 */
export function shownFormValue(
  field: FieldManifest,
  value: FormValue | undefined,
  personName: PersonName = () => undefined,
): string {
  if (typeof value === "boolean") return yesNo(value);
  if (Array.isArray(value)) return value.map(referenceLabel).join(", ");
  if (value === undefined) return "";
  if (field.type === "tags") return splitList(value).join(", ");
  if (field.type === "text" || field.type === "json") return value;
  const text = value.trim();
  if (text === "") return "";
  switch (field.type) {
    case "user":
      return personName(text) ?? personLabel(text, undefined);
    case "date":
      return formatDate(text);
    case "datetime": {
      const utc = localToUtc(text);
      return utc ? formatDateTime(utc) : text;
    }
    case "integer":
    case "decimal":
    case "number":
      return formatNumber(field, text);
    default:
      return choiceLabel(field, text);
  }
}

/** "a", "a and b", "a, b and c". */
export function joinWords(words: string[]): string {
  return words.length > 1
    ? `${words.slice(0, -1).join(", ")} and ${words[words.length - 1]}`
    : (words[0] ?? "");
}
