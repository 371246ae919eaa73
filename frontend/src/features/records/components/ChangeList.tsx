/** The fields one audit entry changed, each from its old value to its new one. */
import type { EntityManifest, ToolManifest } from "@/api/types";

import { INTEGRATION_CHANGES, isIntegrationChange } from "../audit";
import { FieldValue } from "./FieldValue";

type Changes = Record<string, { old: unknown; new: unknown }>;

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
        {entries.map(([name, change]) => {
          const field = entity?.fields.find((candidate) => candidate.name === name);
          const text = isIntegrationChange(name);
          const show = (value: unknown) =>
            field ? (
              <FieldValue
                field={field}
                value={value}
                statuses={entity?.statuses ?? []}
                tools={tools}
              />
            ) : (
              <span>
                {value === null || value === undefined
                  ? "—"
                  : text
                    ? String(value)
                    : JSON.stringify(value)}
              </span>
            );
          return (
            <tr key={name} className="align-top">
              <th
                scope="row"
                className="w-28 py-0.5 pr-3 text-left font-medium text-slate-600 sm:w-40"
              >
                {field?.label ?? INTEGRATION_CHANGES[name] ?? name}
              </th>
              <td className="py-0.5 pr-3 text-slate-500 line-through decoration-slate-300">
                {show(change.old)}
              </td>
              <td className="py-0.5">{show(change.new)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
