import { useState } from "react";
import { useNavigate, useParams } from "react-router";

import { ApiError } from "@/api/client";
import type { EntityManifest, ToolManifest } from "@/api/types";
import { Button } from "@/components/Button";
import { ErrorPanel, Spinner } from "@/components/Feedback";
import { Title } from "@/components/Title";
import { canWrite, recordRoute } from "@/features/tools/api";
import { NotFoundPage } from "@/features/tools/routes/NotFoundPage";

import { useRecord, useUpdateRecord, type LoadedRecord } from "../api";
import { ArchivedNote } from "../components/ArchivedNote";
import { RecordForm } from "../components/RecordForm";
import { useEntityRoute } from "../useEntityRoute";

export function RecordEditPage() {
  const route = useEntityRoute();
  const { id = "" } = useParams();
  if (route.state === "loading") return <Spinner />;
  if (route.state === "missing" || !canWrite(route.tool)) return <NotFoundPage />;
  return (
    <EditRecord
      key={`${route.entity.name}/${id}`}
      tool={route.tool}
      entity={route.entity}
      id={id}
    />
  );
}

function EditRecord({
  tool,
  entity,
  id,
}: {
  tool: ToolManifest;
  entity: EntityManifest;
  id: string;
}) {
  const loaded = useRecord(entity, id);
  // The form starts again from the server's version only when the user asks for it.
  const [generation, setGeneration] = useState(0);
  if (loaded.isError) return <ErrorPanel error={loaded.error} />;
  if (!loaded.data) return <Spinner />;
  return (
    <EditForm
      key={generation}
      tool={tool}
      entity={entity}
      base={loaded.data}
      onReload={async () => {
        await loaded.refetch();
        setGeneration((current) => current + 1);
      }}
    />
  );
}

function EditForm({
  tool,
  entity,
  base,
  onReload,
}: {
  tool: ToolManifest;
  entity: EntityManifest;
  base: LoadedRecord;
  onReload: () => Promise<void>;
}) {
  const navigate = useNavigate();
  // The version the user is editing: its ETag goes with the PATCH, whatever is read since,
  // so a change someone else made meanwhile is a 412 here, never silently overwritten.
  const [edited] = useState(base);
  const update = useUpdateRecord(entity, edited);
  const back = () => navigate(recordRoute(tool, entity, edited.record.public_id));
  const conflict = update.error instanceof ApiError && update.error.status === 412;
  return (
    <div className="space-y-4">
      <Title>{`Edit ${edited.record.public_id}`}</Title>
      <div>
        <p className="text-sm text-slate-500">{edited.record.public_id}</p>
        <h1 className="text-xl font-semibold">Edit {edited.record.name}</h1>
      </div>
      <ArchivedNote tool={tool} entity={entity} record={base.record} />
      <RecordForm
        entity={entity}
        record={edited.record}
        submitLabel="Save changes"
        error={update.error}
        errorActions={
          conflict && (
            <Button onClick={() => void onReload()}>
              Discard my changes and load the latest version
            </Button>
          )
        }
        onCancel={back}
        onSubmit={async (body) => {
          const form = window.location.pathname;
          await update.mutateAsync(body);
          if (window.location.pathname === form) back(); // unless the user went elsewhere
        }}
      />
    </div>
  );
}
