/**
 * A form's link to records: those chosen are chips (public id and name), and more are found
 * by searching (`RecordPicker`), which offers only records not chosen yet. A many-to-many
 * link adds what is picked; a single link replaces its record with it. A chip is removed by
 * its button (or Backspace or Delete on it), except a required single link's, which is only
 * replaced.
 */
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
  onChange: (records: EntityReference[]) => void;
  /** The search's text as typed, "" once a record is picked. */
  onTextChange?: (text: string) => void;
}) {
  const removable = many || !required;
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
            return (
              <li key={record.id} className="max-w-full min-w-0">
                <Chip
                  label={name}
                  removeLabel={`Remove ${name}`}
                  onRemove={
                    removable
                      ? () => onChange(value.filter((other) => other.id !== record.id))
                      : undefined
                  }
                  returnFocusTo={id}
                />
              </li>
            );
          })}
        </ul>
      )}
      <RecordPicker
        id={id}
        apiPath={apiPath}
        placeholder={placeholder}
        describedBy={describedBy}
        invalid={invalid}
        chosen={value}
        onPick={(record) => onChange(many ? [...value, record] : [record])}
        onTextChange={onTextChange}
      />
    </div>
  );
}
