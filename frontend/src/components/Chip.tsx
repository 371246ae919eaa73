import { X } from "lucide-react";
import type { MouseEvent } from "react";

/**
 * A filter a list is under, named, with a way to drop it. Chips sit together in an element
 * marked `data-chips`: when one goes, the focus moves to the next chip's button (or the
 * previous one's), else to the control that sets filters (`returnFocusTo`, an element's
 * id), not to the page's start.
 */
export function Chip({
  label,
  onRemove,
  returnFocusTo,
}: {
  label: string;
  onRemove: () => void;
  returnFocusTo: string;
}) {
  const remove = (event: MouseEvent<HTMLButtonElement>) => {
    const button = event.currentTarget;
    const group = button.closest("[data-chips]");
    const buttons = [...(group?.querySelectorAll<HTMLElement>("[data-chip-remove]") ?? [])];
    const at = buttons.indexOf(button);
    const next = buttons[at + 1] ?? buttons[at - 1] ?? document.getElementById(returnFocusTo);
    onRemove();
    next?.focus();
  };
  return (
    <span className="inline-flex items-center gap-1 rounded-full bg-indigo-50 py-0.5 pr-1 pl-3 text-sm text-indigo-900">
      {label}
      <button
        data-chip-remove
        className="rounded-full p-0.5 hover:bg-indigo-100"
        aria-label={`Remove the filter ${label}`}
        onClick={remove}
      >
        <X className="size-3.5" aria-hidden="true" />
      </button>
    </span>
  );
}
