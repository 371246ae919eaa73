/** A tool's records through the standard tool API: one set of hooks for every entity. */
import {
  keepPreviousData,
  queryOptions,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { useCallback } from "react";

import { ApiError, apiRequest } from "@/api/client";
import type {
  EntityManifest,
  EntityRecord,
  EntityReference,
  HistoryEntry,
  OffsetPage,
  RevertPreview,
  ToolManifest,
} from "@/api/types";

import { bulkUpdateBody, type TagChange } from "./bulk";

/**
 * Every query of an entity's records starts with `all(entity)`: a write invalidates that prefix.
 * Exported for what shows a record's data beside it (its Linear issue), so it is read again too.
 */
export const recordKeys = {
  all: (entity: EntityManifest) => ["records", entity.api_path] as const,
  list: (entity: EntityManifest, params: string) =>
    ["records", entity.api_path, "list", params] as const,
  detail: (entity: EntityManifest, id: string) =>
    ["records", entity.api_path, "detail", id] as const,
  history: (entity: EntityManifest, id: string, offset: number) =>
    ["records", entity.api_path, "history", id, offset] as const,
  revertPreview: (entity: EntityManifest, id: string, auditId: number) =>
    ["records", entity.api_path, "revert-preview", id, auditId] as const,
};

function recordPath(entity: EntityManifest, id: string | number): string {
  return `${entity.api_path}${encodeURIComponent(String(id))}/`;
}

export function useRecordList(entity: EntityManifest, params: URLSearchParams) {
  return useQuery({
    queryKey: recordKeys.list(entity, params.toString()),
    queryFn: async ({ signal }) =>
      (await apiRequest<OffsetPage<EntityRecord>>(entity.api_path, { params, signal })).data,
    placeholderData: keepPreviousData,
  });
}

export interface LoadedRecord {
  record: EntityRecord;
  /** Sent back as `If-Match` with every write, so a change made meanwhile is a 412, not lost. */
  etag: string | null;
}

/** What a panel of a record's page (its files, its Linear issue) is given. */
export interface RecordPanelProps {
  tool: ToolManifest;
  entity: EntityManifest;
  loaded: LoadedRecord;
}

function recordQuery(entity: EntityManifest, id: string) {
  return {
    queryKey: recordKeys.detail(entity, id),
    queryFn: async ({ signal }: { signal: AbortSignal }): Promise<LoadedRecord> => {
      const { data, etag } = await apiRequest<EntityRecord>(recordPath(entity, id), { signal });
      return { record: data, etag };
    },
  };
}

/** A page of a record's history, newest first. */
function historyQuery(entity: EntityManifest, id: string, offset: number) {
  return {
    queryKey: recordKeys.history(entity, id, offset),
    queryFn: async ({ signal }: { signal: AbortSignal }) =>
      (
        await apiRequest<OffsetPage<HistoryEntry>>(`${recordPath(entity, id)}history/`, {
          params: { limit: 20, offset },
          signal,
        })
      ).data,
  };
}

export function useRecord(entity: EntityManifest, id: string) {
  return useQuery(recordQuery(entity, id));
}

export function useHistory(entity: EntityManifest, id: string, offset: number) {
  return useQuery({ ...historyQuery(entity, id, offset), placeholderData: keepPreviousData });
}

/** The record as it is now, and the newest page of its history: who changed it, and how. */
export interface LatestVersion {
  loaded: LoadedRecord;
  history: HistoryEntry[];
}

/**
 * Reads the record and its latest history entries afresh (one request each, together):
 * what an edit refused with a 412 tells the user, and starts again from.
 */
export function useReadLatest(entity: EntityManifest, id: string) {
  const queryClient = useQueryClient();
  return useCallback(async (): Promise<LatestVersion> => {
    const [loaded, history] = await Promise.all([
      queryClient.fetchQuery({ ...recordQuery(entity, id), staleTime: 0 }),
      queryClient.fetchQuery({ ...historyQuery(entity, id, 0), staleTime: 0 }),
    ]);
    return { loaded, history: history.results };
  }, [queryClient, entity, id]);
}

/**
 * Every write answers with the record as it now is: it becomes the cached detail (under
 * its public id, which is what the app's URLs carry) and the lists are read again.
 */
function useRecordWrite<Variables>(
  entity: EntityManifest,
  write: (variables: Variables) => Promise<{ data: EntityRecord; etag: string | null }>,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    // Someone changed the record meanwhile: read it again, so the page shows it and the
    // next write carries its new ETag (an open edit form keeps the user's values).
    onError: (error) =>
      error instanceof ApiError && error.status === 412
        ? queryClient.invalidateQueries({ queryKey: recordKeys.all(entity) })
        : undefined,
    onSuccess: ({ data, etag }) => {
      queryClient.setQueryData<LoadedRecord>(recordKeys.detail(entity, data.public_id), {
        record: data,
        etag,
      });
      return queryClient.invalidateQueries({
        queryKey: recordKeys.all(entity),
        predicate: (query) =>
          query.queryKey[2] !== "detail" || query.queryKey[3] !== data.public_id,
      });
    },
  });
}

export function useCreateRecord(entity: EntityManifest) {
  return useRecordWrite(entity, (body: Record<string, unknown>) =>
    apiRequest<EntityRecord>(entity.api_path, { method: "POST", body }),
  );
}

export function useUpdateRecord(entity: EntityManifest, loaded: LoadedRecord | undefined) {
  return useRecordWrite(entity, (body: Record<string, unknown>) =>
    apiRequest<EntityRecord>(recordPath(entity, loaded?.record.id ?? ""), {
      method: "PATCH",
      body,
      ifMatch: loaded?.etag,
    }),
  );
}

export function useStatusTransition(entity: EntityManifest, loaded: LoadedRecord | undefined) {
  return useRecordWrite(entity, (body: { to: string; comment: string }) =>
    apiRequest<EntityRecord>(`${recordPath(entity, loaded?.record.id ?? "")}transition/`, {
      method: "POST",
      body,
      ifMatch: loaded?.etag,
    }),
  );
}

/** `DELETE` archives a record; the API answers 204, so the record is read again. */
export function useArchive(entity: EntityManifest, loaded: LoadedRecord | undefined) {
  return useRecordWrite(entity, async () => {
    const path = recordPath(entity, loaded?.record.id ?? "");
    await apiRequest<null>(path, { method: "DELETE", ifMatch: loaded?.etag });
    return apiRequest<EntityRecord>(path);
  });
}

export function useRestore(entity: EntityManifest, loaded: LoadedRecord | undefined) {
  return useRecordWrite(entity, () =>
    apiRequest<EntityRecord>(`${recordPath(entity, loaded?.record.id ?? "")}restore/`, {
      method: "POST",
      ifMatch: loaded?.etag,
    }),
  );
}

/**
 * What reverting one history entry would change (the API writes nothing to say so), and the
 * record's ETag it was worked out from. Read when the user asks to revert (`fetchQuery`, with
 * a `staleTime` of 0), then never again by itself: the confirmation shows what the user is
 * confirming, not a list that changes under them. A write to the record reads it again (it is
 * under `recordKeys.all`): after a 412 the confirmation shows the record as it now is.
 */
export interface LoadedRevertPreview {
  preview: RevertPreview;
  etag: string | null;
}

export function revertPreviewQuery(entity: EntityManifest, id: string, auditId: number) {
  return queryOptions({
    queryKey: recordKeys.revertPreview(entity, id, auditId),
    queryFn: async ({ signal }): Promise<LoadedRevertPreview> => {
      const { data, etag } = await apiRequest<RevertPreview>(`${recordPath(entity, id)}revert/`, {
        params: { audit_id: auditId },
        signal,
      });
      return { preview: data, etag };
    },
    staleTime: Infinity,
  });
}

export function useRevertPreview(entity: EntityManifest, id: string, auditId: number) {
  return useQuery(revertPreviewQuery(entity, id, auditId));
}

/**
 * Reverts a history entry, sending as `If-Match` the ETag of the preview the user confirmed:
 * if the record changed after it, the API refuses (412) rather than undo what they never saw.
 */
export function useRevert(entity: EntityManifest, loaded: LoadedRecord | undefined) {
  return useRecordWrite(entity, ({ auditId, etag }: { auditId: number; etag: string | null }) =>
    apiRequest<EntityRecord>(`${recordPath(entity, loaded?.record.id ?? "")}revert/`, {
      method: "POST",
      body: { audit_id: auditId },
      ifMatch: etag,
    }),
  );
}

/**
 * A write to many records at once, all or none: a refusal (a 400) names each item by its
 * position, so the mutation's `variables` keep the records in the order sent. The answer
 * carries no ETag per record, so every query of the entity is read again (its lists, and
 * these records' pages and histories) rather than filled from it; after a refusal too, as
 * a bulk edit's second request may be refused once its first is written.
 */
function useBulkWrite<Variables, Result>(
  entity: EntityManifest,
  write: (variables: Variables) => Promise<Result>,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSettled: () => queryClient.invalidateQueries({ queryKey: recordKeys.all(entity) }),
  });
}

export function useBulkArchive(entity: EntityManifest) {
  return useBulkWrite(
    entity,
    async (records: EntityReference[]) =>
      (
        await apiRequest<{ archived: EntityReference[] }>(`${entity.api_path}bulk/archive/`, {
          method: "POST",
          body: { ids: records.map((record) => record.id) },
        })
      ).data.archived,
  );
}

export interface BulkUpdate {
  /** In the order sent: a refusal names each item by its position. */
  records: EntityReference[];
  /** The same values for every record, as the API takes them; may be empty. */
  changes: Record<string, unknown>;
  /** Tags to add to and remove from every record, or null. */
  tags: TagChange | null;
  /** Why, for every record's history and the workflow's guards (a bulk move's); "" for none. */
  comment?: string;
}

/**
 * Sets the same values on many records and adds or removes the same tags on them, in one
 * `PATCH …/bulk/` (`[{id, …fields, add_tags, remove_tags, comment}]`): all or none. Resolves
 * to the number of records.
 */
export function useBulkUpdate(entity: EntityManifest) {
  return useBulkWrite(entity, async ({ records, changes, tags, comment }: BulkUpdate) => {
    await apiRequest<EntityRecord[]>(`${entity.api_path}bulk/`, {
      method: "PATCH",
      body: bulkUpdateBody(records, changes, tags, comment),
    });
    return records.length;
  });
}

/** One linked record's id, public id and name: to name a relation a list is filtered by. */
export function useReference(apiPath: string | null, id: string) {
  return useQuery(referenceQuery(apiPath, id));
}

/** `useReference`'s query, for a list of them (`useQueries`). */
export function referenceQuery(apiPath: string | null, id: string) {
  return queryOptions({
    queryKey: ["records", apiPath, "reference", id],
    enabled: Boolean(apiPath),
    queryFn: async ({ signal }) =>
      (
        await apiRequest<EntityReference>(`${apiPath}${encodeURIComponent(id)}/`, {
          params: { fields: "id,public_id,name" },
          signal,
        })
      ).data,
    staleTime: 5 * 60_000,
  });
}

/** Records of an entity whose name or public id matches `term`: for picking a relation. */
export function useRecordSuggestions(apiPath: string | null, term: string) {
  return useQuery({
    queryKey: ["records", apiPath, "suggest", term],
    enabled: Boolean(apiPath),
    queryFn: async ({ signal }) =>
      (
        await apiRequest<OffsetPage<Pick<EntityRecord, "id" | "public_id" | "name">>>(
          apiPath ?? "",
          { params: { search: term, fields: "id,public_id,name", limit: 10 }, signal },
        )
      ).data.results,
    staleTime: 30_000,
  });
}
