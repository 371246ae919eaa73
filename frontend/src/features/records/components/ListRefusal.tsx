/**
 * A list the API would not show: the parameters it refused, each named as its filter is
 * labelled ("Unit cost from", not `unit_cost__gte`), with the reasons and a button dropping
 * it; any other failure as it is.
 */
import type { ReactNode } from "react";

import { ApiError } from "@/api/client";
import type { EntityManifest } from "@/api/types";
import { Button } from "@/components/Button";
import { ErrorPanel } from "@/components/Feedback";

import { paramLabel } from "../listParams";
import type { Update } from "./FieldFilter";

/** The reasons the API refused a list's query, by parameter; none for any other failure. */
export function refusedParams(error: unknown): Record<string, string[]> {
  return error instanceof ApiError && error.status === 400 ? error.errors : {};
}

export function ListRefusal({
  entity,
  error,
  params,
  update,
  children,
}: {
  entity: EntityManifest;
  error: unknown;
  params: URLSearchParams;
  update: Update;
  children?: ReactNode;
}) {
  const refused = Object.entries(refusedParams(error));
  if (refused.length === 0) {
    return (
      <ErrorPanel error={error} fieldMessages>
        {children}
      </ErrorPanel>
    );
  }
  return (
    <ErrorPanel
      error={error}
      title="The list cannot be shown with these filters"
      detail={
        <ul className="space-y-2">
          {refused.map(([param, messages]) => {
            const label = paramLabel(entity, param);
            return (
              <li key={param} className="flex flex-wrap items-center gap-x-3 gap-y-1">
                <span>
                  {params.has(param) ? `${label}: ${messages.join(" ")}` : messages.join(" ")}
                </span>
                {params.has(param) && (
                  <Button
                    aria-label={`Clear this filter: ${label}`}
                    onClick={() => update({ [param]: "" })}
                  >
                    Clear this filter
                  </Button>
                )}
              </li>
            );
          })}
        </ul>
      }
    >
      {children}
    </ErrorPanel>
  );
}
