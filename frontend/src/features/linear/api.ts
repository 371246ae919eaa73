/**
 * A record's Linear issue (`…/<entity>/<id>/linear-issue/`): read, created from the record, and
 * unlinked.
 * Its query lives under the records feature's key of the entity, so every write to the entity's
 * records reads it again too, and linking reads the record's history and the activity again.
 */
import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";

import { ApiError, apiRequest } from "@/api/client";
import type { EntityManifest, LinearIssue, NewLinearIssue } from "@/api/types";
import { recordKeys, type LoadedRecord } from "@/features/records/api";

const linearIssueKey = (entity: EntityManifest, recordId: number) =>
  [...recordKeys.all(entity), "linear-issue", recordId] as const;

function linearIssuePath(entity: EntityManifest, recordId: number): string {
  return `${entity.api_path}${recordId}/linear-issue/`;
}

/** The record's issue, or null when it has none (the API's 404 `not_linked`). */
export function useLinearIssue(entity: EntityManifest, recordId: number, enabled: boolean) {
  return useQuery({
    queryKey: linearIssueKey(entity, recordId),
    enabled,
    queryFn: async ({ signal }): Promise<LinearIssue | null> => {
      try {
        return (await apiRequest<LinearIssue>(linearIssuePath(entity, recordId), { signal })).data;
      } catch (error) {
        if (error instanceof ApiError && error.code === "not_linked") return null;
        throw error;
      }
    },
  });
}

/**
 * After the record's link changed: the record's other queries (its history above all) and the
 * activity feed are read again, as the change is audited on the record.
 */
function readAgainAfterLinking(queryClient: QueryClient, entity: EntityManifest) {
  return Promise.all([
    queryClient.invalidateQueries({
      queryKey: recordKeys.all(entity),
      predicate: (query) => query.queryKey[2] !== "linear-issue",
    }),
    queryClient.invalidateQueries({ queryKey: ["activity"] }),
  ]);
}

/**
 * A refused change of the link that says the page is behind: a 412 (the record changed since it
 * was read: it is read again, so the next try carries its new ETag), or the link made or removed
 * by someone else meanwhile (the issue is read again, and the history and the feed, which show
 * that change).
 */
/** The refusals that say someone else linked or unlinked the record meanwhile. */
const LINK_CHANGED = new Set(["already_linked", "not_linked", "linear_issue_changed"]);

function readAgainIfBehind(queryClient: QueryClient, entity: EntityManifest) {
  return (error: Error) => {
    if (!(error instanceof ApiError)) return undefined;
    const records = () => queryClient.invalidateQueries({ queryKey: recordKeys.all(entity) });
    if (error.status === 412) return records();
    if (LINK_CHANGED.has(error.code)) {
      return Promise.all([records(), queryClient.invalidateQueries({ queryKey: ["activity"] })]);
    }
    return undefined;
  };
}

/**
 * Creates the record's issue in Linear and links it, sending the record's ETag (`If-Match`) as
 * every write to the record does. The answer becomes the panel's issue.
 */
export function useCreateLinearIssue(entity: EntityManifest, loaded: LoadedRecord) {
  const queryClient = useQueryClient();
  const recordId = loaded.record.id;
  return useMutation({
    mutationFn: async (body: NewLinearIssue) =>
      (
        await apiRequest<LinearIssue>(linearIssuePath(entity, recordId), {
          method: "POST",
          body,
          ifMatch: loaded.etag,
        })
      ).data,
    onSuccess: (issue) => {
      queryClient.setQueryData(linearIssueKey(entity, recordId), issue);
      return readAgainAfterLinking(queryClient, entity);
    },
    onError: readAgainIfBehind(queryClient, entity),
  });
}

/**
 * Unlinks the record from the issue shown (which stays in Linear): the panel then has none. The
 * link is named (`?link=`), as linking leaves the record's ETag as it was: a link made since the
 * page read this one is refused (409 `linear_issue_changed`), not removed.
 */
export function useUnlinkLinearIssue(entity: EntityManifest, loaded: LoadedRecord) {
  const queryClient = useQueryClient();
  const recordId = loaded.record.id;
  return useMutation({
    mutationFn: (issue: LinearIssue) =>
      apiRequest<null>(linearIssuePath(entity, recordId), {
        method: "DELETE",
        params: { link: issue.id },
        ifMatch: loaded.etag,
      }),
    onSuccess: () => {
      queryClient.setQueryData(linearIssueKey(entity, recordId), null);
      return readAgainAfterLinking(queryClient, entity);
    },
    onError: readAgainIfBehind(queryClient, entity),
  });
}
