/** A write on a record's page that the API refused: its reasons, and what a 412 did. */
import type { ReactNode } from "react";

import { ApiError } from "@/api/client";
import { ErrorPanel } from "@/components/Feedback";

export function RecordWriteError({ error, children }: { error: unknown; children?: ReactNode }) {
  return (
    <ErrorPanel error={error} fieldMessages>
      {/* A 412 reads the record again (useRecordWrite): what the page shows is current. */}
      {error instanceof ApiError && error.status === 412 && (
        <span>The page now shows the latest version: look it over, then try again.</span>
      )}
      {children}
    </ErrorPanel>
  );
}
