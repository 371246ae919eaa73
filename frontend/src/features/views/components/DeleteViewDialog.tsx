/** Deleting one of the caller's views, once they confirm: the list's records are untouched. */
import { useRef } from "react";

import type { SavedView } from "@/api/types";
import { Button } from "@/components/Button";
import { Dialog } from "@/components/Dialog";
import { ErrorPanel } from "@/components/Feedback";
import { useSingleFlight } from "@/lib/useSingleFlight";

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
  const once = useSingleFlight();
  // Enter on opening keeps the view: the safe choice has the focus.
  const cancel = useRef<HTMLButtonElement>(null);
  const busy = remove.isPending;
  return (
    <Dialog
      title={`Delete the view “${view.name}”?`}
      description={
        view.shared
          ? "It is shared: no one will be able to open it any more. The records stay as they are."
          : "The records stay as they are; only the view goes."
      }
      onClose={onClose}
      dismissible={!busy}
      initialFocus={cancel}
    >
      {remove.error && (
        <div className="mb-4">
          <ErrorPanel error={remove.error} />
        </div>
      )}
      <div className="flex justify-end gap-2">
        <Button ref={cancel} onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button
          variant="danger"
          disabled={busy}
          onClick={() =>
            void once(async () => {
              // A refusal is shown from the mutation's error; the dialog stays.
              const deleted = await remove.mutateAsync(view).catch(() => null);
              if (deleted) onDeleted(deleted);
            })
          }
        >
          {busy ? "Deleting…" : "Delete view"}
        </Button>
      </div>
    </Dialog>
  );
}
