/**
 * The one way the app talks to the API: JSON over fetch, the caller's access token
 * attached, and every failure turned into an `ApiError` in the API's one error shape.
 */
import type { BulkErrorBody, ErrorBody } from "./types";

export type TokenSource = () => Promise<string | null>;

let tokenSource: TokenSource = async () => null;

/** Set by the sign-in gate: Auth0's `getAccessTokenSilently`, or nothing in DEV_MODE. */
export function setTokenSource(source: TokenSource): void {
  tokenSource = source;
}

/** One refused item of a bulk write: its position in the request, and its messages by field. */
export interface ItemErrors {
  index: number;
  errors: Record<string, string[]>;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Messages by field, as the API sends them (`{"name": ["This field may not be blank."]}`). */
  readonly errors: Record<string, string[]>;
  /**
   * The messages of each field whose errors the API gives by part, kept by part: a saved
   * view's `query` names each parameter at fault (`{"query": {"colour": ["…"]}}`), which
   * `errors` flattens into the field's one list.
   */
  readonly errorsByPart: Record<string, Record<string, string[]>>;
  /** With a bulk write's 400: the items refused (its `errors` is a list, not by field). */
  readonly items: ItemErrors[];
  /** With a 412: the record's ETag now. */
  readonly etag: string | null;
  /** With a refused transition: the statuses the record can move to. */
  readonly allowed: string[];
  /** Quote it when reporting a problem: the server logs and audits under it. */
  readonly requestId: string | null;

  constructor(
    status: number,
    body: Partial<ErrorBody | BulkErrorBody> | null,
    headers: Headers | null,
    fallback = "The request failed.",
  ) {
    super(body?.detail || fallback);
    this.name = "ApiError";
    this.status = status;
    this.code = body?.code ?? "error";
    const errors = body?.errors;
    this.errors = Array.isArray(errors) ? {} : flattenErrors(errors);
    this.errorsByPart = Array.isArray(errors) ? {} : errorsByPart(errors);
    this.items = Array.isArray(errors)
      ? errors.map((item) => ({ index: item.index, errors: flattenErrors(item.errors) }))
      : [];
    this.allowed = (body && "allowed" in body && body.allowed) || [];
    this.etag = headers?.get("ETag") ?? null;
    this.requestId = headers?.get("X-Request-ID") ?? null;
  }
}

/** Nested serializers' errors (`{"component": {"id": ["…"]}}`) become one list per top field. */
function flattenErrors(errors: ErrorBody["errors"] | undefined): Record<string, string[]> {
  const flat: Record<string, string[]> = {};
  for (const [field, value] of Object.entries(errors ?? {})) {
    flat[field] = collectMessages(value);
  }
  return flat;
}

/** The fields whose errors are an object of their parts', each part's messages in one list. */
function errorsByPart(
  errors: ErrorBody["errors"] | undefined,
): Record<string, Record<string, string[]>> {
  const byPart: Record<string, Record<string, string[]>> = {};
  for (const [field, value] of Object.entries(errors ?? {})) {
    if (value && typeof value === "object" && !Array.isArray(value)) {
      byPart[field] = flattenErrors(value as ErrorBody["errors"]);
    }
  }
  return byPart;
}

function collectMessages(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(collectMessages);
  if (value && typeof value === "object") return Object.values(value).flatMap(collectMessages);
  return [];
}

export interface ApiResponse<T> {
  data: T;
  status: number;
  etag: string | null;
}

export type QueryParams = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  params?: QueryParams | URLSearchParams;
  /** Sent as JSON; a `FormData` (a file upload) is sent as `multipart/form-data`. */
  body?: unknown;
  /** Sent as `If-Match`: the write fails with 412 if the record changed since. */
  ifMatch?: string | null;
  signal?: AbortSignal;
}

export function apiUrl(path: string, params?: QueryParams | URLSearchParams): string {
  const url = new URL(path, window.location.origin);
  const entries =
    params instanceof URLSearchParams ? [...params.entries()] : Object.entries(params ?? {});
  for (const [key, value] of entries) {
    if (value !== undefined && value !== null && value !== "") {
      url.searchParams.append(key, String(value));
    }
  }
  return url.pathname + url.search;
}

/**
 * JSON with whole numbers beyond 2^53 kept exact, as their text (a 64-bit integer field's
 * 9223372036854775807 would otherwise read 9223372036854776000). Browsers without the
 * reviver's source text (before Chrome 114) read them as JavaScript does.
 */
export function parseJson(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown, context?: { source?: string }) =>
    typeof value === "number" && Number.isInteger(value) && !Number.isSafeInteger(value)
      ? (context?.source ?? value)
      : value,
  );
}

async function send(path: string, options: RequestOptions): Promise<Response> {
  const headers = new Headers({ Accept: "application/json" });
  const token = await tokenSource();
  if (token) headers.set("Authorization", `Bearer ${token}`);
  const form = options.body instanceof FormData;
  // A form's type, with its boundary, is the browser's to write.
  if (options.body !== undefined && !form) headers.set("Content-Type", "application/json");
  if (options.ifMatch) headers.set("If-Match", options.ifMatch);
  try {
    return await fetch(apiUrl(path, options.params), {
      method: options.method ?? "GET",
      headers,
      body: form
        ? (options.body as FormData)
        : options.body === undefined
          ? undefined
          : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError(0, null, null, "The server could not be reached. Check your connection.");
  }
}

async function failure(response: Response): Promise<ApiError> {
  const body = (await response.json().catch(() => null)) as Partial<
    ErrorBody | BulkErrorBody
  > | null;
  return new ApiError(
    response.status,
    body,
    response.headers,
    `The server answered ${response.status} ${response.statusText}.`.replace(" .", "."),
  );
}

export async function apiRequest<T>(
  path: string,
  options: RequestOptions = {},
): Promise<ApiResponse<T>> {
  const response = await send(path, options);
  if (!response.ok) throw await failure(response);
  const data = (response.status === 204 ? null : parseJson(await response.text())) as T;
  return { data, status: response.status, etag: response.headers.get("ETag") };
}

/**
 * The file name a `Content-Disposition` gives: its UTF-8 `filename*` (RFC 6266), else its plain
 * `filename`, else null.
 */
export function dispositionFilename(disposition: string): string | null {
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  if (encoded) {
    try {
      return decodeURIComponent(encoded);
    } catch {
      // Not percent-encoded UTF-8: the plain name follows.
    }
  }
  return /filename="([^"]+)"/.exec(disposition)?.[1] ?? null;
}

/**
 * A file the API streams (the CSV export, an attachment), fetched with the caller's token and
 * saved under the name the API gives it (`Content-Disposition`), else `fallbackName`.
 */
export async function apiDownload(
  path: string,
  params: URLSearchParams | undefined,
  fallbackName: string,
): Promise<void> {
  const response = await send(path, { params });
  if (!response.ok) throw await failure(response);
  const disposition = response.headers.get("Content-Disposition") ?? "";
  const filename = dispositionFilename(disposition) ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement("a"), { href: url, download: filename });
  link.click();
  URL.revokeObjectURL(url);
}
