import { Link } from "react-router";

import { EmptyState } from "@/components/Feedback";
import { textLinkClass } from "@/components/styles";
import { Title } from "@/components/Title";

export function NotFoundPage({ what = "This page" }: { what?: string }) {
  return (
    <EmptyState title={`${what} does not exist, or you may not see it.`}>
      <Title>Not found</Title>
      <Link className={textLinkClass} to="/">
        Back to your tools
      </Link>
    </EmptyState>
  );
}
