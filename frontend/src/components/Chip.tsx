import { X } from "lucide-react";

/** A filter a list is under, named, with a way to drop it. */
export function Chip({ label, onRemove }: { label: string; onRemove: () => void }) {
  return (
    <span className="inline-flex items-center gap-1 rounded-full bg-indigo-50 py-0.5 pr-1 pl-3 text-sm text-indigo-900">
      {label}
      <button
        className="rounded-full p-0.5 hover:bg-indigo-100"
        aria-label={`Remove the filter ${label}`}
        onClick={onRemove}
      >
        <X className="size-3.5" aria-hidden="true" />
      </button>
    </span>
  );
}
