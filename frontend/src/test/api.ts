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
