/**
 * A fake Auth0 tenant on 127.0.0.1, enough for the web app's production sign-in to run for real:
 * auth0-spa-js's authorization code flow with PKCE and rotating refresh tokens, and Django's
 * RS256 check of the access token against a key set. Node's built-ins only.
 *
 * HTTPS (a self-signed certificate the caller makes):
 *   GET  /authorize        checks client, callback URL, PKCE; with a session, back to the app at
 *                          once with a code; without one, to the login page (prompt=none: an error)
 *   GET  /u/login          the login page: the test types who signs in and what they may do
 *   POST /u/login          starts the session (a cookie of this origin), back to the app with a code
 *   POST /oauth/token      authorization_code (code_verifier checked against the S256 challenge)
 *                          and refresh_token (rotating: a used refresh token is refused, and its
 *                          family revoked, as Auth0's reuse detection does); CORS for the app
 *   POST /oauth/revoke     revokes a refresh token's family
 *   GET  /v2/logout        ends the session, back to `returnTo` (an allowed logout URL)
 *   GET  /__e2e/events     what happened, by subject (`?sub=`), for the tests to assert on
 *   POST /__e2e/revoke-refresh-tokens?sub=   revokes a user's refresh tokens
 * HTTP (another port): GET /.well-known/jwks.json, the public key, for Django.
 *
 * State lives in this process; which user signs in lives in the browser's cookie for the fake,
 * so every test's browser context is a session of its own.
 */
import { createHash, createPublicKey, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import type { KeyObject } from "node:crypto";
import { createServer as createHttpServer } from "node:http";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";

import {
  listen,
  readBody,
  readForm,
  cookies,
  withQuery,
  redirect,
  sendJson,
  sendHtml,
  sendPage,
  escapeHtml,
} from "./http";

export interface FakeAuth0Options {
  httpsPort: number;
  jwksPort: number;
  /** `https://127.0.0.1:<httpsPort>/` */
  issuer: string;
  clientId: string;
  audience: string;
  /** The SPA's Allowed Callback URLs, Allowed Logout URLs and Allowed Web Origins. */
  appOrigins: string[];
  tls: { key: string; cert: string };
}

/** Who signs in, as typed on the login page. */
export interface FakeUser {
  name: string;
  email: string;
  permissions: string[];
  /** The access token's `expires_in`, in seconds. */
  tokenLifetime: number;
}

export interface FakeEvent {
  type: "authorize" | "login" | "token" | "revoke" | "logout";
  sub?: string;
  /** For `token`: the grant; for `authorize`: "session" or "login page". */
  detail?: string;
  at: number;
}

/** The Auth0 user id of an email: the same person gets the same `sub` at every sign-in. */
export function subjectFor(email: string): string {
  return `auth0|${createHash("sha256").update(email.toLowerCase()).digest("hex").slice(0, 24)}`;
}

export const DEFAULT_TOKEN_LIFETIME = 3600;
const SESSION_COOKIE = "fake_auth0_session";
const CODE_LIFETIME_MS = 60_000;

interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  state: string;
  nonce: string;
  codeChallenge: string;
  audience: string | null;
  scope: string;
}

interface IssuedCode extends AuthorizeRequest {
  user: FakeUser;
  sessionId: string;
  expiresAt: number;
}

interface RefreshGrant {
  family: string;
  user: FakeUser;
  audience: string | null;
  scope: string;
  state: "active" | "used" | "revoked";
}

const base64url = (data: Buffer | string): string => Buffer.from(data).toString("base64url");
const randomToken = (bytes = 24): string => base64url(randomBytes(bytes));

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    description: string,
  ) {
    super(description);
  }
}

export class FakeAuth0 {
  readonly url: string;
  readonly events: FakeEvent[] = [];
  private readonly options: FakeAuth0Options;
  private readonly kid = `e2e-${randomToken(6)}`;
  private readonly privateKey: KeyObject;
  private readonly publicJwk: Record<string, unknown>;
  private readonly pendingLogins = new Map<string, AuthorizeRequest>();
  private readonly sessions = new Map<string, FakeUser>();
  private readonly codes = new Map<string, IssuedCode>();
  private readonly refreshTokens = new Map<string, RefreshGrant>();
  private readonly servers: Server[] = [];

  constructor(options: FakeAuth0Options) {
    this.options = options;
    this.url = options.issuer.replace(/\/$/, "");
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    this.privateKey = privateKey;
    this.publicJwk = {
      ...createPublicKey(privateKey).export({ format: "jwk" }),
      kid: this.kid,
      use: "sig",
      alg: "RS256",
    };
  }

  async start(): Promise<void> {
    const https = createHttpsServer(this.options.tls, (req, res) => this.handle(req, res));
    const jwks = createHttpServer((req, res) => {
      if (req.method === "GET" && req.url === "/.well-known/jwks.json") {
        return sendJson(res, 200, { keys: [this.publicJwk] });
      }
      sendJson(res, 404, { error: "not_found" });
    });
    await listen(https, this.options.httpsPort);
    await listen(jwks, this.options.jwksPort);
    this.servers.push(https, jwks);
  }

  async stop(): Promise<void> {
    await Promise.all(
      this.servers.map(
        (server) =>
          new Promise<void>((resolve) => {
            server.close(() => resolve());
            (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      ),
    );
  }

  private record(type: FakeEvent["type"], sub?: string, detail?: string): void {
    this.events.push({ type, sub, detail, at: Date.now() });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", this.url);
    try {
      const route = `${req.method} ${url.pathname}`;
      switch (route) {
        case "GET /authorize":
          return this.authorize(req, res, url.searchParams);
        case "GET /u/login":
          return this.loginPage(res, url.searchParams.get("state") ?? "");
        case "POST /u/login":
          return this.login(res, new URLSearchParams(await readBody(req)));
        case "OPTIONS /oauth/token":
        case "OPTIONS /oauth/revoke":
          return this.preflight(req, res);
        case "POST /oauth/token":
          return this.token(req, res, await readForm(req));
        case "POST /oauth/revoke":
          return this.revoke(req, res, await readForm(req));
        case "GET /v2/logout":
          return this.logout(req, res, url.searchParams);
        case "GET /favicon.ico":
          return void res.writeHead(204).end();
        case "GET /.well-known/jwks.json":
          return sendJson(res, 200, { keys: [this.publicJwk] });
        case "GET /__e2e/events": {
          const sub = url.searchParams.get("sub");
          return sendJson(res, 200, {
            events: this.events.filter((event) => !sub || event.sub === sub),
          });
        }
        case "POST /__e2e/revoke-refresh-tokens": {
          // As "Revoke" in the dashboard, or a refresh token's lifetime running out.
          const sub = url.searchParams.get("sub");
          for (const grant of this.refreshTokens.values()) {
            if (subjectFor(grant.user.email) === sub) grant.state = "revoked";
          }
          return sendJson(res, 200, {});
        }
        default:
          return sendJson(res, 404, { error: "not_found", error_description: route });
      }
    } catch (error) {
      if (error instanceof HttpError) {
        return sendJson(res, error.status, {
          error: error.error,
          error_description: error.message,
        });
      }
      sendJson(res, 500, { error: "server_error", error_description: String(error) });
    }
  }

  // --- /authorize and the login page -------------------------------------------------------

  private authorize(req: IncomingMessage, res: ServerResponse, params: URLSearchParams): void {
    const clientId = params.get("client_id") ?? "";
    const redirectUri = params.get("redirect_uri") ?? "";
    // Like Auth0: an unknown client or callback URL is an error page, never a redirect.
    if (clientId !== this.options.clientId) {
      return sendPage(res, 400, "Unknown client", `No application has the client id ${clientId}.`);
    }
    if (!this.options.appOrigins.includes(redirectUri)) {
      return sendPage(
        res,
        400,
        "Callback URL mismatch",
        `${redirectUri} is not in the application's Allowed Callback URLs.`,
      );
    }
    const state = params.get("state") ?? "";
    const back = (query: Record<string, string>) => redirect(res, withQuery(redirectUri, query));
    const fail = (error: string, description: string) =>
      back({ error, error_description: description, state });
    if (params.get("response_type") !== "code") {
      return fail("unsupported_response_type", "Only response_type=code is supported.");
    }
    if ((params.get("response_mode") ?? "query") !== "query") {
      return fail("invalid_request", "Only response_mode=query is supported here.");
    }
    const codeChallenge = params.get("code_challenge") ?? "";
    if (params.get("code_challenge_method") !== "S256" || !codeChallenge) {
      return fail("invalid_request", "A public client must use PKCE with S256.");
    }
    const audience = params.get("audience");
    if (audience !== null && audience !== this.options.audience) {
      return fail("access_denied", `Service not found: ${audience}`);
    }
    const request: AuthorizeRequest = {
      clientId,
      redirectUri,
      state,
      nonce: params.get("nonce") ?? "",
      codeChallenge,
      audience,
      scope: params.get("scope") ?? "openid",
    };
    const sessionId = cookies(req)[SESSION_COOKIE];
    const user = sessionId ? this.sessions.get(sessionId) : undefined;
    const prompt = params.get("prompt");
    if (sessionId && user && prompt !== "login") {
      this.record("authorize", subjectFor(user.email), "session");
      return back({ code: this.issueCode(request, user, sessionId), state });
    }
    if (prompt === "none") return fail("login_required", "Login required");
    const transaction = randomToken();
    this.pendingLogins.set(transaction, request);
    this.record("authorize", undefined, "login page");
    redirect(res, `/u/login?${new URLSearchParams({ state: transaction })}`);
  }

  private loginPage(res: ServerResponse, transaction: string): void {
    if (!this.pendingLogins.has(transaction)) {
      return sendPage(res, 400, "Oops!, something went wrong", "This login has expired.");
    }
    const field = (label: string, name: string, value: string) =>
      `<p><label>${label} <input name="${name}" value="${escapeHtml(value)}"></label></p>`;
    sendHtml(
      res,
      200,
      `<title>Log in · Fake Auth0</title>
      <h1>Log in to Toolsuite</h1>
      <p>Fake Auth0 for the browser tests: who signs in, and what they may do.</p>
      <form method="post" action="/u/login">
        <input type="hidden" name="state" value="${escapeHtml(transaction)}">
        ${field("Name", "name", "E2E User")}
        ${field("Email", "email", "e2e.user@example.test")}
        ${field("Permissions", "permissions", "components:read components:write")}
        ${field("Access token lifetime (seconds)", "token_lifetime", String(DEFAULT_TOKEN_LIFETIME))}
        <button type="submit">Continue</button>
      </form>`,
    );
  }

  private login(res: ServerResponse, form: URLSearchParams): void {
    const transaction = form.get("state") ?? "";
    const request = this.pendingLogins.get(transaction);
    if (!request) return sendPage(res, 400, "Oops!, something went wrong", "Unknown login.");
    this.pendingLogins.delete(transaction);
    const user: FakeUser = {
      name: (form.get("name") ?? "").trim(),
      email: (form.get("email") ?? "").trim(),
      permissions: (form.get("permissions") ?? "").split(/[\s,]+/).filter(Boolean),
      tokenLifetime: Number(form.get("token_lifetime") || DEFAULT_TOKEN_LIFETIME),
    };
    const sessionId = randomToken();
    this.sessions.set(sessionId, user);
    this.record("login", subjectFor(user.email));
    res.setHeader(
      "Set-Cookie",
      `${SESSION_COOKIE}=${sessionId}; Path=/; HttpOnly; Secure; SameSite=None`,
    );
    const code = this.issueCode(request, user, sessionId);
    redirect(res, withQuery(request.redirectUri, { code, state: request.state }));
  }

  private issueCode(request: AuthorizeRequest, user: FakeUser, sessionId: string): string {
    const code = randomToken();
    this.codes.set(code, {
      ...request,
      user,
      sessionId,
      expiresAt: Date.now() + CODE_LIFETIME_MS,
    });
    return code;
  }

  // --- /oauth/token and /oauth/revoke --------------------------------------------------------

  /** Allowed Web Origins: the app may call the token endpoint from the browser. */
  private cors(req: IncomingMessage, res: ServerResponse): void {
    const origin = req.headers.origin;
    if (origin === undefined) return;
    if (!this.options.appOrigins.includes(origin)) {
      throw new HttpError(403, "access_denied", `Origin ${origin} is not allowed.`);
    }
    res.setHeader("Access-Control-Allow-Origin", origin);
    res.setHeader("Vary", "Origin");
  }

  private preflight(req: IncomingMessage, res: ServerResponse): void {
    this.cors(req, res);
    res.setHeader("Access-Control-Allow-Methods", "POST");
    res.setHeader("Access-Control-Allow-Headers", "Content-Type, Auth0-Client");
    res.setHeader("Access-Control-Max-Age", "600");
    res.writeHead(204).end();
  }

  private token(req: IncomingMessage, res: ServerResponse, form: URLSearchParams): void {
    this.cors(req, res);
    if (form.get("client_id") !== this.options.clientId) {
      throw new HttpError(401, "invalid_client", "Unknown client.");
    }
    const grantType = form.get("grant_type");
    if (grantType === "authorization_code") return this.codeGrant(res, form);
    if (grantType === "refresh_token") return this.refreshGrant(res, form);
    throw new HttpError(403, "unauthorized_client", `Grant type '${grantType}' not allowed.`);
  }

  private codeGrant(res: ServerResponse, form: URLSearchParams): void {
    const code = form.get("code") ?? "";
    const issued = this.codes.get(code);
    this.codes.delete(code); // single use, whatever happens next
    if (!issued || issued.expiresAt < Date.now()) {
      throw new HttpError(403, "invalid_grant", "Invalid authorization code");
    }
    if (form.get("redirect_uri") !== issued.redirectUri) {
      throw new HttpError(403, "invalid_grant", "redirect_uri does not match the one authorized.");
    }
    const verifier = form.get("code_verifier") ?? "";
    if (base64url(createHash("sha256").update(verifier).digest()) !== issued.codeChallenge) {
      throw new HttpError(403, "invalid_grant", "Failed to verify code verifier");
    }
    this.record("token", subjectFor(issued.user.email), "authorization_code");
    const family = randomToken();
    sendJson(res, 200, this.tokens(issued.user, issued.audience, issued.scope, family, issued));
  }

  private refreshGrant(res: ServerResponse, form: URLSearchParams): void {
    const presented = form.get("refresh_token") ?? "";
    const grant = this.refreshTokens.get(presented);
    if (!grant || grant.state === "revoked") {
      throw new HttpError(403, "invalid_grant", "Unknown or invalid refresh token.");
    }
    const sub = subjectFor(grant.user.email);
    if (grant.state === "used") {
      this.revokeFamily(grant.family);
      this.record("token", sub, "refresh_token reused: family revoked");
      throw new HttpError(403, "invalid_grant", "Unknown or invalid refresh token.");
    }
    grant.state = "used";
    this.record("token", sub, "refresh_token");
    sendJson(res, 200, this.tokens(grant.user, grant.audience, grant.scope, grant.family));
  }

  private revoke(req: IncomingMessage, res: ServerResponse, form: URLSearchParams): void {
    this.cors(req, res);
    const grant = this.refreshTokens.get(form.get("token") ?? "");
    if (grant) {
      this.revokeFamily(grant.family);
      this.record("revoke", subjectFor(grant.user.email));
    }
    res.writeHead(200).end();
  }

  private revokeFamily(family: string): void {
    for (const grant of this.refreshTokens.values()) {
      if (grant.family === family) grant.state = "revoked";
    }
  }

  /** The token response: an access token for the API (or an opaque one without an audience, as
   * Auth0 gives), an ID token for the app, and with offline_access a new refresh token. */
  private tokens(
    user: FakeUser,
    audience: string | null,
    scope: string,
    family: string,
    authorization?: IssuedCode,
  ): Record<string, unknown> {
    const now = Math.floor(Date.now() / 1000);
    const sub = subjectFor(user.email);
    const { issuer, clientId } = this.options;
    const profile = { name: user.name, email: user.email };
    const accessToken = audience
      ? this.jwt({
          iss: issuer,
          sub,
          aud: [audience, `${issuer}userinfo`],
          iat: now,
          exp: now + user.tokenLifetime,
          azp: clientId,
          jti: randomToken(12), // RS256 is deterministic: without it, two tokens of a second match
          scope,
          permissions: user.permissions,
          // What docs/auth.md's post-login action adds, so the API keeps the profile.
          ...profile,
        })
      : randomToken(); // no audience: Auth0 answers an opaque token for /userinfo only
    const response: Record<string, unknown> = {
      access_token: accessToken,
      id_token: this.jwt({
        iss: issuer,
        sub,
        aud: clientId,
        iat: now,
        exp: now + 36_000,
        ...(authorization?.nonce ? { nonce: authorization.nonce } : {}),
        sid: authorization?.sessionId.slice(0, 16),
        ...profile,
      }),
      scope,
      expires_in: user.tokenLifetime,
      token_type: "Bearer",
    };
    if (scope.split(" ").includes("offline_access")) {
      const refreshToken = randomToken(32);
      this.refreshTokens.set(refreshToken, { family, user, audience, scope, state: "active" });
      response.refresh_token = refreshToken;
    }
    return response;
  }

  private jwt(claims: Record<string, unknown>): string {
    const header = base64url(JSON.stringify({ alg: "RS256", typ: "JWT", kid: this.kid }));
    const payload = base64url(JSON.stringify(claims));
    const signature = sign("sha256", Buffer.from(`${header}.${payload}`), this.privateKey);
    return `${header}.${payload}.${base64url(signature)}`;
  }

  // --- /v2/logout ----------------------------------------------------------------------------

  private logout(req: IncomingMessage, res: ServerResponse, params: URLSearchParams): void {
    const sessionId = cookies(req)[SESSION_COOKIE];
    const user = sessionId ? this.sessions.get(sessionId) : undefined;
    if (sessionId) this.sessions.delete(sessionId);
    this.record("logout", user && subjectFor(user.email));
    res.setHeader("Set-Cookie", `${SESSION_COOKIE}=; Path=/; Max-Age=0; Secure; SameSite=None`);
    const returnTo = params.get("returnTo");
    if (!returnTo) return sendPage(res, 200, "Signed out", "You are signed out.");
    if (params.get("client_id") !== this.options.clientId) {
      return sendPage(res, 400, "Unknown client", "The logout names no known application.");
    }
    if (!this.options.appOrigins.includes(returnTo)) {
      return sendPage(res, 400, "Oops!", `${returnTo} is not in the Allowed Logout URLs.`);
    }
    redirect(res, returnTo);
  }
}
