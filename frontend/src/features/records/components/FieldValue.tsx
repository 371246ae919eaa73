/**
 * A field's value as a person reads it (in the words of `shownValues.ts`): local times, choice
 * labels, people by name, linked records as links.
 */
import { Fragment } from "react";
import { Link } from "react-router";

import type { EntityReference, FieldManifest, StatusManifest, ToolManifest } from "@/api/types";
import { StatusBadge } from "@/components/StatusBadge";
import { textLinkClass } from "@/components/styles";
import type { Person } from "@/features/people/names";
import { PersonName } from "@/features/people/PersonName";
import { UserName } from "@/features/people/UserName";
import { findEntityByName, recordRoute } from "@/features/tools/api";

import { useReference } from "../api";
import { formatNumber } from "../numbers";
import { choiceLabel, referenceLabel, yesNo } from "../shownValues";
import { formatDate, formatDateTime } from "../times";

function Empty() {
  return <span className="text-slate-400">—</span>;
}

export function Tags({ names }: { names: string[] }) {
  if (names.length === 0) return <Empty />;
  return (
    <span className="inline-flex flex-wrap gap-1">
      {names.map((name) => (
        <span key={name} className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">
          {name}
        </span>
      ))}
    </span>
  );
}

/** A record an audit entry names by its id alone: its public id and name, read once. */
function ReferenceById({
  id,
  field,
  tools,
}: {
  id: string;
  field: FieldManifest;
  tools: ToolManifest[];
}) {
  const reference = useReference(field.relation?.api_path ?? null, id);
  if (!reference.data) return <span>#{id}</span>;
  return <RecordLink reference={reference.data} field={field} tools={tools} />;
}

function RecordLink({
  reference,
  field,
  tools,
}: {
  reference: EntityReference;
  field: FieldManifest;
  tools: ToolManifest[];
}) {
  const target = field.relation ? findEntityByName(tools, field.relation.entity) : null;
  const label = referenceLabel(reference);
  if (!target) return <span>{label}</span>;
  return (
    <Link
      className={textLinkClass}
      to={recordRoute(target.tool, target.entity, reference.public_id)}
    >
      {label}
    </Link>
  );
}

export function FieldValue({
  field,
  value,
  statuses,
  tools,
  inline = false,
}: {
  field: FieldManifest;
  value: unknown;
  statuses: StatusManifest[];
  tools: ToolManifest[];
  /** In a sentence: linked records one after another, by commas, not one a line. */
  inline?: boolean;
}) {
  if (value === null || value === undefined || value === "") return <Empty />;
  if (field.name === "status") return <StatusBadge value={String(value)} statuses={statuses} />;
  switch (field.type) {
    case "tags":
      return <Tags names={value as string[]} />;
    case "user":
      // A record's field holds the person; an audit entry's change holds their id.
      return typeof value === "object" ? (
        <PersonName person={value as Person} />
      ) : (
        <UserName id={String(value)} />
      );
    case "relation": {
      // A record's field holds references; an audit entry's change holds ids.
      const items = (Array.isArray(value) ? value : [value]) as (EntityReference | number)[];
      if (items.length === 0) return <Empty />;
      return (
        <span className={inline ? undefined : "flex flex-col"}>
          {items.map((item, index) => (
            <Fragment key={typeof item === "object" ? item.id : item}>
              {inline && index > 0 && ", "}
              {typeof item === "object" ? (
                <RecordLink reference={item} field={field} tools={tools} />
              ) : (
                <ReferenceById id={String(item)} field={field} tools={tools} />
              )}
            </Fragment>
          ))}
        </span>
      );
    }
    case "datetime":
      return <time dateTime={String(value)}>{formatDateTime(String(value))}</time>;
    case "date":
      return <time dateTime={String(value)}>{formatDate(String(value))}</time>;
    case "boolean":
      return <span>{yesNo(Boolean(value))}</span>;
    case "choice":
      return <span>{choiceLabel(field, String(value))}</span>;
    case "integer":
    case "decimal":
    case "number":
      return <span className="tabular-nums">{formatNumber(field, value as string | number)}</span>;
    case "url":
      // Only web addresses become links: never a `javascript:` one, whatever was stored.
      if (!/^(https?|ftps?):\/\//i.test(String(value))) return <span>{String(value)}</span>;
      return (
        <a
          className={`break-all ${textLinkClass}`}
          href={String(value)}
          rel="noreferrer noopener"
          target="_blank"
        >
          {String(value)}
        </a>
      );
    case "email":
      return (
        <a className={textLinkClass} href={`mailto:${String(value)}`}>
          {String(value)}
        </a>
      );
    case "json":
      return <pre className="overflow-x-auto text-xs">{JSON.stringify(value, null, 2)}</pre>;
    case "text":
      return <span className="whitespace-pre-line">{String(value)}</span>;
    default:
      return <span>{String(value)}</span>;
  }
}
