import { Link } from "react-router";

import { EmptyState } from "@/components/Feedback";
import { textLinkClass } from "@/components/styles";
import { Title } from "@/components/Title";

/** Named by a heading of its own, as every page is: its landmark for a screen reader. */
export function NotFoundPage({ what = "This page" }: { what?: string }) {
  return (
    <div className="space-y-4">
      <Title>Not found</Title>
      <h1 className="text-xl font-semibold">Not found</h1>
      <EmptyState title={`${what} does not exist, or you may not see it.`}>
        <Link className={textLinkClass} to="/">
          Back to your tools
        </Link>
      </EmptyState>
    </div>
  );
}
