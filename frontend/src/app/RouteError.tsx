/**
 * What a page that failed to render shows instead of a blank screen. A page whose code
 * did not load is a deploy that renamed it since the tab opened (a reload fetches the new
 * build) or a lost connection: the message says both.
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
        {stale ? "This page could not be loaded" : "This page could not be shown"}
      </h1>
      <p className="mt-2 text-slate-600">
        {stale
          ? "Toolsuite may have been updated since this tab opened, or the connection is down. Reload to try again."
          : `Something went wrong in the app: ${error instanceof Error ? error.message : String(error)}`}
      </p>
      <Button className="mt-4" variant="primary" onClick={() => window.location.reload()}>
        Reload
      </Button>
    </main>
  );
}
