import { useParams } from "react-router";

import { findEntity, useManifest, type EntityLocation } from "@/features/tools/api";
import type { ToolManifest } from "@/api/types";

export type EntityRouteState =
  | { state: "loading" }
  | { state: "missing" }
  | ({ state: "found"; tools: ToolManifest[] } & EntityLocation);

/** The tool and entity a `/tools/:tool/:entity/…` URL names, resolved through the manifest. */
export function useEntityRoute(): EntityRouteState {
  const { tool, entity } = useParams();
  const manifest = useManifest();
  if (!manifest.data) return { state: "loading" };
  const found = findEntity(manifest.data, tool, entity);
  return found ? { state: "found", tools: manifest.data, ...found } : { state: "missing" };
}
