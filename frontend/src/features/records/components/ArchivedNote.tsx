/**
 * On a record's edit page, when the record is archived (before the page opened or while it is
 * open): the API lets its fields change, and it stays archived; restoring is on its page.
 * A live region, so an archive that lands meanwhile is read out.
 */
import { Link } from "react-router";

import type { EntityManifest, EntityRecord, ToolManifest } from "@/api/types";
import { recordRoute } from "@/features/tools/api";

export function ArchivedNote({
  tool,
  entity,
  record,
}: {
  tool: ToolManifest;
  entity: EntityManifest;
  record: EntityRecord;
}) {
  const archived = record.status === entity.archived_status;
  return (
    <div role="status">
      {archived && (
        <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {record.public_id} is archived. Saving changes its fields and it stays archived, out of
          the list of {entity.label_plural.toLowerCase()};{" "}
          <Link
            to={recordRoute(tool, entity, record.public_id)}
            className="font-medium underline hover:no-underline"
          >
            restore it on its page
          </Link>{" "}
          to bring it back.
        </p>
      )}
    </div>
  );
}
