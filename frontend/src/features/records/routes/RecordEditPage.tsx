import { useState } from "react";
import { useNavigate, useParams, type NavigateOptions } from "react-router";

import { ApiError } from "@/api/client";
import type { EntityManifest, ToolManifest } from "@/api/types";
import { ErrorPanel, Spinner } from "@/components/Feedback";
import { Title } from "@/components/Title";
import { canWrite, recordRoute } from "@/features/tools/api";
import { NotFoundPage } from "@/features/tools/routes/NotFoundPage";
import { NotPermittedPage } from "@/features/tools/routes/NotPermittedPage";

import { useReadLatest, useRecord, useUpdateRecord, type LoadedRecord } from "../api";
import { saying } from "../arrival";
import { ArchivedNote } from "../components/ArchivedNote";
import { ConflictChoice, ConflictNotice, useEditConflict } from "../components/EditConflict";
import { RecordForm, useRecordForm } from "../components/RecordForm";
import { writeRefusal } from "../permissions";
import { useEntityRoute } from "../useEntityRoute";

export function RecordEditPage() {
  const route = useEntityRoute();
  const { id = "" } = useParams();
  if (route.state === "loading") return <Spinner />;
  if (route.state === "missing") return <NotFoundPage />;
  if (!canWrite(route.tool)) {
    return (
      <NotPermittedPage
        title={`You may not edit ${route.entity.label_plural.toLowerCase()}`}
        reason={writeRefusal(route.entity, "edit")}
        back={{ to: recordRoute(route.tool, route.entity, id), label: `Back to ${id}` }}
      />
    );
  }
  return (
    <EditRecord
      key={`${route.entity.name}/${id}`}
      tool={route.tool}
      entity={route.entity}
      tools={route.tools}
      id={id}
    />
  );
}

function EditRecord({
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
  // The form starts again from the server's version only when the user asks for it.
  const [generation, setGeneration] = useState(0);
  if (loaded.isError) return <ErrorPanel error={loaded.error} />;
  if (!loaded.data) return <Spinner />;
  return (
    <EditForm
      key={generation}
      tool={tool}
      entity={entity}
      tools={tools}
      id={id}
      base={loaded.data}
      onReload={async () => {
        await loaded.refetch();
        setGeneration((current) => current + 1);
      }}
    />
  );
}

const isStale = (error: unknown) => error instanceof ApiError && error.status === 412;

function EditForm({
  tool,
  entity,
  tools,
  id,
  base,
  onReload,
}: {
  tool: ToolManifest;
  entity: EntityManifest;
  tools: ToolManifest[];
  id: string;
  base: LoadedRecord;
  onReload: () => Promise<void>;
}) {
  const navigate = useNavigate();
  // The version the user is editing: its ETag goes with the PATCH, whatever is read since,
  // so a change someone else made meanwhile is a 412 here, never silently overwritten. The
  // 412 moves it to the latest version, the user's changes put on top of it.
  const [edited, setEdited] = useState(base);
  const update = useUpdateRecord(entity, edited);
  const readLatest = useReadLatest(entity, id);
  const state = useRecordForm(entity, edited.record);
  const conflict = useEditConflict(state);
  // Why the latest version could not be read after a 412: saving again tries again.
  const [unread, setUnread] = useState<unknown>(null);
  const back = (options?: NavigateOptions) =>
    navigate(recordRoute(tool, entity, edited.record.public_id), options);
  return (
    <div className="space-y-4">
      <Title>{`Edit ${edited.record.public_id}`}</Title>
      <div>
        <p className="text-sm text-slate-500">{edited.record.public_id}</p>
        <h1 className="text-xl font-semibold">Edit {edited.record.name}</h1>
      </div>
      <ArchivedNote tool={tool} entity={entity} record={base.record} />
      <RecordForm
        state={state}
        submitLabel="Save changes"
        // The conflict a 412 led to says it in its own words.
        error={unread ?? (conflict.conflict && isStale(update.error) ? null : update.error)}
        notice={
          conflict.conflict && (
            <ConflictNotice
              entity={entity}
              tools={tools}
              state={state}
              conflict={conflict.conflict}
              saving={update.isPending}
              onDiscard={() => void onReload()}
            />
          )
        }
        fieldNote={(name) => {
          const field = state.fields.find((candidate) => candidate.name === name);
          return field && <ConflictChoice field={field} conflict={conflict} />;
        }}
        onCancel={() => back()}
        onSubmit={async (body) => {
          conflict.requireChoices();
          setUnread(null);
          const form = window.location.pathname;
          try {
            await update.mutateAsync(body);
          } catch (error) {
            if (isStale(error)) {
              await readLatest().then((latest) => {
                conflict.rebase(edited.record, latest);
                setEdited(latest.loaded);
              }, setUnread);
            }
            throw error;
          }
          if (window.location.pathname === form) back(saying("Saved.")); // unless the user went elsewhere
        }}
      />
    </div>
  );
}
