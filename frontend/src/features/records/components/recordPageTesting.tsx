/**
 * What the tests of a record page's parts share: a component in the default workflow (Draft →
 * Active, archive and restore), a fake of its API that keeps the record's status and history
 * (`mockRecordApi`), and `renderOnPage`, which renders a part beside the record as the page
 * reads it, so a write's answer reaches it as it does in the app.
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import type { ReactNode } from "react";
import { MemoryRouter } from "react-router";

import type {
  EntityManifest,
  EntityRecord,
  HistoryEntry,
  RevertPreview,
  ToolManifest,
} from "@/api/types";
import { json, mockFetch } from "@/test/api";
import { componentEntity, componentsTool } from "@/test/manifest";

import { recordKeys, useRecord, type LoadedRecord } from "../api";

export const API_PATH = "/api/v1/components/components/";
const RECORD_PATH = `${API_PATH}7/`;

export const entity = {
  ...componentEntity(),
  statuses: [
    { value: "DRAFT", label: "Draft", color: "gray" },
    { value: "ACTIVE", label: "Active", color: "green" },
    { value: "ARCHIVED", label: "Archived", color: "red" },
  ],
  transitions: [
    { source: "DRAFT", target: "ACTIVE", admin_only: false },
    { source: "DRAFT", target: "ARCHIVED", admin_only: false },
    { source: "ACTIVE", target: "ARCHIVED", admin_only: false },
    { source: "ARCHIVED", target: "ACTIVE", admin_only: false },
  ],
  archived_status: "ARCHIVED",
} as EntityManifest;

export const tool: ToolManifest = {
  ...componentsTool([entity]),
  permissions: ["read", "write"],
};

export function recordIn(status: string): EntityRecord {
  return { id: 7, public_id: "CMP-0007", name: "Resistor 10k", status } as EntityRecord;
}

/** A change of the supplier, by Ada, as the record's history lists it. */
export const SUPPLIER_CHANGE: HistoryEntry = {
  id: 243,
  action: "UPDATE",
  actor: { id: 3, name: "Ada Lovelace", is_active: true },
  actor_label: "Ada Lovelace",
  timestamp: "2026-12-06T14:03:00Z",
  request_id: null,
  changes: { supplier: { old: "Mouser", new: "Farnell" } },
  comment: "",
  reverted: null,
} as HistoryEntry;

interface Sent {
  method: string;
  path: string;
  body: Record<string, unknown> | null;
}

/**
 * Call at the top of a test file: `fetch` mocked, and a `serve` that plays the record's API:
 * reads of the record, its history and a revert's preview (`preview`, or its refusal), transition,
 * archive (DELETE), restore and revert, each write moving the record's status and ETag as the
 * server would, and refused (412) when its `If-Match` is not the ETag. Someone else may write
 * the record just before the preview is read or just after (`othersWrite`). A write waits for
 * `writesWait` if given (a slow server); `refuse` answers every write with it instead. Every
 * request is noted.
 */
export function mockRecordApi() {
  const fetchMock = mockFetch();
  return function serve({
    status,
    history = [],
    preview = { audit_id: 243, changes: [] },
    othersWrite,
    writesWait,
    refuse,
  }: {
    status: string;
    history?: HistoryEntry[];
    preview?: RevertPreview | (() => Response);
    othersWrite?: "before the preview" | "after the preview";
    writesWait?: Promise<void>;
    refuse?: () => Response;
  }): Sent[] {
    const sent: Sent[] = [];
    let current = status;
    let version = 3;
    const etag = () => `"7-${version}"`;
    const record = () =>
      new Response(JSON.stringify(recordIn(current)), {
        status: 200,
        headers: { "Content-Type": "application/json", ETag: etag() },
      });
    const revertPreview = () => {
      if (typeof preview === "function") return preview();
      if (othersWrite === "before the preview") version += 1;
      const answer = new Response(JSON.stringify(preview), {
        status: 200,
        headers: { "Content-Type": "application/json", ETag: etag() },
      });
      if (othersWrite === "after the preview") version += 1;
      othersWrite = undefined;
      return answer;
    };
    fetchMock.mockImplementation(async (url, init) => {
      const method = init?.method ?? "GET";
      const body = init?.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : null;
      const { pathname } = new URL(String(url), window.location.origin);
      sent.push({ method, path: pathname, body });
      if (method === "GET") {
        if (pathname === `${API_PATH}CMP-0007/` || pathname === RECORD_PATH) return record();
        if (pathname === `${API_PATH}CMP-0007/history/`) {
          return json(200, { count: history.length, next: null, previous: null, results: history });
        }
        if (pathname === `${API_PATH}CMP-0007/revert/`) return revertPreview();
        return json(404, { detail: "Not found.", code: "not_found", errors: {} });
      }
      await writesWait;
      if (refuse) return refuse();
      const ifMatch = new Headers(init?.headers).get("If-Match");
      if (ifMatch !== null && ifMatch !== etag()) {
        return new Response(
          JSON.stringify({ detail: "Changed.", code: "precondition_failed", errors: {} }),
          { status: 412, headers: { "Content-Type": "application/json", ETag: etag() } },
        );
      }
      version += 1;
      if (method === "DELETE" && pathname === RECORD_PATH) {
        current = "ARCHIVED";
        return new Response(null, { status: 204 });
      }
      if (pathname === `${RECORD_PATH}transition/`) current = String(body?.to);
      else if (pathname === `${RECORD_PATH}restore/`) current = "ACTIVE";
      else if (pathname !== `${RECORD_PATH}revert/`) {
        return json(404, { detail: "Not found.", code: "not_found", errors: {} });
      }
      return record();
    });
    return sent;
  };
}

/** The requests that wrote, of those noted. */
export const writes = <Request extends { method: string }>(sent: Request[]) =>
  sent.filter((request) => request.method !== "GET");

/** A server that holds every write until `answer()`: pass `writesWait` to `serve`. */
export function slowServer() {
  let answer = () => {};
  const writesWait = new Promise<void>((resolve) => (answer = resolve));
  return { writesWait, answer: () => answer() };
}

/**
 * Renders `part` with the record as the page has it (read from the fake API, first as it was
 * loaded), inside a router: what a write answers reaches the part as on the record's page.
 */
export function renderOnPage(status: string, part: (loaded: LoadedRecord) => ReactNode) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  client.setQueryData(recordKeys.detail(entity, "CMP-0007"), {
    record: recordIn(status),
    etag: '"7-3"',
  });
  function Page() {
    const loaded = useRecord(entity, "CMP-0007");
    return loaded.data ? part(loaded.data) : null;
  }
  render(
    <QueryClientProvider client={client}>
      <MemoryRouter>
        <Page />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return client;
}
