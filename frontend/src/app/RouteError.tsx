/**
 * What a page that failed to render shows instead of a blank screen. After a deploy, a
 * page's code may no longer exist under the name the open app knows: a reload fetches
 * the new build.
 */
import { useRouteError } from "react-router";

import { Button } from "@/components/Button";

export function isStaleBuild(error: unknown): boolean {
  return (
    error instanceof TypeError &&
    /dynamically imported module|Importing a module script failed|error loading dynamically/i.test(
      error.message,
    )
  );
}

export function RouteError() {
  const error = useRouteError();
  const stale = isStaleBuild(error);
  return (
    <main
      role="alert"
      className="mx-auto mt-24 max-w-lg rounded-lg border border-slate-200 bg-white p-6 text-sm"
    >
      <h1 className="text-base font-semibold">
        {stale ? "Toolsuite has been updated" : "This page could not be shown"}
      </h1>
      <p className="mt-2 text-slate-600">
        {stale
          ? "Reload to use the new version."
          : `Something went wrong in the app: ${error instanceof Error ? error.message : String(error)}`}
      </p>
      <Button className="mt-4" variant="primary" onClick={() => window.location.reload()}>
        Reload
      </Button>
    </main>
  );
}
