import { EmptyState } from "@/components/Feedback";

/** What a caller with no permission on any tool sees where tools or their records would be. */
export function NoTools() {
  return (
    <EmptyState title="You have no tools yet">
      Your account has no permission on any tool. Ask an administrator for access.
    </EmptyState>
  );
}
