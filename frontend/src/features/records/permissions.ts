/**
 * What the caller may not do with an entity's records, said before they try: a create the API
 * would refuse whatever they typed is not offered as a form, and the page says which
 * permission it needs instead.
 */
import type { EntityManifest, ToolManifest } from "@/api/types";
import { canWrite, linksUnreadable, permissionFor } from "@/features/tools/api";

import { editableFields } from "./fields";
import { joinWords } from "./shownValues";

/** What a reader of a tool is told where its writing controls would be; null for a writer. */
export function readOnlyNote(tool: ToolManifest): string | null {
  if (canWrite(tool)) return null;
  return `You can view ${tool.name} but not change it (ask for '${tool.slug}:write').`;
}

/** Why a reader may not create ("create") or edit ("edit") the entity's records. */
export function writeRefusal(entity: EntityManifest, verb: "create" | "edit"): string {
  const doing = verb === "create" ? "Creating" : "Editing";
  return (
    `${doing} ${entity.label_plural.toLowerCase()} needs ` +
    `'${permissionFor(entity.name, "write")}'; you may only read them.`
  );
}

/**
 * Why the caller may not create the entity's records, or null when they may: a required link
 * to a tool they may not read is never theirs to set (the API refuses it: "You need
 * 'components:read' to link components."), so no create of theirs can succeed.
 */
export function createRefusal(tools: ToolManifest[], entity: EntityManifest): string | null {
  const unreadable = editableFields(entity).filter(
    (field) => field.required && field.relation && linksUnreadable(tools, field),
  );
  if (unreadable.length === 0) return null;
  const permissions = [
    ...new Set(
      unreadable.map((field) => `'${permissionFor(field.relation?.entity ?? "", "read")}'`),
    ),
  ];
  const fields = joinWords(unreadable.map((field) => field.label));
  return (
    `Creating ${entity.label_plural.toLowerCase()} also needs ${joinWords(permissions)}: ` +
    `each links ${fields}, whose records you may not read.`
  );
}
