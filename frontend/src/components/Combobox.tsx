/**
 * Choose one of many things by typing part of its name: WAI-ARIA's combobox with a list
 * (arrows move through the matches, Enter takes one, Escape closes). Only the matches of the
 * text as typed are offered: an older text's are gone while it is searched for. The caller finds the
 * matches for what is typed (`onSearch`, once the user pauses); the box empties again
 * once a match is taken, as what was chosen is shown elsewhere (a chip).
 */
import { useEffect, useId, useState, type KeyboardEvent, type ReactNode } from "react";

import { useDebouncedValue } from "@/lib/useDebouncedValue";

import { inputClass } from "./styles";

export function Combobox<T>({
  id,
  placeholder,
  describedBy,
  invalid = false,
  found,
  matchKey,
  renderMatch,
  onSearch,
  onPick,
  onTextChange,
}: {
  /** The input's id, for its label. */
  id: string;
  placeholder?: string;
  /** The ids of the elements that describe the input (a hint, errors). */
  describedBy?: string;
  /** Whether the value the input chooses was refused: its reasons are among `describedBy`. */
  invalid?: boolean;
  /**
   * The matches of the last term searched for (a query's result, and that term), and whether
   * more are coming.
   */
  found: {
    term: string | null;
    data?: readonly T[];
    isFetching: boolean;
    isError: boolean;
    refetch: () => unknown;
  };
  matchKey: (match: T) => string | number;
  renderMatch: (match: T) => ReactNode;
  /** The trimmed text, once the user pauses; `null` while the list is closed. */
  onSearch: (term: string | null) => void;
  onPick: (match: T) => void;
  /** The text as typed, "" once a match is taken: what a form must not drop unsaid. */
  onTextChange?: (text: string) => void;
}) {
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  // The match the arrows have reached; none until they are used.
  const [active, setActive] = useState(-1);
  const listId = useId();
  const term = useDebouncedValue(text.trim());
  useEffect(() => onSearch(open ? term : null), [open, term, onSearch]);
  // Until the text typed is the one searched for, an older text's matches are not offered:
  // Enter would take one the user never saw match what they typed.
  const searched = found.term === text.trim();
  const matches = searched ? (found.data ?? []) : [];
  const current = Math.min(active, matches.length - 1);

  const pick = (match: T) => {
    onPick(match);
    setText("");
    onTextChange?.("");
    setActive(-1);
    setOpen(false);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!open) return setOpen(true);
      const count = matches.length;
      if (count === 0) return;
      const step = event.key === "ArrowDown" ? 1 : -1;
      // From no match, Down reaches the first and Up the last; both wrap around.
      setActive(current < 0 ? (step > 0 ? 0 : count - 1) : (current + step + count) % count);
    } else if (event.key === "Enter" && open && (matches[current] || text.trim())) {
      // Amid a search, Enter takes the match reached, and never submits the form around it.
      event.preventDefault();
      if (matches[current]) pick(matches[current]);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      setOpen(false);
    }
  };

  const optionId = (index: number) => `${listId}-${index}`;
  return (
    <div className="relative">
      <input
        id={id}
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={listId}
        aria-activedescendant={open && matches[current] ? optionId(current) : undefined}
        aria-describedby={describedBy}
        aria-invalid={invalid}
        autoComplete="off"
        className={inputClass}
        placeholder={placeholder}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          onTextChange?.(event.target.value);
          setActive(-1);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
      />
      {open && (
        <ul
          id={listId}
          role="listbox"
          // Never a tab stop, though it scrolls (Chromium makes a scrolling box one): Tab
          // from the input would land on it, and the input's blur would unmount it.
          tabIndex={-1}
          className="absolute z-10 mt-1 max-h-64 w-full overflow-auto rounded-md bg-white py-1 text-sm shadow-lg ring-1 ring-slate-200"
        >
          {matches.map((match, index) => (
            <li
              key={matchKey(match)}
              id={optionId(index)}
              role="option"
              aria-selected={index === current}
              className={`cursor-pointer px-3 py-1.5 ${index === current ? "bg-indigo-50" : ""}`}
              // Taken before the input's blur closes the list.
              onMouseDown={(event) => event.preventDefault()}
              onMouseEnter={() => setActive(index)}
              onClick={() => pick(match)}
            >
              {renderMatch(match)}
            </li>
          ))}
          {matches.length === 0 && (
            <li className="px-3 py-1.5 text-slate-500" aria-live="polite">
              {found.isFetching || !searched ? (
                "Searching…"
              ) : found.isError ? (
                <>
                  The search failed.{" "}
                  <button
                    type="button"
                    className="text-indigo-700 underline"
                    // Kept from taking the focus, so the list stays open.
                    onMouseDown={(event) => event.preventDefault()}
                    onClick={() => void found.refetch()}
                  >
                    Try again
                  </button>
                </>
              ) : (
                "No match"
              )}
            </li>
          )}
        </ul>
      )}
    </div>
  );
}
