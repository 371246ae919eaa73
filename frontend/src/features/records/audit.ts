/** How an audit entry reads to a person, in a record's history and in the activity feed. */
import type { HistoryEntry } from "@/api/types";
import { personName } from "@/features/people/names";

import { formatDateTime } from "./times";

type Action = HistoryEntry["action"];

/** "Ada changed it": the verb of each audit action. */
export const ACTION_VERBS: Record<Action, string> = {
  CREATE: "created",
  UPDATE: "changed",
  ARCHIVE: "archived",
  RESTORE: "restored",
  DELETE: "deleted",
};

export const AUDIT_ACTIONS = Object.keys(ACTION_VERBS) as Action[];

/**
 * Who made the change: the user (marked when deactivated), else the label kept when they were
 * deleted, else a script.
 */
export function actorName(entry: Pick<HistoryEntry, "actor" | "actor_label">): string {
  return entry.actor ? personName(entry.actor) : entry.actor_label || "System";
}

/**
 * Why the change was made, as its entry's comment says it; a revert's names the change it undid
 * with that change's time in the reader's locale and zone ("Reverted the change of Dec 6, 2026,
 * 3:03 PM by Ada."), where the API's comment, written for every reader, says it in UTC.
 */
export function entryComment(entry: Pick<HistoryEntry, "comment" | "reverted">): string {
  const { reverted } = entry;
  if (!reverted) return entry.comment;
  const by = reverted.actor_label ? ` by ${reverted.actor_label}` : "";
  return `Reverted the change of ${formatDateTime(reverted.timestamp)}${by}.`;
}

/**
 * Changes an audit entry records that are no field of the entity, by key: the record's files
 * (their names), and an integration's (the Linear issue linked to the record, and that issue's
 * state as Linear moves it). Their values are plain text ("ENG-42", "Done") or lists of it
 * (["Datasheet.pdf"]), and no revert can undo them.
 */
export const INTEGRATION_CHANGES: Record<string, string> = {
  attachments: "Attachments",
  linear_issue: "Linear issue",
  linear_issue_state: "Linear state",
};

export function isIntegrationChange(key: string): boolean {
  return Object.hasOwn(INTEGRATION_CHANGES, key);
}
