/**
 * What the Linear panel's tests share: a component on a tool's page, its issue, and the API as
 * the tests play it (`mockLinearApi`).
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import type userEvent from "@testing-library/user-event";

import type { EntityRecord, LinearIssue, ToolManifest } from "@/api/types";
import { json, mockFetch } from "@/test/api";
import { componentEntity, componentsTool } from "@/test/manifest";

import { LinearPanel } from "./LinearPanel";

export const API_PATH = "/api/v1/components/components/";
export const ISSUE_PATH = `${API_PATH}7/linear-issue/`;

const entity = componentEntity();

function toolWith(permissions: ToolManifest["permissions"]): ToolManifest {
  return { ...componentsTool([entity]), permissions };
}

export const record = { id: 7, public_id: "CMP-0007", name: "Resistor 10k" } as EntityRecord;

export const ISSUE: LinearIssue = {
  id: 1,
  linear_id: "9f3c2a4e-0000-4000-8000-000000000001",
  identifier: "ENG-42",
  title: "CMP-0007 Resistor 10k",
  url: "https://linear.app/acme/issue/ENG-42/cmp-0007-resistor-10k",
  state: "Todo",
  state_type: "unstarted",
  created_by: { id: 3, name: "Ada Lovelace", is_active: true },
  created_at: "2026-05-01T09:30:00Z",
  updated_at: "2026-05-01T09:30:00Z",
};

export const NOT_LINKED = {
  detail: "This record has no Linear issue.",
  code: "not_linked",
  errors: {},
};

interface Sent {
  method: string;
  url: string;
  body: Record<string, unknown> | null;
  ifMatch: string | null;
}

/** The record as its page loaded it, with the ETag its writes send back. */
export const ETAG = '"7-3"';

/**
 * Call at the top of a test file: `fetch` mocked (`mockFetch`), and a `serve` that plays the
 * Linear issue endpoint: GET answers `read()` (a 404 `not_linked` by default), POST
 * `create(body)`, DELETE `unlink()`; every request is noted.
 */
export function mockLinearApi() {
  const fetchMock = mockFetch();
  return function serve({
    read = () => json(404, NOT_LINKED),
    create = () => json(201, ISSUE),
    unlink = () => new Response(null, { status: 204 }),
  }: {
    read?: () => Response;
    create?: (body: Record<string, unknown>) => Response;
    unlink?: () => Response;
  } = {}): Sent[] {
    const sent: Sent[] = [];
    fetchMock.mockImplementation(async (url, init) => {
      const method = init?.method ?? "GET";
      const body = init?.body ? (JSON.parse(String(init.body)) as Record<string, unknown>) : null;
      const ifMatch = new Headers(init?.headers).get("If-Match");
      sent.push({ method, url: String(url), body, ifMatch });
      const { pathname } = new URL(String(url), window.location.origin);
      if (pathname !== ISSUE_PATH) return json(404, { detail: "Not found.", code: "not_found" });
      if (method === "POST") return create(body ?? {});
      return method === "DELETE" ? unlink() : read();
    });
    return sent;
  };
}

/** The keys of the record's history and of the activity feed, to see them read again. */
export const HISTORY_KEY = ["records", API_PATH, "history", "CMP-0007", 0];
export const ACTIVITY_KEY = ["activity", ""];

export function renderPanel({
  linear = true,
  permissions = ["read", "write"],
  shown = record,
}: {
  linear?: boolean;
  permissions?: ToolManifest["permissions"];
  /** The record whose page the panel is on. */
  shown?: EntityRecord;
} = {}) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const tool = toolWith(permissions);
  client.setQueryData(["manifest"], { tools: [tool], integrations: { linear } });
  client.setQueryData(HISTORY_KEY, { results: [] });
  client.setQueryData(ACTIVITY_KEY, { results: [] });
  const { container } = render(
    <QueryClientProvider client={client}>
      <LinearPanel tool={tool} entity={entity} loaded={{ record: shown, etag: ETAG }} />
    </QueryClientProvider>,
  );
  return { client, container };
}

export const openDialog = async (user: ReturnType<typeof userEvent.setup>) => {
  await user.click(await screen.findByRole("button", { name: "Create Linear issue" }));
  return screen.getByRole("dialog", { name: "Create Linear issue" });
};
