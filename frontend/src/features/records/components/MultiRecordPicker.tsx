/**
 * Choose any number of records of an entity: those chosen are chips (public id and name),
 * each removed by its button (or Backspace or Delete on it); more are added by searching,
 * as a single link's `RecordPicker` does, which offers only records not chosen yet.
 */
import type { EntityReference } from "@/api/types";
import { Chip } from "@/components/Chip";

import { RecordPicker } from "./RecordPicker";

export function MultiRecordPicker({
  id,
  apiPath,
  label,
  value,
  describedBy,
  onChange,
}: {
  /** The search input's id, for its label. */
  id: string;
  apiPath: string;
  /** The field's label, which names the list of chips. */
  label: string;
  value: readonly EntityReference[];
  describedBy?: string;
  onChange: (records: EntityReference[]) => void;
}) {
  return (
    <div className="space-y-2">
      {value.length > 0 && (
        <ul data-chips aria-label={label} className="flex flex-wrap gap-1.5">
          {value.map((record) => {
            const name = `${record.public_id} ${record.name}`;
            return (
              <li key={record.id} className="max-w-full min-w-0">
                <Chip
                  label={name}
                  removeLabel={`Remove ${name}`}
                  onRemove={() => onChange(value.filter((other) => other.id !== record.id))}
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
        placeholder={value.length > 0 ? "Add another: type a name or id" : "Type a name or id"}
        describedBy={describedBy}
        chosen={value}
        onPick={(record) => onChange([...value, record])}
      />
    </div>
  );
}
