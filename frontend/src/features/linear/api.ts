/**
 * A record's Linear issue (`…/<entity>/<id>/linear-issue/`): read, and created from the record.
 * Its query lives under the records feature's key of the entity, so every write to the entity's
 * records reads it again too, and linking reads the record's history and the activity again.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { ApiError, apiRequest } from "@/api/client";
import type { EntityManifest, LinearIssue, NewLinearIssue } from "@/api/types";
import { recordKeys } from "@/features/records/api";

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
 * Creates the record's issue in Linear and links it. The answer becomes the panel's issue; the
 * record's other queries (its history above all) and the activity feed are read again, as the
 * link is audited on the record. Refused as already linked, the issue is read again: the panel
 * then shows the link someone else made.
 */
export function useCreateLinearIssue(entity: EntityManifest, recordId: number) {
  const queryClient = useQueryClient();
  const key = linearIssueKey(entity, recordId);
  return useMutation({
    mutationFn: async (body: NewLinearIssue) =>
      (await apiRequest<LinearIssue>(linearIssuePath(entity, recordId), { method: "POST", body }))
        .data,
    onSuccess: (issue) => {
      queryClient.setQueryData(key, issue);
      return Promise.all([
        queryClient.invalidateQueries({
          queryKey: recordKeys.all(entity),
          predicate: (query) => query.queryKey[2] !== "linear-issue",
        }),
        queryClient.invalidateQueries({ queryKey: ["activity"] }),
      ]);
    },
    onError: (error) =>
      error instanceof ApiError && error.code === "already_linked"
        ? queryClient.invalidateQueries({ queryKey: key })
        : undefined,
  });
}
