/** Whose a saved view is, as the user reads it beside its name. */
import type { SavedView } from "@/api/types";
import { personName } from "@/features/people/names";

/** "" or "shared" for the user's own view; another's, `others` and its owner ("by Alice Tester"). */
export function ownerNote(view: SavedView, others: "by" | "shared by"): string {
  if (view.is_mine) return view.shared ? "shared" : "";
  return `${others} ${personName(view.owner)}`;
}
