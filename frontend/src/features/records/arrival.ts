/**
 * What a form did, said on the page it leads to ("Created CMP-0242.", "Saved."): the form
 * navigates with `saying(message)`, and the page reads it once (`useArrivalMessage`). The
 * message leaves the browser's history entry as it is read, so reloading the page or coming
 * back to it does not say it again.
 */
import { useEffect, useState } from "react";
import { useLocation, useNavigate, type NavigateOptions } from "react-router";

interface ArrivalState {
  said: string;
}

/** The navigation's options that carry `message` to the next page. */
export function saying(message: string): NavigateOptions {
  return { state: { said: message } satisfies ArrivalState };
}

/** The message the navigation to this page carried, "" for none; the same for the page's life. */
export function useArrivalMessage(): string {
  const location = useLocation();
  const navigate = useNavigate();
  const carried = (location.state as Partial<ArrivalState> | null)?.said;
  const [message] = useState(carried ?? "");
  const { pathname, search, hash } = location;
  useEffect(() => {
    if (carried !== undefined)
      void navigate({ pathname, search, hash }, { replace: true, state: null });
  }, [carried, navigate, pathname, search, hash]);
  return message;
}
