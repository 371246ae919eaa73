/**
 * Choose one record of an entity by typing part of its name or public id: a combobox
 * (WAI-ARIA's pattern: arrows move through the matches, Enter takes one, Escape closes)
 * over the entity's own search. Its caller gets the record; the box empties again.
 */
import { useId, useState, type KeyboardEvent } from "react";

import type { EntityRecord } from "@/api/types";
import { inputClass } from "@/components/styles";
import { useDebouncedValue } from "@/lib/useDebouncedValue";

import { useRecordSuggestions } from "../api";

type Suggestion = Pick<EntityRecord, "id" | "public_id" | "name">;

export function RecordPicker({
  id,
  apiPath,
  placeholder,
  onPick,
}: {
  /** The input's id, for its label. */
  id: string;
  apiPath: string;
  placeholder?: string;
  onPick: (record: Suggestion) => void;
}) {
  const [text, setText] = useState("");
  const [open, setOpen] = useState(false);
  // The match the arrows have reached; none until they are used.
  const [active, setActive] = useState(-1);
  const listId = useId();
  const term = useDebouncedValue(text.trim());
  const suggestions = useRecordSuggestions(open ? apiPath : null, term);
  const matches = suggestions.data ?? [];
  const current = Math.min(active, matches.length - 1);

  const pick = (record: Suggestion) => {
    onPick(record);
    setText("");
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
    } else if (event.key === "Enter" && open && matches[current]) {
      event.preventDefault();
      pick(matches[current]);
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
        autoComplete="off"
        className={inputClass}
        placeholder={placeholder}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
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
          className="absolute z-10 mt-1 max-h-64 w-full overflow-auto rounded-md bg-white py-1 text-sm shadow-lg ring-1 ring-slate-200"
        >
          {matches.map((record, index) => (
            <li
              key={record.id}
              id={optionId(index)}
              role="option"
              aria-selected={index === current}
              className={`cursor-pointer px-3 py-1.5 ${index === current ? "bg-indigo-50" : ""}`}
              // Chosen before the input's blur closes the list.
              onMouseDown={(event) => event.preventDefault()}
              onMouseEnter={() => setActive(index)}
              onClick={() => pick(record)}
            >
              <span className="font-mono text-xs text-slate-500">{record.public_id}</span>{" "}
              {record.name}
            </li>
          ))}
          {matches.length === 0 && (
            <li className="px-3 py-1.5 text-slate-500" aria-live="polite">
              {suggestions.isFetching || term !== text.trim() ? "Searching…" : "No match"}
            </li>
          )}
        </ul>
      )}
    </div>
  );
}
