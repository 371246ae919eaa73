import { Pencil } from "lucide-react";
import { Link, useParams } from "react-router";

import type { EntityManifest, FieldManifest, ToolManifest } from "@/api/types";
import { ButtonLink } from "@/components/Button";
import { ErrorPanel, Spinner } from "@/components/Feedback";
import { StatusBadge } from "@/components/StatusBadge";
import { Title } from "@/components/Title";
import { AttachmentsPanel } from "@/features/attachments/components/AttachmentsPanel";
import { LinearPanel } from "@/features/linear/components/LinearPanel";
import { canWrite, entityRoute, entityTrail, isAdmin } from "@/features/tools/api";
import { NotFoundPage } from "@/features/tools/routes/NotFoundPage";
import { RecordSection } from "@/tools/registry";

import { useRecord } from "../api";
import { useArrivalMessage } from "../arrival";
import { FieldValue } from "../components/FieldValue";
import { History } from "../components/History";
import { LinkedRecords } from "../components/LinkedRecords";
import { ReadOnlyNote } from "../components/ReadOnlyNote";
import { WorkflowActions } from "../components/WorkflowActions";
import { usePageOutcome } from "../outcome";
import { lockedStatus } from "../workflow";
import { useEntityRoute } from "../useEntityRoute";

export function RecordDetailPage() {
  const route = useEntityRoute();
  const { id = "" } = useParams();
  if (route.state === "loading") return <Spinner />;
  if (route.state === "missing") return <NotFoundPage />;
  return (
    <RecordDetail
      key={`${route.entity.name}/${id}`}
      tool={route.tool}
      entity={route.entity}
      tools={route.tools}
      id={id}
    />
  );
}

/** Shown in the page's header or its side column, not in the list of fields. */
const HEADER_FIELDS = new Set(["id", "public_id", "name", "status"]);
const META_FIELDS = new Set([
  "created_at",
  "created_by",
  "updated_at",
  "updated_by",
  "archived_at",
]);

function FieldList({
  fields,
  record,
  entity,
  tools,
}: {
  fields: FieldManifest[];
  record: Record<string, unknown>;
  entity: EntityManifest;
  tools: ToolManifest[];
}) {
  return (
    <dl className="divide-y divide-slate-100">
      {fields.map((field) => (
        <div key={field.name} className="grid grid-cols-3 gap-4 py-2 text-sm">
          <dt className="font-medium text-slate-600">{field.label}</dt>
          <dd className="col-span-2 min-w-0 [overflow-wrap:anywhere]">
            <FieldValue
              field={field}
              value={record[field.name]}
              statuses={entity.statuses}
              tools={tools}
            />
          </dd>
        </div>
      ))}
    </dl>
  );
}

function RecordDetail({
  tool,
  entity,
  tools,
  id,
}: {
  tool: ToolManifest;
  entity: EntityManifest;
  tools: ToolManifest[];
  id: string;
}) {
  const loaded = useRecord(entity, id);
  // What the form that led here did, said once the record is shown (its heading has the focus).
  const arrival = useArrivalMessage();
  // One line of what was last done, whichever part did it: a revert's replaces "Saved.".
  const outcome = usePageOutcome();
  if (loaded.isError) {
    return (
      <div className="space-y-4">
        <Title>{`${id} · ${entity.label_plural}`}</Title>
        <h1 className="text-xl font-semibold">{`${entity.label} ${id}`}</h1>
        <ErrorPanel error={loaded.error}>
          <ButtonLink to={entityRoute(tool, entity)}>
            Back to {entity.label_plural.toLowerCase()}
          </ButtonLink>
        </ErrorPanel>
      </div>
    );
  }
  if (!loaded.data) return <Spinner />;
  const { record } = loaded.data;
  const writable = canWrite(tool);
  const locked = lockedStatus(entity, record.status, isAdmin(tool));
  const editable = writable && !locked;
  const own = entity.fields.filter(
    (field) => !HEADER_FIELDS.has(field.name) && !META_FIELDS.has(field.name),
  );
  const meta = entity.fields.filter((field) => META_FIELDS.has(field.name));
  return (
    <div className="space-y-6">
      <Title>{`${record.public_id} ${record.name}`}</Title>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <Link to={entityRoute(tool, entity)} className="text-sm text-indigo-700 hover:underline">
            {entityTrail(tool, entity)}
          </Link>
          <h1 className="mt-1 flex flex-wrap items-center gap-3 text-xl font-semibold">
            <span className="text-slate-500">{record.public_id}</span>
            {/* A name of one long word wraps anywhere rather than widening the page. */}
            <span className="min-w-0 [overflow-wrap:anywhere]">{record.name}</span>
            <StatusBadge value={record.status} statuses={entity.statuses} />
          </h1>
          <ReadOnlyNote tool={tool} />
        </div>
        {editable && (
          <ButtonLink to="edit">
            <Pencil className="size-4" aria-hidden="true" /> Edit
          </ButtonLink>
        )}
        {writable && locked && (
          <p className="max-w-xs text-sm text-slate-600">
            {locked.label} records are locked: only admins may edit them.
          </p>
        )}
      </div>
      {writable && (
        <WorkflowActions
          tool={tool}
          entity={entity}
          loaded={loaded.data}
          arrival={arrival}
          outcome={outcome("workflow")}
        />
      )}
      <RecordSection tool={tool} entity={entity} tools={tools} loaded={loaded.data} />
      <LinkedRecords tools={tools} entity={entity} record={record} />
      <div className="grid gap-6 lg:grid-cols-3">
        <section className="min-w-0 rounded-lg border border-slate-200 bg-white px-4 py-2 lg:col-span-2">
          <FieldList fields={own} record={record} entity={entity} tools={tools} />
        </section>
        <div className="min-w-0 space-y-6">
          <section className="rounded-lg border border-slate-200 bg-white px-4 py-2">
            <FieldList fields={meta} record={record} entity={entity} tools={tools} />
          </section>
          <AttachmentsPanel tool={tool} entity={entity} loaded={loaded.data} />
          <LinearPanel tool={tool} entity={entity} loaded={loaded.data} />
        </div>
      </div>
      <History
        tools={tools}
        entity={entity}
        loaded={loaded.data}
        canRevert={editable}
        admin={isAdmin(tool)}
        outcome={outcome("history")}
      />
    </div>
  );
}
