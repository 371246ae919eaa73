/** A record's workflow as the manifest lists it: where a record can move, for whom, by name. */
import { ApiError } from "@/api/client";
import type { EntityManifest, StatusManifest } from "@/api/types";

/** The transitions out of `status` the caller's level allows. */
function allowedFrom(entity: EntityManifest, status: string, admin: boolean) {
  return entity.transitions.filter(
    (transition) => transition.source === status && (admin || !transition.admin_only),
  );
}

/** The statuses a record can move to now, as the workflow and the caller's level allow. */
export function nextStatuses(entity: EntityManifest, status: string, admin: boolean): string[] {
  return allowedFrom(entity, status, admin)
    .map((transition) => transition.target)
    .filter((target) => target !== entity.archived_status);
}

/**
 * Whether the caller may archive a record in `status`: a status only admins may leave, or that
 * none may (a final one), is archived by admins only (the API's rule, listed in the manifest's
 * transitions).
 */
export function mayArchive(entity: EntityManifest, status: string, admin: boolean): boolean {
  return allowedFrom(entity, status, admin).some(
    (transition) => transition.target === entity.archived_status,
  );
}

/** A status by its label ("Running"); a value the workflow has not, as it is. */
export function statusLabel(entity: EntityManifest, value: string): string {
  return entity.statuses.find((status) => status.value === value)?.label ?? value;
}

/**
 * The status a record's fields are locked in for the caller, or undefined when they may edit
 * them: a status declared locked keeps its records' fields from all but admins (the API's 409
 * `record_locked`); moving the record on stays open as its transitions say.
 */
export function lockedStatus(
  entity: EntityManifest,
  status: string,
  admin: boolean,
): StatusManifest | undefined {
  const declared = entity.statuses.find((candidate) => candidate.value === status);
  return declared?.locked && !admin ? declared : undefined;
}

/**
 * What a guard's veto said of a move's comment (`{"comment": ["A reason is required to
 * reject."]}`, docs/writing-a-tool.md): a record's move's messages, or each refused item's of
 * a bulk move, each message once; none for any other failure.
 */
export function commentRefusal(error: unknown): string[] {
  if (!(error instanceof ApiError)) return [];
  const messages = [error.errors, ...error.items.map((item) => item.errors)].flatMap(
    (errors) => errors.comment ?? [],
  );
  return [...new Set(messages)];
}
