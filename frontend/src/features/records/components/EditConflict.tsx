/**
 * An edit someone else's save got ahead of (a 412): who changed what meanwhile, the user's
 * changes kept on top of the latest version, and a choice wherever both changed a field.
 */
import { Fragment, useEffect, useRef, useState, type ReactNode } from "react";

import type { EntityManifest, EntityRecord, FieldManifest, ToolManifest } from "@/api/types";
import { Button } from "@/components/Button";
import { usePeopleNames } from "@/features/people/names";

import type { LatestVersion } from "../api";
import { actorName } from "../audit";
import {
  changedFields,
  changesBy,
  compareVersions,
  rebasedValues,
  type Comparison,
  type Versions,
} from "../conflict";
import { formValues, sameFormValue, type FormValue } from "../fields";
import { shownFormValue } from "../shownValues";
import { FieldValue } from "./FieldValue";
import type { RecordFormState } from "./RecordForm";

export interface EditConflict {
  /** The version the user had started from. */
  previous: EntityRecord;
  latest: LatestVersion;
  versions: Versions;
  comparison: Comparison;
}

type Choice = "mine" | "theirs";

/** Thrown by `requireChoices`: the submit stops, the choice asked for is shown. */
class ChoiceMissing extends Error {}

const choiceId = (name: string) => `conflict-${name}`;

/** The conflict an edit is in, if any, and what the user does about it. */
export function useEditConflict({ fields, form }: RecordFormState) {
  const [conflict, setConflict] = useState<EditConflict | null>(null);
  const [choices, setChoices] = useState<Record<string, Choice>>({});
  const [missing, setMissing] = useState(false);
  const unresolved = conflict?.comparison.both.filter((name) => !choices[name]) ?? [];

  return {
    conflict,
    choices,
    /** A save was tried before every choice was made: say which are missing. */
    missing: missing && unresolved.length > 0,
    /**
     * Puts the user's changes on top of `latest`: the form's values become the latest
     * version's, except those the user changed, which they keep (and which are sent).
     */
    rebase(previous: EntityRecord, latest: LatestVersion) {
      const versions: Versions = {
        base: formValues(fields, previous),
        latest: formValues(fields, latest.loaded.record),
        mine: form.getValues(),
      };
      const comparison = compareVersions(fields, versions);
      const values = rebasedValues(comparison, versions);
      form.reset(versions.latest);
      for (const { name } of fields) {
        const value = values[name];
        if (value !== undefined && !sameFormValue(value, versions.latest[name])) {
          form.setValue(name, value, { shouldDirty: true });
        }
      }
      setConflict({ previous, latest, versions, comparison });
      setChoices({});
      setMissing(false);
    },
    choose(name: string, choice: Choice) {
      const { mine, latest } = conflict?.versions ?? { mine: {}, latest: {} };
      const value = (choice === "mine" ? mine : latest)[name];
      if (value !== undefined) form.setValue(name, value, { shouldDirty: true });
      setChoices((current) => ({ ...current, [name]: choice }));
    },
    /** Before a save: every field both changed needs the user's choice, else the save stops. */
    requireChoices() {
      const [first] = unresolved;
      if (first === undefined) return;
      setMissing(true);
      document.getElementById(`${choiceId(first)}-mine`)?.focus();
      throw new ChoiceMissing(`Choose a value for ${first}.`);
    },
  };
}

export type EditConflictState = ReturnType<typeof useEditConflict>;

const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: "short" });
const dateAndTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** "at 14:03" today, "on 5 Dec 2026, 14:03" another day. */
function when(iso: string): string {
  const date = new Date(iso);
  return date.toDateString() === new Date().toDateString()
    ? `at ${timeOnly.format(date)}`
    : `on ${dateAndTime.format(date)}`;
}

/** "A, B and C". */
function listed(items: ReactNode[]) {
  return items.map((item, index) => (
    <Fragment key={index}>
      {index > 0 && (index === items.length - 1 ? " and " : ", ")}
      {item}
    </Fragment>
  ));
}

/**
 * The conflict in words, moved to and announced as it appears: who changed which field from
 * what to what, and when; then "Save my changes on top" (the form's submit) or discard them.
 */
export function ConflictNotice({
  entity,
  tools,
  state,
  conflict,
  saving,
  onDiscard,
}: {
  entity: EntityManifest;
  tools: ToolManifest[];
  state: RecordFormState;
  conflict: EditConflict;
  saving: boolean;
  onDiscard: () => void;
}) {
  const notice = useRef<HTMLDivElement>(null);
  useEffect(() => notice.current?.focus(), [conflict]);
  const { previous, latest, comparison } = conflict;
  // The form's fields, and the status (which moves on the record's page, not in the form).
  const shown = entity.fields.filter(
    (field) => field.name === "status" || state.fields.includes(field),
  );
  const changed = changedFields(
    shown,
    formValues(shown, previous),
    formValues(shown, latest.loaded.record),
  );
  const label = (name: string) => shown.find((field) => field.name === name)?.label ?? name;
  const change = (name: string) => {
    const field = shown.find((candidate) => candidate.name === name);
    if (!field) return name;
    const value = (record: EntityRecord) => (
      <FieldValue
        field={field}
        value={record[name]}
        statuses={entity.statuses}
        tools={tools}
        inline
      />
    );
    return (
      <span>
        {field.label} ({value(previous)} → {value(latest.loaded.record)})
      </span>
    );
  };
  return (
    <div
      ref={notice}
      role="alert"
      tabIndex={-1}
      className="rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-950 focus:outline-2 focus:outline-amber-500"
    >
      <p className="font-semibold">Changed while you were editing</p>
      {changed.length === 0 ? (
        <p className="mt-1">
          Someone saved this {entity.label.toLowerCase()} while you were editing, without changing
          any of these fields.
        </p>
      ) : (
        <ul className="mt-1 space-y-1 [overflow-wrap:anywhere]">
          {changesBy(changed, latest.history).map(({ entry, names }) => (
            <li key={entry?.id ?? "unknown"}>
              {entry ? (
                <>
                  {actorName(entry)} changed {listed(names.map(change))}{" "}
                  <time dateTime={entry.timestamp}>{when(entry.timestamp)}</time> while you were
                  editing.
                </>
              ) : (
                <>{listed(names.map(change))} changed while you were editing.</>
              )}
            </li>
          ))}
        </ul>
      )}
      <p className="mt-2">
        Your changes are still in the form; the fields you did not change now show the latest
        values.
        {comparison.both.length > 0 && (
          <>
            {" "}
            You both changed {listed(comparison.both.map(label))}: choose which value to keep below{" "}
            {comparison.both.length === 1 ? "it" : "each"}.
          </>
        )}
      </p>
      <div className="mt-3 flex flex-wrap gap-2">
        <Button type="submit" variant="primary" disabled={saving}>
          Save my changes on top
        </Button>
        <Button onClick={onDiscard} disabled={saving}>
          Discard mine and load the latest
        </Button>
      </div>
    </div>
  );
}

/** A form's value as the record's page shows it (`shownFormValue`), or "(empty)". */
function ShownValue({ field, value }: { field: FieldManifest; value: FormValue | undefined }) {
  const person = field.type === "user" && typeof value === "string" ? value.trim() : "";
  const personName = usePeopleNames(person ? [person] : []);
  return shownFormValue(field, value, personName) || "(empty)";
}

/** Under a field both changed: their value beside the user's, and the user's choice of one. */
export function ConflictChoice({
  field,
  conflict,
}: {
  field: FieldManifest;
  conflict: EditConflictState;
}) {
  const { name, label } = field;
  if (!conflict.conflict?.comparison.both.includes(name)) return null;
  const { versions, latest } = conflict.conflict;
  const [by] = changesBy([name], latest.history);
  const who = by?.entry ? actorName(by.entry) : "Someone";
  const id = choiceId(name);
  const missing = conflict.missing && !conflict.choices[name];
  const option = (choice: Choice, caption: string, value: FormValue | undefined) => (
    <label className="flex items-baseline gap-2">
      <input
        type="radio"
        id={`${id}-${choice}`}
        name={id}
        checked={conflict.choices[name] === choice}
        onChange={() => conflict.choose(name, choice)}
        aria-describedby={missing ? `${id}-missing` : undefined}
      />
      <span className="min-w-0 [overflow-wrap:anywhere] whitespace-pre-line">
        <span className="font-medium">{caption}:</span> <ShownValue field={field} value={value} />
      </span>
    </label>
  );
  // The border is the box's, not the fieldset's: a legend would sit on the fieldset's border.
  return (
    <div className="mt-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm">
      <fieldset id={id} className="space-y-1">
        <legend className="mb-1 font-medium text-amber-950">
          {who} also changed {label}. Which value do you keep?
        </legend>
        {option("mine", "Your value", versions.mine[name])}
        {option("theirs", "Their value", versions.latest[name])}
        {missing && (
          <p id={`${id}-missing`} className="text-red-700">
            Choose your value or theirs.
          </p>
        )}
      </fieldset>
    </div>
  );
}
