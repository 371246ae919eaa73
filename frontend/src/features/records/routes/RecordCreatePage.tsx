import { useQueries } from "@tanstack/react-query";
import { useNavigate, useSearchParams } from "react-router";

import type { EntityManifest, ToolManifest } from "@/api/types";
import { Spinner } from "@/components/Feedback";
import { Title } from "@/components/Title";
import { canWrite, entityRoute, recordRoute } from "@/features/tools/api";
import { NotFoundPage } from "@/features/tools/routes/NotFoundPage";
import { NotPermittedPage } from "@/features/tools/routes/NotPermittedPage";

import { referenceQuery, useCreateRecord } from "../api";
import { saying } from "../arrival";
import { RecordForm, useRecordForm } from "../components/RecordForm";
import { editableFields, type FormValue, type FormValues } from "../fields";
import { presetParams } from "../listParams";
import { createRefusal, writeRefusal } from "../permissions";
import { useEntityRoute } from "../useEntityRoute";

export function RecordCreatePage() {
  const route = useEntityRoute();
  if (route.state === "loading") return <Spinner />;
  if (route.state === "missing") return <NotFoundPage />;
  const refused = canWrite(route.tool)
    ? createRefusal(route.tools, route.entity)
    : writeRefusal(route.entity, "create");
  if (refused) {
    return (
      <NotPermittedPage
        title={`You may not create ${route.entity.label_plural.toLowerCase()}`}
        reason={refused}
        back={{
          to: entityRoute(route.tool, route.entity),
          label: `Back to ${route.entity.label_plural.toLowerCase()}`,
        }}
      />
    );
  }
  return <CreateRecord key={route.entity.name} tool={route.tool} entity={route.entity} />;
}

/**
 * The values a new record starts with from the URL's query, which the list's "New" link
 * carries (`presetParams`): a linked record read for its chip, a person by id, a choice.
 * Undefined while a linked record is read; one that cannot be read, or a value no choice
 * has, is left out.
 */
function usePreset(entity: EntityManifest): FormValues | undefined {
  const [params] = useSearchParams();
  const fields = editableFields(entity);
  const preset = [...presetParams(fields, params)].flatMap(([name, value]) => {
    const field = fields.find((candidate) => candidate.name === name);
    return field ? [{ field, value }] : [];
  });
  const references = useQueries({
    queries: preset.map(({ field, value }) => ({
      ...referenceQuery(field.relation?.api_path ?? null, value),
      enabled: Boolean(field.relation?.api_path),
      retry: false,
    })),
  });
  if (references.some((reference) => reference.isLoading)) return undefined;
  return Object.fromEntries(
    preset.flatMap(({ field, value }, index): [string, FormValue][] => {
      if (field.relation) {
        const reference = references[index]?.data;
        return reference ? [[field.name, [reference]]] : [];
      }
      if (field.choices && !field.choices.some((choice) => choice.value === value)) return [];
      return [[field.name, value]];
    }),
  );
}

function CreateRecord({ tool, entity }: { tool: ToolManifest; entity: EntityManifest }) {
  const preset = usePreset(entity);
  if (!preset) return <Spinner />;
  return <CreateForm tool={tool} entity={entity} preset={preset} />;
}

function CreateForm({
  tool,
  entity,
  preset,
}: {
  tool: ToolManifest;
  entity: EntityManifest;
  preset: FormValues;
}) {
  const navigate = useNavigate();
  const create = useCreateRecord(entity);
  const form = useRecordForm(entity, undefined, preset);
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
