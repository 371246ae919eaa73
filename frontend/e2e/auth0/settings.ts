/**
 * Where the Auth0 browser tests' servers listen, and the tenant the fake plays: shared by
 * playwright.config.ts (which starts the suites), the global setup (which starts the fake)
 * and the tests. Every port follows E2E_PORT (the DEV_MODE suite's), so one variable moves
 * them all.
 */
const base = Number(process.env.E2E_PORT ?? 8765);

export const ports = {
  /** The suite of e2e/records.spec.ts, in DEV_MODE. */
  devSuite: base,
  /** The suite signing in with the fake Auth0. */
  suite: base + 1,
  /** The fake Auth0's HTTPS side: /authorize, /oauth/token, /v2/logout. */
  fakeAuth0: base + 2,
  /** The fake's key set over plain HTTP, for Django (allowed on a loopback host). */
  jwks: base + 3,
  /** A suite outside DEV_MODE whose AUTH0_SPA_CLIENT_ID is unset. */
  unconfiguredSuite: base + 4,
  /** The fake Linear (e2e/linear/fake-linear.ts), which the DEV_MODE suite creates issues in. */
  fakeLinear: base + 5,
};

export const suiteUrl = `http://127.0.0.1:${ports.suite}`;
export const unconfiguredSuiteUrl = `http://127.0.0.1:${ports.unconfiguredSuite}`;

export const tenant = {
  /** As AUTH0_DOMAIN is written: no scheme. auth0-spa-js puts `https://` in front. */
  domain: `127.0.0.1:${ports.fakeAuth0}`,
  /** What auth0-spa-js expects in the ID token's `iss`, and Django in the access token's. */
  issuer: `https://127.0.0.1:${ports.fakeAuth0}/`,
  jwksUrl: `http://127.0.0.1:${ports.jwks}/.well-known/jwks.json`,
  clientId: "toolsuite-e2e-spa",
  audience: "https://api.toolsuite.e2e",
  /** Allowed Callback URLs, Logout URLs and Web Origins of the SPA application. */
  appOrigins: [suiteUrl],
};

/** The environment of a suite that signs in with the fake (e2e/serve-suite.sh PORT auth0). */
export const suiteAuth0Env: Record<string, string> = {
  AUTH0_DOMAIN: tenant.domain,
  AUTH0_API_AUDIENCE: tenant.audience,
  AUTH0_SPA_CLIENT_ID: tenant.clientId,
  AUTH0_ISSUER: tenant.issuer,
  AUTH0_JWKS_URL: tenant.jwksUrl,
};
