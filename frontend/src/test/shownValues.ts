/**
 * Values of each kind a user reads, two of each field: as a record holds it (the API's), as a
 * form holds it, and the words every place shows it in (the tests' time zone is Berlin's, their
 * locale en-US). The record's page, the edit conflict and bulk edit are each held to them.
 */
import type { FieldManifest } from "@/api/types";
import type { FormValue } from "@/features/records/fields";

import { componentEntity, fieldManifest } from "./manifest";

const COMPONENTS = "/api/v1/components/components/";

export const PEOPLE: Record<string, string> = { "7": "Ada Lovelace", "8": "Bob Builder" };

const resistor = { id: 42, public_id: "CMP-0042", name: "Resistor 10k" };
const capacitor = { id: 2, public_id: "CMP-0002", name: "Ceramic capacitor" };
const converter = { id: 7, public_id: "CMP-0007", name: "Buck converter" };

const mount = fieldManifest("mount", "choice", {
  label: "Mount",
  nullable: true,
  choices: [
    { value: "SMD", label: "Surface mount" },
    { value: "THT", label: "Through hole" },
  ],
});
const borrower = fieldManifest("borrower", "user", { label: "Borrower", nullable: true });
const successor = fieldManifest("successor", "relation", {
  label: "Successor",
  nullable: true,
  relation: { entity: "components.component", api_path: COMPONENTS, many: false },
});
const spares = fieldManifest("spares", "relation", {
  label: "Spares",
  relation: { entity: "components.component", api_path: COMPONENTS, many: true },
});
const unitCost = fieldManifest("unit_cost", "decimal", {
  label: "Unit cost",
  nullable: true,
  decimal_places: 2,
});
const onHand = fieldManifest("on_hand", "integer", { label: "On hand", nullable: true });
const ratio = fieldManifest("ratio", "number", { label: "Ratio", nullable: true });
const preferred = fieldManifest("preferred", "boolean", { label: "Preferred" });
const releasedOn = fieldManifest("released_on", "date", { label: "Released on", nullable: true });
const releasedAt = fieldManifest("released_at", "datetime", {
  label: "Released at",
  nullable: true,
});

export interface ShownValue {
  field: FieldManifest;
  /** The value as a record holds it. */
  record: unknown;
  /** The value as the form holds it. */
  form: FormValue;
  /** How the user reads it. */
  shown: string;
}

export const SHOWN: ShownValue[] = [
  { field: mount, record: "SMD", form: "SMD", shown: "Surface mount" },
  { field: mount, record: "THT", form: "THT", shown: "Through hole" },
  { field: borrower, record: { id: 7, name: "Ada Lovelace" }, form: "7", shown: "Ada Lovelace" },
  { field: borrower, record: { id: 8, name: "Bob Builder" }, form: "8", shown: "Bob Builder" },
  { field: successor, record: resistor, form: [resistor], shown: "CMP-0042 Resistor 10k" },
  { field: successor, record: converter, form: [converter], shown: "CMP-0007 Buck converter" },
  {
    field: spares,
    record: [capacitor, converter],
    form: [capacitor, converter],
    shown: "CMP-0002 Ceramic capacitor, CMP-0007 Buck converter",
  },
  { field: spares, record: [resistor], form: [resistor], shown: "CMP-0042 Resistor 10k" },
  { field: preferred, record: true, form: true, shown: "Yes" },
  { field: preferred, record: false, form: false, shown: "No" },
  { field: releasedOn, record: "2026-12-01", form: "2026-12-01", shown: "Dec 1, 2026" },
  { field: releasedOn, record: "2027-01-15", form: "2027-01-15", shown: "Jan 15, 2027" },
  // Summer time, then winter time: the same 10:00 UTC is 12:00, then 11:00, in Berlin.
  {
    field: releasedAt,
    record: "2026-07-01T10:00:00Z",
    form: "2026-07-01T12:00",
    shown: "Jul 1, 2026, 12:00 PM",
  },
  {
    field: releasedAt,
    record: "2026-12-01T10:00:00Z",
    form: "2026-12-01T11:00",
    shown: "Dec 1, 2026, 11:00 AM",
  },
  // The user's grouping, with the places the field declares (a form's value may have fewer).
  { field: unitCost, record: "20000.00", form: "20000.00", shown: "20,000.00" },
  { field: unitCost, record: "1234.50", form: "1234.5", shown: "1,234.50" },
  { field: onHand, record: 12000, form: "12000", shown: "12,000" },
  { field: onHand, record: 7, form: "7", shown: "7" },
  // A float to 12 significant digits, whole part whole: no binary fraction's artefacts.
  { field: ratio, record: 0.30000000000000004, form: "0.3", shown: "0.3" },
  { field: ratio, record: 1234567.8901234567, form: "1234567.89012", shown: "1,234,567.89012" },
];

/** The fields of `SHOWN`, once each, in its order. */
export const SHOWN_FIELDS = [...new Set(SHOWN.map(({ field }) => field))];

/** The components entity with every field of `SHOWN` and a name. */
export const shownEntity = componentEntity([
  fieldManifest("name", "string", { label: "Name" }),
  ...SHOWN_FIELDS,
]);

/** `/api/v1/users/7/` answered as the API would, for the people of `PEOPLE` (else a 404). */
export function personAnswer(url: string): { id: number; name: string } | null {
  const id = /\/api\/v1\/users\/(\d+)\//.exec(url)?.[1];
  return id && PEOPLE[id] ? { id: Number(id), name: PEOPLE[id] } : null;
}
