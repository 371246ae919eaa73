/** The API as a component test plays it: `fetch` mocked for every test, and its answers. */
import { setTokenSource } from "@/api/client";

/** An answer of the API, as `fetch` gives it (204: no body). */
export function json(status: number, body: unknown): Response {
  return new Response(status === 204 ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

/**
 * `fetch` replaced, before each test of the file, by a mock the test gives its answers
 * (`mockImplementation`); no access token is sent. Call it at the top of a test file.
 */
export function mockFetch() {
  const fetchMock = vi.fn<typeof fetch>();
  beforeEach(() => {
    fetchMock.mockReset();
    vi.stubGlobal("fetch", fetchMock);
    setTokenSource(async () => null);
  });
  afterEach(() => vi.unstubAllGlobals());
  return fetchMock;
}

/**
 * A list endpoint's answers to a search (`?search=`), as a `fetch` implementation: the
 * records whose public id or name holds the term, in any case.
 */
export function searching<T extends { public_id: string; name: string }>(records: T[]) {
  return async (url: string | URL | Request) => {
    const term = new URL(String(url), "http://app").searchParams.get("search") ?? "";
    const results = records.filter((record) =>
      `${record.public_id} ${record.name}`.toLowerCase().includes(term.toLowerCase()),
    );
    return json(200, { count: results.length, results });
  };
}
