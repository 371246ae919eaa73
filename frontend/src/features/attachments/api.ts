/**
 * A record's attachments (`…/<entity>/<id>/attachments/`): listed, uploaded, downloaded and
 * deleted. The list lives under the records feature's key of the entity, so a change reads the
 * record's history and the activity again too, as it is audited on the record.
 */
import { useMutation, useQuery, useQueryClient, type QueryClient } from "@tanstack/react-query";

import { ApiError, apiDownload, apiRequest } from "@/api/client";
import type { Attachment, EntityManifest } from "@/api/types";
import { recordKeys, type LoadedRecord } from "@/features/records/api";

const attachmentsKey = (entity: EntityManifest, recordId: number) =>
  [...recordKeys.all(entity), "attachments", recordId] as const;

function attachmentsPath(entity: EntityManifest, recordId: number): string {
  return `${entity.api_path}${recordId}/attachments/`;
}

export function useAttachments(entity: EntityManifest, recordId: number) {
  return useQuery({
    queryKey: attachmentsKey(entity, recordId),
    queryFn: async ({ signal }) =>
      (await apiRequest<Attachment[]>(attachmentsPath(entity, recordId), { signal })).data,
  });
}

/**
 * After a change (or a refusal saying the page is behind: a 412, the file gone): the record,
 * its attachments and history, and the activity feed are read again, so the next try carries
 * the record's ETag now.
 */
function readAgain(queryClient: QueryClient, entity: EntityManifest) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: recordKeys.all(entity) }),
    queryClient.invalidateQueries({ queryKey: ["activity"] }),
  ]);
}

function readAgainIfBehind(queryClient: QueryClient, entity: EntityManifest) {
  return (error: Error) =>
    error instanceof ApiError && (error.status === 412 || error.status === 404)
      ? readAgain(queryClient, entity)
      : undefined;
}

/** Uploads one file, sending the record's ETag (`If-Match`) as every write to the record does. */
export function useUploadAttachment(entity: EntityManifest, loaded: LoadedRecord) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (file: File) => {
      const body = new FormData();
      body.append("file", file);
      return (
        await apiRequest<Attachment>(attachmentsPath(entity, loaded.record.id), {
          method: "POST",
          body,
          ifMatch: loaded.etag,
        })
      ).data;
    },
    onSuccess: () => readAgain(queryClient, entity),
    onError: readAgainIfBehind(queryClient, entity),
  });
}

export function useDeleteAttachment(entity: EntityManifest, loaded: LoadedRecord) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (attachment: Attachment) =>
      apiRequest<null>(`${attachmentsPath(entity, loaded.record.id)}${attachment.id}/`, {
        method: "DELETE",
        ifMatch: loaded.etag,
      }),
    onSuccess: () => readAgain(queryClient, entity),
    onError: readAgainIfBehind(queryClient, entity),
  });
}

/** Saves the attachment's file under its name (the API's, else the one listed). */
export function downloadAttachment(
  entity: EntityManifest,
  recordId: number,
  attachment: Attachment,
): Promise<void> {
  return apiDownload(
    `${attachmentsPath(entity, recordId)}${attachment.id}/`,
    undefined,
    attachment.name,
  );
}

/** Why an upload was refused, in words naming the file. */
export function uploadFailure(file: File, error: unknown): string {
  if (error instanceof ApiError && error.errors.file?.length) return error.errors.file.join(" ");
  const reason = error instanceof Error ? error.message : String(error);
  return `${file.name} could not be uploaded: ${reason}`;
}
