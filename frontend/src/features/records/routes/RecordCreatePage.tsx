import { useNavigate } from "react-router";

import type { EntityManifest, ToolManifest } from "@/api/types";
import { Spinner } from "@/components/Feedback";
import { Title } from "@/components/Title";
import { canWrite, recordRoute } from "@/features/tools/api";
import { NotFoundPage } from "@/features/tools/routes/NotFoundPage";

import { useCreateRecord } from "../api";
import { saying } from "../arrival";
import { RecordForm, useRecordForm } from "../components/RecordForm";
import { useEntityRoute } from "../useEntityRoute";

export function RecordCreatePage() {
  const route = useEntityRoute();
  if (route.state === "loading") return <Spinner />;
  if (route.state === "missing" || !canWrite(route.tool)) return <NotFoundPage />;
  return <CreateRecord key={route.entity.name} tool={route.tool} entity={route.entity} />;
}

function CreateRecord({ tool, entity }: { tool: ToolManifest; entity: EntityManifest }) {
  const navigate = useNavigate();
  const create = useCreateRecord(entity);
  const form = useRecordForm(entity);
  return (
    <div className="space-y-4">
      <Title>{`New ${entity.label.toLowerCase()} · ${tool.name}`}</Title>
      <h1 className="text-xl font-semibold">New {entity.label.toLowerCase()}</h1>
      <RecordForm
        state={form}
        submitLabel={`Create ${entity.label.toLowerCase()}`}
        error={create.error}
        onCancel={() => navigate("..", { relative: "path" })}
        onSubmit={async (body) => {
          const form = window.location.pathname;
          const { data } = await create.mutateAsync(body);
          // To the new record, unless the user went elsewhere while it was saved.
          if (window.location.pathname === form) {
            navigate(
              recordRoute(tool, entity, data.public_id),
              saying(`Created ${data.public_id}.`),
            );
          }
        }}
      />
    </div>
  );
}
