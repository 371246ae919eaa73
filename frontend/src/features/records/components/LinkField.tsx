/**
 * A form's link to records: those chosen are chips (public id and name), and more are found
 * by searching (`RecordPicker`), which offers only records not chosen yet. A many-to-many
 * link adds what is picked; a single link replaces its record with it. A chip is removed by
 * its button (or Backspace or Delete on it), except a required single link's, which is only
 * replaced. A record the API refused is marked, its reason beside its chip, and the search
 * is described by it too.
 */
import { useId } from "react";

import type { EntityReference } from "@/api/types";
import { Chip } from "@/components/Chip";

import { referenceLabel } from "../shownValues";
import { RecordPicker } from "./RecordPicker";

export function LinkField({
  id,
  apiPath,
  label,
  many,
  required,
  value,
  describedBy,
  invalid,
  refused = new Map(),
  onChange,
  onTextChange,
}: {
  /** The search input's id, for its label. */
  id: string;
  apiPath: string | null;
  /** The field's label, which names the list of chips. */
  label: string;
  /** Any number of records (a many-to-many link), or one at most. */
  many: boolean;
  required: boolean;
  value: readonly EntityReference[];
  describedBy?: string;
  invalid?: boolean;
  /** The records the API refused, by id, with its reasons. */
  refused?: ReadonlyMap<number, string[]>;
  onChange: (records: EntityReference[]) => void;
  /** The search's text as typed, "" once a record is picked. */
  onTextChange?: (text: string) => void;
}) {
  const removable = many || !required;
  const reasonId = useId();
  const reasons = value.filter((record) => refused.has(record.id));
  const reasonIds = reasons.map((record) => `${reasonId}-${record.id}`);
  const placeholder =
    value.length === 0
      ? "Type a name or id"
      : many
        ? "Add another: type a name or id"
        : "Choose another: type a name or id";
  return (
    <div className="space-y-2">
      {value.length > 0 && (
        <ul data-chips aria-label={label} className="flex flex-wrap gap-1.5">
          {value.map((record) => {
            const name = referenceLabel(record);
            const reason = refused.get(record.id);
            return (
              <li key={record.id} className="max-w-full min-w-0">
                <Chip
                  label={name}
                  refused={reason !== undefined}
                  removeLabel={`Remove ${name}`}
                  onRemove={
                    removable
                      ? () => onChange(value.filter((other) => other.id !== record.id))
                      : undefined
                  }
                  returnFocusTo={id}
                />
                {reason && (
                  <span id={`${reasonId}-${record.id}`} className="ml-1 text-xs text-red-700">
                    <span className="sr-only">{name}: </span>
                    {reason.join(" ")}
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <RecordPicker
        id={id}
        apiPath={apiPath}
        placeholder={placeholder}
        describedBy={[describedBy, ...reasonIds].filter(Boolean).join(" ") || undefined}
        invalid={invalid}
        chosen={value}
        onPick={(record) => onChange(many ? [...value, record] : [record])}
        onTextChange={onTextChange}
      />
    </div>
  );
}
