import { X } from "lucide-react";
import type { KeyboardEvent, MouseEvent } from "react";

/**
 * A thing chosen, named, with a way to drop it: a filter a list is under, a record a field
 * links to. Its button (or Backspace or Delete on it) removes it; without `onRemove` (a
 * required link's record, only replaced) it has none. Chips sit together in an
 * element marked `data-chips`: when one goes, the focus moves to the next chip's button (or
 * the previous one's), else to the control that chooses them (`returnFocusTo`, an element's
 * id), not to the page's start.
 */
export function Chip({
  label,
  onRemove,
  returnFocusTo,
  removeLabel = `Remove the filter ${label}`,
  refused = false,
}: {
  label: string;
  /** Marked as refused (a link the API would not take): its reason is said beside it. */
  refused?: boolean;
  onRemove?: () => void;
  returnFocusTo: string;
  /** The button's accessible name. */
  removeLabel?: string;
}) {
  const remove = (event: MouseEvent<HTMLButtonElement> | KeyboardEvent<HTMLButtonElement>) => {
    const button = event.currentTarget;
    const group = button.closest("[data-chips]");
    const buttons = [...(group?.querySelectorAll<HTMLElement>("[data-chip-remove]") ?? [])];
    const at = buttons.indexOf(button);
    const next = buttons[at + 1] ?? buttons[at - 1] ?? document.getElementById(returnFocusTo);
    onRemove?.();
    next?.focus();
  };
  return (
    <span
      className={`inline-flex items-center gap-1 rounded-full py-0.5 pl-3 text-sm ${refused ? "bg-red-50 text-red-900 ring-1 ring-red-500 ring-inset" : "bg-indigo-50 text-indigo-900"} ${onRemove ? "pr-1" : "pr-3"}`}
    >
      {label}
      {onRemove && (
        <button
          type="button"
          data-chip-remove
          className="rounded-full p-0.5 hover:bg-indigo-100"
          aria-label={removeLabel}
          onClick={remove}
          onKeyDown={(event) => {
            if (event.key !== "Backspace" && event.key !== "Delete") return;
            event.preventDefault();
            remove(event);
          }}
        >
          <X className="size-3.5" aria-hidden="true" />
        </button>
      )}
    </span>
  );
}
