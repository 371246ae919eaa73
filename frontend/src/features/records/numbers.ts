/**
 * Numbers as people read and type them: in the user's locale, a decimal with its field's
 * places, and a float rounded as people write it, never with a binary fraction's artefacts.
 */
import type { FieldManifest } from "@/api/types";

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * A float (a `number` field) to 12 significant digits, its whole part always whole: more than
 * anyone types or measures, and fewer than the 16 or 17 that show a binary fraction's
 * artefacts, so 0.1 + 0.2 stored reads "0.3", not "0.30000000000000004".
 */
const FLOAT_ROUNDING = {
  maximumSignificantDigits: 12,
  maximumFractionDigits: 0,
  roundingPriority: "morePrecision",
} as const;

/**
 * A number in the user's locale ("20000.00" → "20,000.00"): a decimal with the places its field
 * declares, an integer with none, a float rounded as people write it (`FLOAT_ROUNDING`). Read
 * from the text, so no digit of a decimal is lost to floating point; text that is no number
 * stays as it is.
 */
export function formatNumber(field: FieldManifest, value: string | number): string {
  const text = String(value).trim();
  if (!NUMBER.test(text)) return text;
  const places =
    field.type === "decimal" ? field.decimal_places : field.type === "integer" ? 0 : null;
  const options =
    places === null
      ? FLOAT_ROUNDING
      : { minimumFractionDigits: places, maximumFractionDigits: places };
  return new Intl.NumberFormat(undefined, options).format(text as `${number}`);
}

/**
 * A float as a form's input holds it: rounded as it is shown (`FLOAT_ROUNDING`), in the
 * API's notation ("0.3", no grouping). The form sends only what the user changed, so a
 * float left as it was keeps every digit it is stored with.
 */
export function floatInput(value: number | string): string {
  const text = String(value).trim();
  if (!NUMBER.test(text)) return text;
  const options = { ...FLOAT_ROUNDING, useGrouping: false };
  return new Intl.NumberFormat("en-US", options).format(text as `${number}`);
}
