/**
 * Where else a record is named: for each entity, in any tool the caller may read, with a
 * relation to this record's entity, a link to its list filtered to this record.
 */
import { Link } from "react-router";

import type { EntityManifest, EntityRecord, FieldManifest, ToolManifest } from "@/api/types";
import { entityRoute } from "@/features/tools/api";

interface Backlink {
  tool: ToolManifest;
  entity: EntityManifest;
  field: FieldManifest;
}

export function backlinks(tools: ToolManifest[], target: EntityManifest): Backlink[] {
  return tools.flatMap((tool) =>
    tool.entities.flatMap((entity) =>
      entity.fields
        .filter(
          (field) =>
            field.relation?.entity === target.name && field.filter_lookups.includes("exact"),
        )
        .map((field) => ({ tool, entity, field })),
    ),
  );
}

export function LinkedRecords({
  tools,
  entity,
  record,
}: {
  tools: ToolManifest[];
  entity: EntityManifest;
  record: EntityRecord;
}) {
  const links = backlinks(tools, entity);
  if (links.length === 0) return null;
  return (
    <section aria-label="Linked records" className="flex flex-wrap items-center gap-3 text-sm">
      <span className="text-slate-600">Linked:</span>
      {links.map(({ tool, entity: linked, field }) => (
        <Link
          key={`${linked.name}.${field.name}`}
          className="rounded-md bg-white px-2.5 py-1 text-indigo-700 ring-1 ring-slate-200 hover:bg-slate-50"
          to={`${entityRoute(tool, linked)}?${new URLSearchParams({ [field.name]: String(record.id) })}`}
        >
          {linked.label_plural}
          {linked.fields.filter((other) => other.relation?.entity === entity.name).length > 1
            ? ` (${field.label})`
            : ""}
        </Link>
      ))}
    </section>
  );
}
