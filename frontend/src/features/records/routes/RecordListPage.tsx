import { Download, Plus } from "lucide-react";
import { useState } from "react";

import { apiDownload } from "@/api/client";
import type { EntityManifest } from "@/api/types";
import { Button, ButtonLink } from "@/components/Button";
import { EmptyState, ErrorPanel, Spinner } from "@/components/Feedback";
import { Title } from "@/components/Title";
import { canWrite, entitySegment, isAdmin, namedAsTool } from "@/features/tools/api";
import { NotFoundPage } from "@/features/tools/routes/NotFoundPage";
import { ShownView } from "@/features/views/components/ShownView";
import { ViewsMenu } from "@/features/views/components/ViewsMenu";
import { ListPage, type EntityPageProps } from "@/tools/registry";

import { useRecordList } from "../api";
import { BulkActions } from "../components/BulkActions";
import { ListFilters } from "../components/ListFilters";
import { ListRefusal, refusedParams } from "../components/ListRefusal";
import { ReadOnlyNote } from "../components/ReadOnlyNote";
import { Pager } from "../components/Pager";
import { RecordTable } from "../components/RecordTable";
import { editableFields } from "../fields";
import {
  apiParams,
  currentOrdering,
  exportParams,
  isFiltered,
  presetParams,
  useListParams,
} from "../listParams";
import { createRefusal } from "../permissions";
import { useEntityRoute } from "../useEntityRoute";

export function RecordListPage() {
  const route = useEntityRoute();
  if (route.state === "loading") return <Spinner />;
  if (route.state === "missing") return <NotFoundPage what="This list" />;
  return (
    <ListPage
      key={route.entity.name}
      generic={RecordList}
      tool={route.tool}
      entity={route.entity}
      tools={route.tools}
    />
  );
}

function ExportButton({ entity, params }: { entity: EntityManifest; params: URLSearchParams }) {
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const download = async () => {
    setBusy(true);
    setFailure(null);
    try {
      await apiDownload(
        `${entity.api_path}export.csv`,
        exportParams(params),
        `${entitySegment(entity)}.csv`,
      );
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button onClick={() => void download()} disabled={busy}>
        <Download className="size-4" aria-hidden="true" /> {busy ? "Exporting…" : "Export CSV"}
      </Button>
      {failure !== null && (
        <div className="basis-full">
          <ErrorPanel error={failure} fieldMessages />
        </div>
      )}
    </>
  );
}

/** The generic list page: every tool's, unless its `pages.tsx` gives its own. */
export function RecordList({ tool, entity, tools }: EntityPageProps) {
  const { params, update, replace, limit, offset } = useListParams();
  const list = useRecordList(entity, apiParams(params, limit));
  const filtered = isFiltered(params);
  const refused = refusedParams(list.error);
  // The last page's rows stay on screen, dimmed, while the next loads: nothing in them
  // can be ticked or paged from meanwhile.
  const loading = list.isPlaceholderData;
  const writable = canWrite(tool) && !loading;
  const createRefused = createRefusal(tools, entity);
  // Ticked rows belong to the page they were ticked on: another page or filter clears them.
  const [selected, setSelected] = useState<Set<number>>(() => new Set());
  const [selectedFor, setSelectedFor] = useState(params.toString());
  if (selectedFor !== params.toString()) {
    setSelectedFor(params.toString());
    setSelected(new Set());
  }
  return (
    <div className="space-y-4">
      <Title>
        {namedAsTool(tool, entity) ? entity.label_plural : `${entity.label_plural} · ${tool.name}`}
      </Title>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          {!namedAsTool(tool, entity) && <p className="text-sm text-slate-500">{tool.name}</p>}
          <h1 className="text-xl font-semibold">{entity.label_plural}</h1>
          <ShownView entity={entity} params={params} />
          <ReadOnlyNote tool={tool} />
        </div>
        <div className="flex flex-wrap gap-2">
          <ViewsMenu tool={tool} entity={entity} params={params} onOpen={replace} />
          <ExportButton entity={entity} params={params} />
          {canWrite(tool) && createRefused && (
            <p className="max-w-xs text-sm text-slate-600">{createRefused}</p>
          )}
          {canWrite(tool) && !createRefused && (
            <ButtonLink
              variant="primary"
              to={{
                pathname: "new",
                search: presetParams(editableFields(entity), params).toString(),
              }}
            >
              <Plus className="size-4" aria-hidden="true" /> New {entity.label.toLowerCase()}
            </ButtonLink>
          )}
        </div>
      </div>
      <ListFilters entity={entity} params={params} update={update} refused={refused} />
      {/* Above whatever the list shows after: a write may leave it empty, and its outcome
          must still be said, and take the focus from the buttons gone with the rows. */}
      {writable && (
        <BulkActions
          entity={entity}
          records={(list.data?.results ?? []).filter((record) => selected.has(record.id))}
          admin={isAdmin(tool)}
          onDone={() => setSelected(new Set())}
        />
      )}
      {list.isError ? (
        <ListRefusal entity={entity} error={list.error} params={params} update={update}>
          {Object.keys(refused).length === 0 && (
            <Button onClick={() => void list.refetch()}>Try again</Button>
          )}
          {params.size > 0 && (
            <Button onClick={() => update(clearAll(params, true))}>Reset the list</Button>
          )}
        </ListRefusal>
      ) : !list.data ? (
        <Spinner />
      ) : list.data.results.length === 0 && offset > 0 ? (
        <EmptyState title="This page is past the end of the list.">
          <Button onClick={() => update({ offset: "" })}>Go to the first page</Button>
        </EmptyState>
      ) : list.data.results.length === 0 ? (
        <EmptyState
          title={
            filtered
              ? "No records match these filters."
              : `No ${entity.label_plural.toLowerCase()} yet.`
          }
        >
          {filtered && <Button onClick={() => update(clearAll(params))}>Clear the filters</Button>}
        </EmptyState>
      ) : (
        <div className={`space-y-3 ${loading ? "opacity-60" : ""}`} aria-busy={loading}>
          <RecordTable
            tool={tool}
            entity={entity}
            tools={tools}
            records={list.data.results}
            ordering={currentOrdering(params, entity)}
            onOrder={(ordering) => update({ ordering })}
            selection={writable ? { ids: selected, onChange: setSelected } : undefined}
          />
          <Pager
            loading={loading}
            offset={offset}
            limit={limit}
            shown={list.data.results.length}
            count={list.data.count}
            countIsEstimate={list.data.count_is_estimate}
            filtered={filtered}
            hasNext={list.data.next !== null}
            onPage={({ offset: nextOffset, limit: nextLimit }) =>
              update({
                ...(nextOffset !== undefined && { offset: nextOffset ? String(nextOffset) : "" }),
                ...(nextLimit !== undefined && { limit: String(nextLimit) }),
              })
            }
          />
        </div>
      )}
    </div>
  );
}

/** Every parameter that chooses rows cleared; with `everything`, the order and page too. */
function clearAll(params: URLSearchParams, everything = false): Record<string, string> {
  const kept = everything ? [] : ["ordering", "limit"];
  return Object.fromEntries(
    [...params.keys()].filter((key) => !kept.includes(key)).map((key) => [key, ""]),
  );
}
