/** Names for the API's shapes, taken from the generated OpenAPI types (never edited by hand). */
import type { components } from "./generated/schema";

type Schemas = components["schemas"];

export type ToolManifest = Schemas["ToolManifest"];
export type EntityManifest = Schemas["EntityManifest"];
export type FieldManifest = Schemas["FieldManifest"];
export type FieldType = Schemas["TypeEnum"];
export type StatusManifest = Schemas["StatusManifest"];
export type ActivityEntry = Schemas["ActivityEntry"];
export type HistoryEntry = Schemas["HistoryEntry"];
export type RevertPreview = Schemas["RevertPreview"];
export type FieldRevert = Schemas["FieldRevert"];
export type Me = Schemas["Me"];
export type ErrorBody = Schemas["Error"];
export type BulkErrorBody = Schemas["BulkError"];
export type EntityReference = Schemas["EntityReference"];
export type UserSummary = Schemas["UserSummary"];
export type PermissionLevel = Schemas["PermissionLevelEnum"];
export type SavedView = Schemas["SavedView"];
export type Manifest = Schemas["Manifest"];
export type Integrations = Schemas["IntegrationsManifest"];
export type LinearIssue = Schemas["LinearIssueLink"];
export type NewLinearIssue = Schemas["NewLinearIssueRequest"];
export type Attachment = Schemas["Attachment"];
export type AttachmentLimits = Schemas["AttachmentLimits"];

/** A tool's record: the fields every entity has, and its own (described by the manifest). */
export interface EntityRecord {
  id: number;
  public_id: string;
  name: string;
  status: string;
  tags: string[];
  created_at: string;
  updated_at: string;
  archived_at: string | null;
  created_by: UserSummary | null;
  updated_by: UserSummary | null;
  [field: string]: unknown;
}

/** A list page with offset pagination (`?limit=&offset=`). */
export interface OffsetPage<T> {
  count: number;
  /** True when `count` is the database's estimate, or a cap ("at least"). */
  count_is_estimate: boolean;
  next: string | null;
  previous: string | null;
  results: T[];
}

/** A page of the activity feed (cursor pagination: no count). */
export interface CursorPage<T> {
  next: string | null;
  previous: string | null;
  results: T[];
}
