import { mockFetch } from "@/test/api";

import { ApiError, apiRequest, apiUrl, dispositionFilename, setTokenSource } from "./client";

function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

describe("apiRequest", () => {
  const fetchMock = mockFetch();

  it("attaches the access token, the body and If-Match, and returns the ETag", async () => {
    setTokenSource(async () => "token-123");
    fetchMock.mockResolvedValue(jsonResponse(200, { id: 1 }, { ETag: '"2-1"' }));

    const response = await apiRequest("/api/v1/things/1/", {
      method: "PATCH",
      body: { name: "x" },
      ifMatch: '"1-1"',
    });

    expect(response).toEqual({ data: { id: 1 }, status: 200, etag: '"2-1"' });
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe("/api/v1/things/1/");
    const headers = new Headers(init?.headers);
    expect(headers.get("Authorization")).toBe("Bearer token-123");
    expect(headers.get("If-Match")).toBe('"1-1"');
    expect(headers.get("Content-Type")).toBe("application/json");
    expect(init?.body).toBe('{"name":"x"}');
  });

  it("sends a form (a file) as it is, its type with its boundary left to the browser", async () => {
    fetchMock.mockResolvedValue(jsonResponse(201, { id: 1 }));
    const form = new FormData();
    form.append("file", new File(["x"], "a.txt"));
    await apiRequest("/api/v1/things/1/attachments/", { method: "POST", body: form });
    const [, init] = fetchMock.mock.calls[0]!;
    expect(init?.body).toBe(form);
    expect(new Headers(init?.headers).has("Content-Type")).toBe(false);
  });

  it("sends no Authorization header without a token (DEV_MODE)", async () => {
    fetchMock.mockResolvedValue(jsonResponse(200, {}));
    await apiRequest("/api/v1/me/");
    expect(new Headers(fetchMock.mock.calls[0]![1]?.headers).has("Authorization")).toBe(false);
  });

  it("turns the API's error shape into an ApiError with its field messages", async () => {
    fetchMock.mockResolvedValue(
      jsonResponse(
        400,
        {
          detail: "Invalid input: name, component.",
          code: "invalid",
          errors: { name: ["This field may not be blank."], component: { id: ["Not found."] } },
        },
        { "X-Request-ID": "abc" },
      ),
    );
    const error = await apiRequest("/api/v1/things/", { method: "POST", body: {} }).catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 400,
      code: "invalid",
      message: "Invalid input: name, component.",
      errors: { name: ["This field may not be blank."], component: ["Not found."] },
      requestId: "abc",
    });
  });

  it("keeps the parts of a field whose errors are by part, as a saved view's query", async () => {
    fetchMock.mockResolvedValue(
      jsonResponse(400, {
        detail: "Invalid input: query.",
        code: "invalid",
        errors: {
          name: ["Taken."],
          query: { colour: ["Unknown query parameter."], ordering: ["Not a choice."] },
        },
      }),
    );
    const error = await apiRequest("/api/v1/saved-views/", { method: "POST", body: {} }).catch(
      (e) => e,
    );
    expect(error).toMatchObject({
      errors: { name: ["Taken."], query: ["Unknown query parameter.", "Not a choice."] },
      errorsByPart: {
        query: { colour: ["Unknown query parameter."], ordering: ["Not a choice."] },
      },
    });
  });

  it("keeps a bulk write's refused items by position, apart from the field messages", async () => {
    fetchMock.mockResolvedValue(
      jsonResponse(400, {
        detail: "2 of 3 failed; nothing was written.",
        code: "invalid",
        errors: [
          { index: 0, errors: { name: ["This field may not be blank."] } },
          { index: 2, errors: { component: { id: ["Not found."] } } },
        ],
      }),
    );
    const error = await apiRequest("/x/bulk/", { method: "PATCH", body: [] }).catch((e) => e);
    expect(error).toMatchObject({
      status: 400,
      errors: {},
      items: [
        { index: 0, errors: { name: ["This field may not be blank."] } },
        { index: 2, errors: { component: ["Not found."] } },
      ],
    });
  });

  it("keeps a 412's current ETag and a refused transition's allowed targets", async () => {
    fetchMock.mockResolvedValueOnce(
      jsonResponse(
        412,
        { detail: "Changed.", code: "precondition_failed", errors: {} },
        { ETag: '"3-1"' },
      ),
    );
    const stale = await apiRequest("/x/", { method: "PATCH", body: {} }).catch((e) => e);
    expect(stale).toMatchObject({ status: 412, etag: '"3-1"' });

    fetchMock.mockResolvedValueOnce(
      jsonResponse(409, {
        detail: "No.",
        code: "transition_not_allowed",
        errors: {},
        allowed: ["ACTIVE"],
      }),
    );
    const refused = await apiRequest("/x/transition/", { method: "POST", body: {} }).catch(
      (e) => e,
    );
    expect(refused).toMatchObject({ status: 409, allowed: ["ACTIVE"] });
  });

  it("explains a response that is not the API's (a proxy's 502) and a network failure", async () => {
    fetchMock.mockResolvedValueOnce(
      new Response("<html>Bad gateway</html>", { status: 502, statusText: "Bad Gateway" }),
    );
    const gateway = await apiRequest("/x/").catch((e) => e);
    expect(gateway).toMatchObject({ status: 502, message: "The server answered 502 Bad Gateway." });

    fetchMock.mockRejectedValueOnce(new TypeError("Failed to fetch"));
    const offline = await apiRequest("/x/").catch((e) => e);
    expect(offline).toMatchObject({
      status: 0,
      message: expect.stringContaining("could not be reached"),
    });
  });
});

describe("apiUrl", () => {
  it("adds the parameters that have a value, repeated ones kept", () => {
    const params = new URLSearchParams([
      ["status", "DRAFT"],
      ["status", "ACTIVE"],
    ]);
    expect(apiUrl("/api/v1/x/", params)).toBe("/api/v1/x/?status=DRAFT&status=ACTIVE");
    expect(apiUrl("/api/v1/x/", { search: "a b", empty: "", none: null, limit: 25 })).toBe(
      "/api/v1/x/?search=a+b&limit=25",
    );
  });
});

describe("dispositionFilename", () => {
  it("reads the UTF-8 name first, then the plain one", () => {
    expect(
      dispositionFilename("attachment; filename=\"Gre.pdf\"; filename*=UTF-8''Gr%C3%B6%C3%9Fe.pdf"),
    ).toBe("Größe.pdf");
    expect(dispositionFilename('attachment; filename="export.csv"')).toBe("export.csv");
    expect(
      dispositionFilename("attachment; filename*=UTF-8''%E0%A4%A.pdf; filename=\"a.pdf\""),
    ).toBe("a.pdf");
    expect(dispositionFilename("attachment")).toBeNull();
  });
});
