import { useEffect, useState, type InputHTMLAttributes } from "react";

/**
 * A text input that reports its value once the user pauses, not on every key. What it
 * reports is `normalize(draft)` (trimmed, by default), and only when that differs from
 * `value`: a trailing space or comma being typed is kept, and sends nothing.
 */
export function DebouncedInput({
  value,
  onCommit,
  normalize = (text) => text.trim(),
  delay = 300,
  ...props
}: Omit<InputHTMLAttributes<HTMLInputElement>, "value" | "onChange"> & {
  value: string;
  onCommit: (value: string) => void;
  normalize?: (text: string) => string;
  delay?: number;
}) {
  const [draft, setDraft] = useState(value);
  // A value changed from outside (Back, a "clear" button) replaces the draft, unless the
  // draft already says it.
  const [shown, setShown] = useState(value);
  if (value !== shown) {
    setShown(value);
    if (normalize(draft) !== value) setDraft(value);
  }
  const pending = normalize(draft) !== value;

  useEffect(() => {
    if (!pending) return;
    const timer = setTimeout(() => onCommit(normalize(draft)), delay);
    return () => clearTimeout(timer);
  }, [pending, draft, delay, onCommit, normalize]);

  return (
    <input
      {...props}
      value={draft}
      onChange={(event) => setDraft(event.target.value)}
      onKeyDown={(event) => {
        if (event.key === "Enter" && pending) onCommit(normalize(draft));
      }}
    />
  );
}
