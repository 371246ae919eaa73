import type { ReactNode } from "react";

import type { StatusManifest } from "@/api/types";

// Whole class names, so Tailwind finds them; a colour a tool names that is not here is gray.
const COLOURS: Record<string, string> = {
  gray: "bg-slate-100 text-slate-700 ring-slate-500/20",
  green: "bg-green-50 text-green-700 ring-green-600/20",
  red: "bg-red-50 text-red-700 ring-red-600/20",
  blue: "bg-blue-50 text-blue-700 ring-blue-600/20",
  yellow: "bg-yellow-50 text-yellow-800 ring-yellow-600/20",
  orange: "bg-orange-50 text-orange-700 ring-orange-600/20",
  purple: "bg-purple-50 text-purple-700 ring-purple-600/20",
  indigo: "bg-indigo-50 text-indigo-700 ring-indigo-600/20",
  teal: "bg-teal-50 text-teal-700 ring-teal-600/20",
};

/** A short label in one of the colours above (a name it does not know is gray). */
export function Badge({ color, children }: { color: string; children: ReactNode }) {
  const colour = COLOURS[color] ?? COLOURS.gray;
  return (
    <span
      className={`inline-flex items-center rounded-md px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${colour}`}
    >
      {children}
    </span>
  );
}

export function StatusBadge({ value, statuses }: { value: string; statuses: StatusManifest[] }) {
  const status = statuses.find((candidate) => candidate.value === value);
  return <Badge color={status?.color ?? "gray"}>{status?.label ?? value}</Badge>;
}
