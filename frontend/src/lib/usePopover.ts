import { useCallback, useEffect, useId, useRef, useState } from "react";

/**
 * A button that opens a panel beside it (a list of checkboxes, a menu): whether it is open,
 * the props of the button that toggles it, and the panel's id. The panel, inside `root`,
 * closes on a click outside `root`, when the focus moves out of it (Tab past its last
 * control), and on Escape, which gives the focus back to the button.
 */
export function usePopover() {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const panelId = useId();
  const close = useCallback(() => setOpen(false), []);

  useEffect(() => {
    if (!open) return;
    const outside = (event: Event) => {
      if (!root.current?.contains(event.target as Node)) close();
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== "Escape") return;
      close();
      button.current?.focus();
    };
    document.addEventListener("pointerdown", outside);
    document.addEventListener("focusin", outside);
    document.addEventListener("keydown", onKey);
    return () => {
      document.removeEventListener("pointerdown", outside);
      document.removeEventListener("focusin", outside);
      document.removeEventListener("keydown", onKey);
    };
  }, [open, close]);

  const trigger = {
    ref: button,
    "aria-expanded": open,
    "aria-controls": panelId,
    onClick: () => setOpen(!open),
  };
  return { open, close, root, button, trigger, panelId };
}
