/** Renaming one of the caller's views, or sharing it or no longer: only what changed is sent. */
import type { SavedView, ToolManifest } from "@/api/types";

import { useUpdateView, type ViewFields } from "../api";
import { ViewDialog } from "./ViewDialog";

export function EditViewDialog({
  tool,
  view,
  onSaved,
  onClose,
}: {
  tool: ToolManifest;
  view: SavedView;
  onSaved: (view: SavedView) => void;
  onClose: () => void;
}) {
  const update = useUpdateView(view.entity);
  return (
    <ViewDialog
      title={`Edit the view “${view.name}”`}
      toolName={tool.name}
      query={view.query}
      initial={{ name: view.name, shared: view.shared }}
      submitLabel="Save changes"
      busy={update.isPending}
      error={update.error}
      onSubmit={async ({ name, shared }) => {
        const changes: Partial<ViewFields> = {
          ...(name !== view.name && { name }),
          ...(shared !== view.shared && { shared }),
        };
        if (Object.keys(changes).length === 0) return onClose();
        onSaved(await update.mutateAsync({ view, changes }));
      }}
      onClose={onClose}
    />
  );
}
