import type { ToolManifest } from "@/api/types";

import { readOnlyNote } from "../permissions";

/** One quiet line for a reader, where a writer has New, Edit and the workflow's actions. */
export function ReadOnlyNote({ tool }: { tool: ToolManifest }) {
  const note = readOnlyNote(tool);
  return note ? <p className="text-sm text-slate-500">{note}</p> : null;
}
