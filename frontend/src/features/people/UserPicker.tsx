/** Choose someone by part of their name, email or username. */
import { useState } from "react";

import type { UserSummary } from "@/api/types";
import { Combobox } from "@/components/Combobox";

import { useUserSuggestions } from "./api";

export function UserPicker({
  id,
  placeholder = "Type a name",
  onPick,
}: {
  /** The input's id, for its label. */
  id: string;
  placeholder?: string;
  onPick: (user: UserSummary) => void;
}) {
  const [term, setTerm] = useState<string | null>(null);
  const suggestions = useUserSuggestions(term);
  return (
    <Combobox
      id={id}
      placeholder={placeholder}
      found={suggestions}
      matchKey={(user) => user.id}
      renderMatch={(user) => user.name}
      onSearch={setTerm}
      onPick={onPick}
    />
  );
}
