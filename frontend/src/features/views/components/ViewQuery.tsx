/**
 * What a view keeps, its query's parameters and values, shown in its dialogs; and the API's
 * reasons for refusing a query, each under the parameter it names.
 */
import { ApiError } from "@/api/client";
import { labelClass } from "@/components/styles";

import { queryPairs } from "../query";

/** The API's reasons against a view's query: by parameter, or for the whole query (`""`). */
function queryReasons(error: unknown): [string, string[]][] {
  if (!(error instanceof ApiError)) return [];
  const byParameter = error.errorsByPart.query;
  if (byParameter) return Object.entries(byParameter);
  return error.errors.query ? [["", error.errors.query]] : [];
}

export function QueryReasons({ error, id }: { error: unknown; id?: string }) {
  return (
    <div id={id} aria-live="polite">
      {queryReasons(error).map(([parameter, messages]) => (
        <p key={parameter} className="mt-1 text-xs text-red-700">
          {parameter && <code>{parameter}</code>}
          {parameter && ": "}
          {messages.join(" ")}
        </p>
      ))}
    </div>
  );
}

export function ViewQuery({ query, error }: { query: string; error: unknown }) {
  const pairs = queryPairs(query);
  return (
    <div>
      <p className={labelClass}>What it keeps</p>
      {pairs.length === 0 ? (
        <p className="mt-1 text-sm text-slate-500">The whole list, in its usual order.</p>
      ) : (
        <ul className="mt-1 flex flex-wrap gap-1.5 text-xs text-slate-700">
          {pairs.map(([name, value]) => (
            <li key={JSON.stringify([name, value])} className="rounded bg-slate-100 px-2 py-0.5">
              <code>{name}</code>: {value}
            </li>
          ))}
        </ul>
      )}
      <p className="mt-1 text-xs text-slate-500">
        Its search, filters and order; not the page nor the page size.
      </p>
      <QueryReasons error={error} />
    </div>
  );
}
