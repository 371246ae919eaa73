import { useCallback, useEffect, useRef } from "react";
import { useBlocker } from "react-router";

/**
 * While `unsaved` is true, leaving the page (a link, Back, closing the tab) asks first.
 * `setSaving(true)` lets a save lead away without asking; `false` guards again (it failed).
 */
export function useConfirmLeave(unsaved: boolean, question: string) {
  const guarded = useRef(unsaved);
  const saving = useRef(false);
  useEffect(() => {
    guarded.current = unsaved;
  }, [unsaved]);
  const mustAsk = useCallback(() => guarded.current && !saving.current, []);

  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) =>
      currentLocation.pathname !== nextLocation.pathname && mustAsk(),
  );
  // Asked once per blocked navigation: the blocker is a new object on every render, and a
  // render before the answer's reset lands would otherwise ask the same question again.
  const askedFor = useRef<unknown>(null);
  useEffect(() => {
    if (blocker.state !== "blocked") {
      askedFor.current = null;
      return;
    }
    if (askedFor.current === blocker.location) return;
    askedFor.current = blocker.location;
    if (window.confirm(question)) blocker.proceed();
    else blocker.reset();
  }, [blocker, question]);

  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (mustAsk()) event.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [mustAsk]);

  return useCallback((value: boolean) => {
    saving.current = value;
  }, []);
}
