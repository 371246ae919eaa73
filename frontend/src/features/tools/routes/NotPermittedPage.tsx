import type { ReactNode } from "react";
import { Link } from "react-router";

import { EmptyState } from "@/components/Feedback";
import { Title } from "@/components/Title";

/**
 * A page the caller may not use, said so (not "does not exist"): what they may not do, the
 * permission it needs, and the way back to what they may see.
 */
export function NotPermittedPage({
  title,
  reason,
  back,
}: {
  /** "You may not create test runs". */
  title: string;
  /** Why, naming the permission it needs. */
  reason: ReactNode;
  back: { to: string; label: string };
}) {
  return (
    <EmptyState title={`${title}.`}>
      <Title>{title}</Title>
      <p>{reason}</p>
      <Link className="mt-3 inline-block text-indigo-700 hover:underline" to={back.to}>
        {back.label}
      </Link>
    </EmptyState>
  );
}
