/** Choose someone by part of the name others see them by (never their email). */
import { useState } from "react";

import type { UserSummary } from "@/api/types";
import { Combobox } from "@/components/Combobox";

import { useUserSuggestions } from "./api";

export function UserPicker({
  id,
  placeholder = "Type a name",
  describedBy,
  invalid,
  onPick,
  onTextChange,
}: {
  /** The input's id, for its label. */
  id: string;
  placeholder?: string;
  /** The ids of the elements that describe the input (a hint, errors). */
  describedBy?: string;
  /** Whether who is chosen was refused (by a form's checks or the API). */
  invalid?: boolean;
  onPick: (user: UserSummary) => void;
  /** The text as typed, "" once someone is picked. */
  onTextChange?: (text: string) => void;
}) {
  const [term, setTerm] = useState<string | null>(null);
  const suggestions = useUserSuggestions(term);
  return (
    <Combobox
      id={id}
      placeholder={placeholder}
      describedBy={describedBy}
      invalid={invalid}
      found={{ ...suggestions, term }}
      matchKey={(user) => user.id}
      renderMatch={(user) => user.name}
      onSearch={setTerm}
      onPick={onPick}
      onTextChange={onTextChange}
    />
  );
}
