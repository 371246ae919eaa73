/**
 * A compact control for choosing any number of options: a button that names what is
 * chosen ("Status: Draft, Active") and opens a list of checkboxes. A native `<select
 * multiple>` would take the toolbar's height and is awkward without a mouse.
 */
import { ChevronDown } from "lucide-react";
import { usePopover } from "@/lib/usePopover";

import { compactInputClass } from "./styles";

export interface Option {
  value: string;
  label: string;
}

/** What the button says: the chosen options' labels in the options' order, or `none`. */
export function summary(options: Option[], chosen: readonly string[], none: string): string {
  const labels = options.filter((option) => chosen.includes(option.value)).map((o) => o.label);
  return labels.length > 0 ? labels.join(", ") : none;
}

export function MultiSelect({
  label,
  options,
  chosen,
  none,
  onChange,
}: {
  label: string;
  options: Option[];
  chosen: readonly string[];
  /** What the button says when nothing is chosen ("Any status"). */
  none: string;
  onChange: (chosen: string[]) => void;
}) {
  const { open, root, trigger, panelId } = usePopover();

  const toggle = (value: string, on: boolean) =>
    onChange(
      options
        .map((option) => option.value)
        .filter((item) => (item === value ? on : chosen.includes(item))),
    );

  return (
    <div ref={root} className="relative">
      <button
        {...trigger}
        type="button"
        className={`${compactInputClass} inline-flex max-w-72 items-center gap-1.5`}
      >
        <span className="sr-only">{label}: </span>
        <span className="truncate">{summary(options, chosen, none)}</span>
        <ChevronDown className="size-4 shrink-0 text-slate-500" aria-hidden="true" />
      </button>
      {open && (
        <fieldset
          id={panelId}
          className="absolute z-10 mt-1 min-w-48 space-y-1 rounded-md bg-white p-2 shadow-lg ring-1 ring-slate-200"
        >
          <legend className="sr-only">{label}</legend>
          {options.map((option) => (
            <label
              key={option.value}
              className="flex items-center gap-2 rounded px-2 py-1 text-sm text-slate-800 hover:bg-slate-50"
            >
              <input
                type="checkbox"
                className="size-4 rounded border-slate-300"
                checked={chosen.includes(option.value)}
                onChange={(event) => toggle(option.value, event.target.checked)}
              />
              {option.label}
            </label>
          ))}
          {chosen.length > 0 && (
            <button
              type="button"
              className="w-full rounded px-2 py-1 text-left text-sm text-indigo-700 hover:bg-slate-50"
              onClick={() => onChange([])}
            >
              Clear
            </button>
          )}
        </fieldset>
      )}
    </div>
  );
}
