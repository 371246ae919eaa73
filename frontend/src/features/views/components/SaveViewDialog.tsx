/** Saving the list as it is now as a view: the caller names it, and may share it. */
import type { EntityManifest, SavedView, ToolManifest } from "@/api/types";

import { useCreateView } from "../api";
import { ViewDialog } from "./ViewDialog";

export function SaveViewDialog({
  tool,
  entity,
  query,
  onSaved,
  onClose,
}: {
  tool: ToolManifest;
  entity: EntityManifest;
  /** The list's query, normalised. */
  query: string;
  onSaved: (view: SavedView) => void;
  onClose: () => void;
}) {
  const create = useCreateView(entity.name);
  return (
    <ViewDialog
      title={`Save this list of ${entity.label_plural.toLowerCase()} as a view`}
      toolName={tool.name}
      query={query}
      initial={{ name: "", shared: false }}
      submitLabel="Save view"
      busy={create.isPending}
      error={create.error}
      onSubmit={async (fields) => onSaved(await create.mutateAsync({ ...fields, query }))}
      onClose={onClose}
    />
  );
}
