import { useCallback, useEffect, useRef } from "react";

/**
 * Moves the focus once the next render is on the screen, to what that render shows: an
 * outcome's line, a prompt's button, the control that opened what just closed. The control
 * that had the focus may be gone with the change, which would leave it on the page's body.
 * Call it with the state change that makes the render.
 */
export function useFocusAfterRender() {
  const pending = useRef<(() => HTMLElement | null | undefined) | null>(null);
  useEffect(() => {
    const find = pending.current;
    if (!find) return;
    pending.current = null;
    find()?.focus();
  });
  return useCallback((find: () => HTMLElement | null | undefined) => {
    pending.current = find;
  }, []);
}
