/**
 * Where else a record is named: for each entity, in any tool the caller may read, with a
 * relation to this record's entity, how many of its records name this one, and a link to
 * their list.
 */
import { Link } from "react-router";

import type { EntityManifest, EntityRecord, FieldManifest, ToolManifest } from "@/api/types";
import { canWrite, entityRoute } from "@/features/tools/api";

import { useRecordList } from "../api";

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

const number = new Intl.NumberFormat();

/**
 * One entity's records naming this one: how many (one request, a row long), a link to their
 * list filtered to it, or a plain "No test runs" when there are none, with a link starting the
 * first for those who may write its tool.
 */
function LinkedList({
  link: { tool, entity: linked, field },
  entity,
  record,
}: {
  link: Backlink;
  entity: EntityManifest;
  record: EntityRecord;
}) {
  const query = new URLSearchParams({ [field.name]: String(record.id) });
  const page = useRecordList(
    linked,
    new URLSearchParams({ [field.name]: String(record.id), limit: "1" }),
  );
  // Which of its links, when it has several to this entity: by the field's label, as its
  // form and its filters name it ("Test runs (Instruments)", "No test runs (Instruments)").
  const which =
    linked.fields.filter((other) => other.relation?.entity === entity.name).length > 1
      ? ` (${field.label})`
      : "";
  const name = `${linked.label_plural}${which}`;
  if (page.data?.count === 0) {
    return (
      <span className="flex flex-wrap items-center gap-2">
        <span className="px-2.5 py-1 text-slate-600">
          No {linked.label_plural.toLowerCase()}
          {which}
        </span>
        {/* The first is started here too, as the list's New link does once one exists. */}
        {canWrite(tool) && (
          <Link
            className="rounded-md bg-white px-2.5 py-1 text-indigo-700 ring-1 ring-slate-200 hover:bg-slate-50"
            to={`${entityRoute(tool, linked)}/new?${query}`}
          >
            New {linked.label.toLowerCase()} for this {entity.label.toLowerCase()}
            {which}
          </Link>
        )}
      </span>
    );
  }
  return (
    <Link
      className="rounded-md bg-white px-2.5 py-1 text-indigo-700 ring-1 ring-slate-200 hover:bg-slate-50"
      to={`${entityRoute(tool, linked)}?${query}`}
    >
      {name}
      {/* Its name is not the side bar's link to every one of them. */}
      <span className="sr-only"> naming {record.public_id}</span>
      {page.data && ` (${number.format(page.data.count)}${page.data.count_is_estimate ? "+" : ""})`}
    </Link>
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
      {links.map((link) => (
        <LinkedList
          key={`${link.entity.name}.${link.field.name}`}
          link={link}
          entity={entity}
          record={record}
        />
      ))}
    </section>
  );
}
