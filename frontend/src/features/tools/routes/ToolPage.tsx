import { Navigate, useParams } from "react-router";

import { Spinner } from "@/components/Feedback";

import { entityRoute, useManifest } from "../api";
import { NotFoundPage } from "./NotFoundPage";

/** `/tools/<slug>`: the tool's first entity. */
export function ToolPage() {
  const { tool: slug } = useParams();
  const manifest = useManifest();
  if (!manifest.data) return <Spinner />;
  const tool = manifest.data.find((candidate) => candidate.slug === slug);
  const entity = tool?.entities[0];
  if (!tool || !entity) return <NotFoundPage what="This tool" />;
  return <Navigate replace to={entityRoute(tool, entity)} />;
}
