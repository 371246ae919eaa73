/** The manifest: which tools the caller may use, and how to render each of their entities. */
import { useQuery } from "@tanstack/react-query";

import { apiRequest } from "@/api/client";
import type {
  AttachmentLimits,
  EntityManifest,
  FieldManifest,
  Integrations,
  Manifest,
  Me,
  PermissionLevel,
  ToolManifest,
} from "@/api/types";

/** One request for the whole manifest; each hook selects its part. */
const manifestQuery = {
  queryKey: ["manifest"],
  queryFn: async ({ signal }: { signal: AbortSignal }) =>
    (await apiRequest<Manifest>("/api/v1/tools/", { signal })).data,
  staleTime: 5 * 60_000,
};

export function useManifest() {
  return useQuery({ ...manifestQuery, select: (manifest: Manifest) => manifest.tools });
}

/**
 * Where a link's records live (its `relation.entity`): undefined for a field that is no link
 * and while the manifest is read; null when the caller may not read the linked tool (the
 * manifest lists only the tools they may read, and the API refuses them such a link).
 */
export function useLinkedEntity(field: FieldManifest): EntityLocation | null | undefined {
  const tools = useQuery({
    ...manifestQuery,
    select: (manifest: Manifest) => manifest.tools,
    enabled: Boolean(field.relation),
  });
  if (!field.relation || !Array.isArray(tools.data)) return undefined;
  return findEntityByName(tools.data, field.relation.entity);
}

/** Whether a field links to a tool `tools` (the manifest's) does not list: not the caller's to read. */
export function linksUnreadable(tools: ToolManifest[], field: FieldManifest): boolean {
  return Boolean(field.relation) && !findEntityByName(tools, field.relation?.entity ?? "");
}

/** Which integrations the server has configured: none while the manifest is read. */
export function useIntegrations(): Integrations {
  const integrations = useQuery({
    ...manifestQuery,
    select: (manifest: Manifest) => manifest.integrations,
  });
  return integrations.data ?? { linear: false };
}

/** What a record's files may be (the server's settings): null while the manifest is read. */
export function useAttachmentLimits(): AttachmentLimits | null {
  const limits = useQuery({
    ...manifestQuery,
    select: (manifest: Manifest) => manifest.attachments,
  });
  return limits.data ?? null;
}

export function useMe() {
  return useQuery({
    queryKey: ["me"],
    queryFn: async ({ signal }) => (await apiRequest<Me>("/api/v1/me/", { signal })).data,
    staleTime: 5 * 60_000,
  });
}

/** An entity's segment in the app's URLs: the last part of its API path (`test-runs`). */
export function entitySegment(entity: Pick<EntityManifest, "api_path">): string {
  return entity.api_path.split("/").filter(Boolean).pop() ?? "";
}

export function entityRoute(tool: Pick<ToolManifest, "slug">, entity: EntityManifest): string {
  return `/tools/${tool.slug}/${entitySegment(entity)}`;
}

export function recordRoute(
  tool: Pick<ToolManifest, "slug">,
  entity: EntityManifest,
  publicId: string,
): string {
  return `${entityRoute(tool, entity)}/${encodeURIComponent(publicId)}`;
}

export interface EntityLocation {
  tool: ToolManifest;
  entity: EntityManifest;
}

export function findEntity(
  tools: ToolManifest[],
  toolSlug: string | undefined,
  segment: string | undefined,
): EntityLocation | null {
  const tool = tools.find((candidate) => candidate.slug === toolSlug);
  const entity = tool?.entities.find((candidate) => entitySegment(candidate) === segment);
  return tool && entity ? { tool, entity } : null;
}

/** The entity a relation points to, found by its API path or its `<tool>.<entity>` name. */
export function findEntityByName(tools: ToolManifest[], name: string): EntityLocation | null {
  for (const tool of tools) {
    const entity = tool.entities.find((candidate) => candidate.name === name);
    if (entity) return { tool, entity };
  }
  return null;
}

/** Whether an entity is named as its tool is ("Purchase requests" of "Purchase requests"). */
export function namedAsTool(tool: ToolManifest, entity: EntityManifest): boolean {
  return tool.name.trim().toLowerCase() === entity.label_plural.trim().toLowerCase();
}

/**
 * Where an entity's records are, by name: "Testing · Test runs", or the name once when the
 * entity is named as its tool ("Purchase requests", not "Purchase requests · Purchase requests").
 */
export function entityTrail(tool: ToolManifest, entity: EntityManifest): string {
  return namedAsTool(tool, entity) ? entity.label_plural : `${tool.name} · ${entity.label_plural}`;
}

/**
 * The permission the API asks for a level of the tool an entity (or a link's `<tool>.<entity>`)
 * belongs to, as it names it: "testing:admin". A tool's entities are named after it.
 */
export function permissionFor(entityName: string, level: PermissionLevel): string {
  return `${entityName.split(".")[0] ?? entityName}:${level}`;
}

export function canWrite(tool: ToolManifest): boolean {
  return tool.permissions.includes("write");
}

export function isAdmin(tool: ToolManifest): boolean {
  return tool.permissions.includes("admin");
}
