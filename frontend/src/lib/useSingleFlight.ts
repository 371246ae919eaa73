import { useCallback, useRef } from "react";

/**
 * Runs one task at a time: a second click or Enter while the first write is in flight is
 * dropped, not sent again (a disabled button only stops clicks after the next render).
 */
export function useSingleFlight() {
  const running = useRef(false);
  return useCallback(async (task: () => Promise<unknown>): Promise<void> => {
    if (running.current) return;
    running.current = true;
    try {
      await task();
    } finally {
      running.current = false;
    }
  }, []);
}
