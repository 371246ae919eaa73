/**
 * "Are you sure?" before something a misclick should not do: the safe choice (Cancel) has
 * the focus, so Enter on opening does nothing; while the work is under way the confirming button
 * says so (`busyLabel`); a refusal shows in the dialog, which stays.
 */
import { useRef } from "react";

import { useSingleFlight } from "@/lib/useSingleFlight";

import { Button } from "./Button";
import { Dialog } from "./Dialog";
import { ErrorPanel } from "./Feedback";

export function ConfirmDialog({
  title,
  description,
  confirmLabel,
  busyLabel,
  busy,
  error,
  onConfirm,
  onClose,
}: {
  title: string;
  description: string;
  confirmLabel: string;
  /** What the confirming button says while the work is under way ("Deleting…"). */
  busyLabel: string;
  busy: boolean;
  /** The refusal of the last attempt, if any. */
  error: unknown;
  /** The work; the dialog's owner closes it once done. */
  onConfirm: () => Promise<unknown>;
  onClose: () => void;
}) {
  const once = useSingleFlight();
  const cancel = useRef<HTMLButtonElement>(null);
  return (
    <Dialog
      title={title}
      description={description}
      onClose={onClose}
      dismissible={!busy}
      initialFocus={cancel}
    >
      {error !== null && error !== undefined && (
        <div className="mb-4">
          <ErrorPanel error={error} />
        </div>
      )}
      <div className="flex justify-end gap-2">
        <Button ref={cancel} onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        {/* Busy, it keeps the focus (a disabled button would drop it to the page's body) and
            says so; a second press is dropped by the single flight. */}
        <Button
          variant="danger"
          aria-disabled={busy}
          aria-busy={busy}
          onClick={() => void once(onConfirm)}
        >
          {busy ? busyLabel : confirmLabel}
        </Button>
      </div>
    </Dialog>
  );
}
