/** Choose one record of an entity by part of its name or public id, from the entity's own search. */
import { useState } from "react";

import type { EntityRecord } from "@/api/types";
import { Combobox } from "@/components/Combobox";

import { useRecordSuggestions } from "../api";

type Suggestion = Pick<EntityRecord, "id" | "public_id" | "name">;

export function RecordPicker({
  id,
  apiPath,
  placeholder,
  describedBy,
  invalid,
  chosen = [],
  onPick,
  onTextChange,
}: {
  /** The input's id, for its label. */
  id: string;
  /** The entity's list, searched; null: none to search. */
  apiPath: string | null;
  placeholder?: string;
  /** The ids of the elements that describe the input (a hint, errors). */
  describedBy?: string;
  /** Whether what is chosen was refused (by the form's checks or the API). */
  invalid?: boolean;
  /** Records chosen already, which are not offered again. */
  chosen?: readonly Suggestion[];
  onPick: (record: Suggestion) => void;
  /** The text as typed, "" once a record is picked. */
  onTextChange?: (text: string) => void;
}) {
  const [term, setTerm] = useState<string | null>(null);
  const suggestions = useRecordSuggestions(term === null ? null : apiPath, term ?? "");
  const taken = new Set(chosen.map((record) => record.id));
  const { isFetching, isError, refetch } = suggestions;
  const data = suggestions.data?.filter((record) => !taken.has(record.id));
  return (
    <Combobox
      id={id}
      placeholder={placeholder}
      describedBy={describedBy}
      invalid={invalid}
      found={{ term, data, isFetching, isError, refetch }}
      matchKey={(record) => record.id}
      renderMatch={(record) => (
        <>
          <span className="font-mono text-xs text-slate-500">{record.public_id}</span> {record.name}
        </>
      )}
      onSearch={setTerm}
      onPick={onPick}
      onTextChange={onTextChange}
    />
  );
}
