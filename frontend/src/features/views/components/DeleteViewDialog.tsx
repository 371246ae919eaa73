/** Deleting one of the caller's views, once they confirm: the list's records are untouched. */
import type { SavedView } from "@/api/types";
import { ConfirmDialog } from "@/components/ConfirmDialog";

import { useDeleteView } from "../api";

export function DeleteViewDialog({
  view,
  onDeleted,
  onClose,
}: {
  view: SavedView;
  onDeleted: (view: SavedView) => void;
  onClose: () => void;
}) {
  const remove = useDeleteView(view.entity);
  return (
    <ConfirmDialog
      title={`Delete the view “${view.name}”?`}
      description={
        view.shared
          ? "It is shared: no one will be able to open it any more. The records stay as they are."
          : "The records stay as they are; only the view goes."
      }
      confirmLabel="Delete view"
      busyLabel="Deleting…"
      busy={remove.isPending}
      error={remove.error}
      onConfirm={async () => {
        // A refusal is shown from the mutation's error; the dialog stays.
        const deleted = await remove.mutateAsync(view).catch(() => null);
        if (deleted) onDeleted(deleted);
      }}
      onClose={onClose}
    />
  );
}
