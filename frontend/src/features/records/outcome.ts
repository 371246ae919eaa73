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

/** The page's line, empty until a part says something. */
export function usePageOutcome() {
  const [said, setSaid] = useState({ by: "", text: "" });
  return (by: string): OutcomeLine => ({
    text: said.by === by ? said.text : "",
    say: (text) => setSaid({ by, text }),
  });
}

/** The line `given` by the page, or one of the part's own when it is shown alone. */
export function useOutcomeLine(given: OutcomeLine | undefined): OutcomeLine {
  const [text, setText] = useState("");
  return given ?? { text, say: setText };
}
