/**
 * The record page's line saying what was last done ("Saved.", "Moved to Running.", "Reverted
 * the change …"): one for the page, though each part shows it by its own controls. Each part
 * (`OutcomeLine`) shows only its own message, and a part's message replaces any other's, so a
 * revert after "Saved." leaves only the revert's.
 */
import { useState } from "react";

/** One part's share of the line: its message ("" when the last was another's), and its say. */
export interface OutcomeLine {
  text: string;
  say: (text: string) => void;
}

/** The page's line, starting with `initial` (what the form that led here did) as `initialBy`'s. */
export function usePageOutcome(initialBy: string, initial = "") {
  const [said, setSaid] = useState({ by: initialBy, text: initial });
  return (by: string): OutcomeLine => ({
    text: said.by === by ? said.text : "",
    say: (text) => setSaid({ by, text }),
  });
}

/** The line `given` by the page, or one of the part's own when it is shown alone. */
export function useOutcomeLine(given: OutcomeLine | undefined, initial = ""): OutcomeLine {
  const [text, setText] = useState(initial);
  return given ?? { text, say: setText };
}
