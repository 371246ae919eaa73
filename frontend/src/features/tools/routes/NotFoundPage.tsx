import { Link } from "react-router";

import { EmptyState } from "@/components/Feedback";

export function NotFoundPage({ what = "This page" }: { what?: string }) {
  return (
    <EmptyState title={`${what} does not exist, or you may not see it.`}>
      <Link className="text-indigo-700 hover:underline" to="/">
        Back to your tools
      </Link>
    </EmptyState>
  );
}
