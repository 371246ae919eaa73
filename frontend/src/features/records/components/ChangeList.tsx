/** The fields one audit entry changed, each from its old value to its new one, and why. */
import type { EntityManifest, HistoryEntry, ToolManifest } from "@/api/types";

import { entryComment, INTEGRATION_CHANGES, isIntegrationChange } from "../audit";
import { FieldValue } from "./FieldValue";

type Changes = Record<string, { old: unknown; new: unknown }>;

/** An entry's comment, quoted (`entryComment`); nothing for an entry with none. */
export function EntryComment({ entry }: { entry: Pick<HistoryEntry, "comment" | "reverted"> }) {
  const comment = entryComment(entry);
  return comment ? <p className="mt-1 text-slate-600 italic">“{comment}”</p> : null;
}

/** A changed field's name, as the user knows it: its label, else an integration's name for it. */
export function changeLabel(entity: EntityManifest | null, name: string): string {
  const field = entity?.fields.find((candidate) => candidate.name === name);
  return field?.label ?? INTEGRATION_CHANGES[name] ?? name;
}

/**
 * One value of a change as the history shows it: as the record's page shows the field (a
 * linked record by its name, a status by its label), else as text.
 */
export function ChangeValue({
  entity,
  tools,
  name,
  value,
  inline = false,
}: {
  entity: EntityManifest | null;
  tools: ToolManifest[];
  name: string;
  value: unknown;
  /** In a sentence: linked records one after another, by commas. */
  inline?: boolean;
}) {
  const field = entity?.fields.find((candidate) => candidate.name === name);
  if (field) {
    return (
      <FieldValue
        field={field}
        value={value}
        statuses={entity?.statuses ?? []}
        tools={tools}
        inline={inline}
      />
    );
  }
  return (
    <span>
      {value === null || value === undefined
        ? "—"
        : isIntegrationChange(name)
          ? plainText(value)
          : JSON.stringify(value)}
    </span>
  );
}

/** A list of names one after another ("a.pdf, b.pdf"), none as "—"; other values as text. */
function plainText(value: unknown): string {
  if (!Array.isArray(value)) return String(value);
  return value.length ? value.join(", ") : "—";
}

export function ChangeList({
  entity,
  tools,
  changes,
}: {
  entity: EntityManifest | null;
  tools: ToolManifest[];
  changes: Changes;
}) {
  const entries = Object.entries(changes);
  if (entries.length === 0) return null;
  return (
    // Fixed columns: every entry's table lines up with the others, and a value of one long word
    // wraps instead of widening the page.
    <table className="mt-2 w-full table-fixed text-xs [overflow-wrap:anywhere]">
      <thead className="sr-only">
        <tr>
          <th>Field</th>
          <th>Before</th>
          <th>After</th>
        </tr>
      </thead>
      <tbody>
        {entries.map(([name, change]) => (
          <tr key={name} className="align-top">
            <th
              scope="row"
              className="w-28 py-0.5 pr-3 text-left font-medium text-slate-600 sm:w-40"
            >
              {changeLabel(entity, name)}
            </th>
            <td className="py-0.5 pr-3 text-slate-500 line-through decoration-slate-300">
              <ChangeValue entity={entity} tools={tools} name={name} value={change.old} />
            </td>
            <td className="py-0.5">
              <ChangeValue entity={entity} tools={tools} name={name} value={change.new} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
