/**
 * Text typed in a form's picker (a link's, a person's) and never picked: it is no value, so it
 * must not be dropped unsaid. The form (`useUnpicked`) keeps each picker's text by field, and
 * its submit stops while any holds some; the field (`FieldInput`) says so under its picker once
 * the user leaves it with text, or the form is submitted.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";

import type { FormEvent } from "react";

import type { FieldManifest } from "@/api/types";
import { useLinkedEntity } from "@/features/tools/api";

export interface Unpicked {
  /** Each picker's text, by its field's name. */
  texts: Map<string, string>;
  /** Whether a submit found text never picked: every such field says so from then on. */
  checked: boolean;
  /** The fields whose picker holds text never picked, in the order typed into; marks them checked. */
  check: () => string[];
  /** The form's `onSubmit`: the pickers are checked with the form's other checks, not after. */
  onSubmit: (submit: (event: FormEvent) => Promise<void>) => (event: FormEvent) => void;
  /** Whether a picker holds text never picked, focusing the first (by `focus`): stop the submit. */
  holds: (focus: (name: string) => void) => boolean;
}

export const UnpickedContext = createContext<Unpicked | null>(null);

/** A form's pickers' texts, to give its fields (`UnpickedContext`) and check on submit. */
export function useUnpicked(): Unpicked {
  // One map for the form's life, written as the user types: no render waits on it.
  const [texts] = useState(() => new Map<string, string>());
  const [checked, setChecked] = useState(false);
  const check = useCallback(() => {
    const names = [...texts].filter(([, text]) => text.trim() !== "").map(([name]) => name);
    if (names.length > 0) setChecked(true);
    return names;
  }, [texts]);
  return useMemo(
    () => ({
      texts,
      checked,
      check,
      onSubmit: (submit) => (event) => {
        check();
        void submit(event);
      },
      holds: (focus) => {
        const [first] = check();
        if (first) focus(first);
        return first !== undefined;
      },
    }),
    [texts, checked, check],
  );
}

/** "Choose a component from the list, or clear the text.": what a picker's text needs. */
export function useUnpickedMessage(field: FieldManifest): string {
  const linked = useLinkedEntity(field);
  const what = field.type === "user" ? "person" : (linked?.entity.label.toLowerCase() ?? "record");
  const article = /^[aeiou]/.test(what) ? "an" : "a";
  return `Choose ${article} ${what} from the list, or clear the text.`;
}

/**
 * One picker's text: `onText` notes what is typed, `onLeave` that the user left the picker;
 * `message` is said under the field while text stays unpicked after either.
 */
export function useUnpickedField(field: FieldManifest) {
  const form = useContext(UnpickedContext);
  const message = useUnpickedMessage(field);
  const [text, setText] = useState("");
  const [left, setLeft] = useState(false);
  const texts = form?.texts;
  const onText = useCallback(
    (typed: string) => {
      setText(typed);
      texts?.set(field.name, typed);
      if (typed.trim() === "") setLeft(false);
    },
    [texts, field.name],
  );
  // A picker gone (a bulk edit's field taken off) holds nothing back.
  useEffect(() => () => void texts?.delete(field.name), [texts, field.name]);
  const pending = text.trim() !== "";
  return {
    onText,
    onLeave: () => setLeft(pending),
    message: pending && (left || form?.checked) ? message : null,
  };
}
