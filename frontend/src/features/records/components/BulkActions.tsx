/** What can be done to the ticked records at once: archive them, all or none. */
import type { EntityManifest } from "@/api/types";
import { Button } from "@/components/Button";
import { ErrorPanel } from "@/components/Feedback";

import { useBulkArchive } from "../api";

export function BulkActions({
  entity,
  ids,
  onDone,
}: {
  entity: EntityManifest;
  ids: ReadonlySet<number>;
  onDone: () => void;
}) {
  const archive = useBulkArchive(entity);
  if (ids.size === 0 && !archive.error) return null;
  return (
    <div className="space-y-2">
      {ids.size > 0 && (
        <div className="flex items-center gap-3 rounded-md bg-indigo-50 px-3 py-2 text-sm text-indigo-900">
          <span>{ids.size} selected</span>
          <Button
            variant="danger"
            disabled={archive.isPending}
            onClick={() => archive.mutate([...ids], { onSuccess: onDone })}
          >
            {archive.isPending ? "Archiving…" : "Archive selected"}
          </Button>
          <Button
            variant="ghost"
            onClick={() => {
              archive.reset();
              onDone();
            }}
          >
            Clear selection
          </Button>
        </div>
      )}
      {archive.error && <ErrorPanel error={archive.error} fieldMessages />}
    </div>
  );
}
