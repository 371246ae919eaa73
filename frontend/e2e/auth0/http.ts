/**
 * Node HTTP plumbing for the fake Auth0 (fake-auth0.ts): listening, reading a request's body,
 * form and cookies, and writing redirects, JSON and small HTML pages, never cached.
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";

export function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** A form-encoded body (auth0-spa-js's default) or a JSON one. */
export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const body = await readBody(req);
  if (!req.headers["content-type"]?.includes("application/json")) {
    return new URLSearchParams(body);
  }
  const json = JSON.parse(body || "{}") as Record<string, unknown>;
  return new URLSearchParams(
    Object.entries(json).map(([key, value]) => [key, String(value)] as [string, string]),
  );
}

export function cookies(req: IncomingMessage): Record<string, string> {
  const jar: Record<string, string> = {};
  for (const pair of (req.headers.cookie ?? "").split(";")) {
    const [name, ...value] = pair.trim().split("=");
    if (name) jar[name] = value.join("=");
  }
  return jar;
}

export function withQuery(url: string, query: Record<string, string>): string {
  const target = new URL(url);
  for (const [key, value] of Object.entries(query)) target.searchParams.set(key, value);
  return target.toString();
}

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { Location: location, "Cache-Control": "no-store" }).end();
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, {
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(data),
    "Cache-Control": "no-store",
  });
  res.end(data);
}

export function sendHtml(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    "Content-Type": "text/html; charset=utf-8",
    "Cache-Control": "no-store",
  });
  res.end(`<!doctype html><html lang="en"><meta charset="utf-8"><body>${body}</body></html>`);
}

export function sendPage(
  res: ServerResponse,
  status: number,
  title: string,
  message: string,
): void {
  sendHtml(res, status, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>`);
}

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (character) =>
      ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[character] ??
      character,
  );
}
