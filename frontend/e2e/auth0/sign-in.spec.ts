import { randomUUID } from "node:crypto";

import { expect, test, type APIRequestContext, type Page } from "@playwright/test";

import { cspViolations } from "../csp";
import { subjectFor, type FakeEvent } from "./fake-auth0";
import { suiteUrl, tenant, unconfiguredSuiteUrl } from "./settings";

// The production sign-in, for real: the built app signs in with auth0-spa-js (authorization code
// with PKCE, rotating refresh tokens) at the fake Auth0 of fake-auth0.ts, and the API verifies
// the fake's RS256 access tokens with its key set. Each test's browser context is a new Auth0
// session; who signs in, and with which permissions, is typed on the fake's login page.

interface Person {
  name: string;
  email: string;
  permissions: string;
  /** The access token's lifetime in seconds (the fake's default: an hour). */
  tokenLifetime?: number;
}

/** Someone new to the suite: an email no earlier run or test used. */
function newPerson(name: string, permissions: string, tokenLifetime?: number): Person {
  const local = name.toLowerCase().replace(/\W+/g, ".");
  return {
    name,
    email: `${local}.${randomUUID().slice(0, 8)}@example.test`,
    permissions,
    tokenLifetime,
  };
}

/** Waits for the fake's login page, then signs `who` in there. */
async function logIn(page: Page, who: Person) {
  await expect(page.getByRole("heading", { name: "Log in to Toolsuite" })).toBeVisible();
  await expect(page).toHaveURL((url) => url.href.startsWith(`${tenant.issuer}u/login?`));
  await page.getByLabel("Name").fill(who.name);
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Permissions").fill(who.permissions);
  if (who.tokenLifetime !== undefined) {
    await page.getByLabel("Access token lifetime (seconds)").fill(String(who.tokenLifetime));
  }
  await page.getByRole("button", { name: "Continue" }).click();
}

/** The access tokens the app sends to the API, in order. */
function watchAccessTokens(page: Page): string[] {
  const tokens: string[] = [];
  page.on("request", (request) => {
    if (!request.url().startsWith(`${suiteUrl}/api/`)) return;
    const authorization = request.headers()["authorization"];
    if (authorization?.startsWith("Bearer ")) tokens.push(authorization.slice("Bearer ".length));
  });
  return tokens;
}

function bearer(token: string | undefined): Record<string, string> {
  expect(token, "the app sent no access token").toBeTruthy();
  return { Authorization: `Bearer ${token}` };
}

/** What the fake Auth0 saw of `who`: authorize, login, token (by grant), logout. */
async function fakeEvents(request: APIRequestContext, who: Person): Promise<string[]> {
  const sub = encodeURIComponent(subjectFor(who.email));
  const response = await request.get(`${tenant.issuer}__e2e/events?sub=${sub}`);
  const { events } = (await response.json()) as { events: FakeEvent[] };
  return events.map((event) => [event.type, event.detail].filter(Boolean).join(": "));
}

test("a deep link signs in through Auth0 and comes back to that page, as the token's user", async ({
  page,
}) => {
  const ada = newPerson("Ada Lovelace", "components:read components:write");
  const tokens = watchAccessTokens(page);
  const deepLink = `${suiteUrl}/tools/components/components?status=DRAFT`;

  await page.goto(deepLink);
  await logIn(page, ada);

  await expect(page).toHaveURL(deepLink);
  await expect(page.getByRole("heading", { name: "Components" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Status: Draft" })).toBeVisible();
  await expect(page.getByText(/^1–25 of \d+$/)).toBeVisible();
  const header = page.getByRole("banner");
  await expect(header.getByText("Ada Lovelace")).toBeVisible();
  await expect(header.getByRole("button", { name: "Sign out" })).toBeVisible();
  await expect(page.getByText("DEV_MODE")).toHaveCount(0);

  // The API made the user of the token's subject at first sight, its profile from the token.
  const me = await page.request.get("/api/v1/me/", { headers: bearer(tokens.at(-1)) });
  expect(me.status()).toBe(200);
  expect(await me.json()).toMatchObject({
    name: "Ada Lovelace",
    email: ada.email,
    external_id: subjectFor(ada.email),
    username: subjectFor(ada.email).replace("|", "."),
    tools: expect.arrayContaining([
      { slug: "components", name: "Components", levels: ["read", "write"] },
      { slug: "testing", name: "Testing", levels: [] },
    ]),
  });

  // A reload forgets the tokens (they live in memory): the app goes back through Auth0, which
  // returns at once while its session lasts, with no login page, to the same page.
  const reauthorized = page.waitForRequest((request) =>
    request.url().startsWith(`${tenant.issuer}authorize?`),
  );
  await page.reload();
  await reauthorized;
  await expect(page).toHaveURL(deepLink);
  await expect(header.getByText("Ada Lovelace")).toBeVisible();
  await expect(page.getByText(/^1–25 of \d+$/)).toBeVisible();
  expect(await fakeEvents(page.request, ada)).toEqual([
    "login",
    "token: authorization_code",
    "authorize: session",
    "token: authorization_code",
  ]);
});

test("an editor creates a record through the form, and the API stores them as its author", async ({
  page,
}) => {
  const grace = newPerson("Grace Hopper", "components:read components:write");
  const tokens = watchAccessTokens(page);

  await page.goto("/tools/components/components/new");
  await logIn(page, grace);
  await expect(page).toHaveURL(`${suiteUrl}/tools/components/components/new`);

  const partNumber = `AUTH-${randomUUID().slice(0, 8)}`;
  await page.getByLabel("Name").fill("Signed-in sensor");
  await page.getByLabel("Part number").fill(partNumber);
  await page.getByRole("button", { name: "Create component" }).click();

  await expect(page.getByRole("heading", { name: "Signed-in sensor" })).toBeVisible();
  await expect(page).toHaveURL(/\/tools\/components\/components\/CMP-\d{4}$/);
  await expect(page.getByText("Grace Hopper created it")).toBeVisible();

  const publicId = decodeURIComponent(page.url().split("/").pop() ?? "");
  const headers = bearer(tokens.at(-1));
  const me = await (await page.request.get("/api/v1/me/", { headers })).json();
  const record = await page.request.get(`/api/v1/components/components/${publicId}/`, { headers });
  expect(record.status()).toBe(200);
  expect(await record.json()).toMatchObject({
    part_number: partNumber,
    created_by: { id: me.id, name: "Grace Hopper" },
  });
  // Only the bearer token counts: without it the API knows nobody.
  const anonymous = await page.request.get(`/api/v1/components/components/${publicId}/`);
  expect(anonymous.status()).toBe(401);
});

test("a read-only user sees no way to write, and only the tools they may read", async ({
  page,
}) => {
  const rita = newPerson("Rita Reader", "components:read");
  const tokens = watchAccessTokens(page);

  await page.goto("/tools/components/components");
  await logIn(page, rita);
  await expect(page.getByText(/^1–25 of \d+$/)).toBeVisible();
  await expect(page.getByRole("link", { name: "New component" })).toHaveCount(0);
  await expect(page.getByLabel("Select CMP-0001")).toHaveCount(0);
  const readOnly = "You can view Components but not change it (ask for 'components:write').";
  await expect(page.getByText(readOnly)).toBeVisible();
  const tools = page.getByRole("navigation", { name: "Tools" });
  await expect(tools.getByRole("link", { name: "Components" })).toBeVisible();
  await expect(tools).not.toContainText("Testing");
  await expect(tools.getByRole("link", { name: "Test runs" })).toHaveCount(0);

  await page
    .getByPlaceholder("Search public id, name, description, part number, supplier")
    .fill("RES-1001");
  await page.getByRole("link", { name: /Thin film resistor/ }).click();
  await expect(page.getByRole("heading", { name: /CMP-0001/ })).toBeVisible();
  await expect(page.getByRole("link", { name: "Edit" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Archive" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Move to/ })).toHaveCount(0);
  await expect(page.getByText(readOnly)).toBeVisible();
  // An edit link followed anyway says why not, and leads back.
  await page.goto(`${page.url()}/edit`);
  await expect(page.getByText("You may not edit components.")).toBeVisible();
  await page.getByRole("link", { name: "Back to CMP-0001" }).click();
  await expect(page.getByRole("heading", { name: /CMP-0001/ })).toBeVisible();

  // What the app hides, the API refuses; the manifest lists only the readable tool.
  const headers = bearer(tokens.at(-1));
  const refused = await page.request.post("/api/v1/components/components/", {
    headers,
    data: { name: "Not allowed", part_number: `RO-${randomUUID().slice(0, 8)}` },
  });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).detail).toContain("'components:write'");
  const manifest = await (await page.request.get("/api/v1/tools/", { headers })).json();
  expect(manifest.tools.map((tool: { slug: string }) => tool.slug)).toEqual(["components"]);
  const testRuns = await page.request.get("/api/v1/testing/test-runs/", { headers });
  expect(testRuns.status()).toBe(403);
});

test("a list and the activity feed are narrowed to what a colleague did, found by name", async ({
  page,
  browser,
}) => {
  // Names unique to this run, so the directory's search finds this colleague alone.
  const suffix = randomUUID().slice(0, 6);
  const lin = newPerson(`Lin Writer ${suffix}`, "components:read components:write");
  await page.goto("/tools/components/components/new");
  await logIn(page, lin);
  await page.getByLabel("Name").fill(`Lin's part ${suffix}`);
  await page.getByLabel("Part number").fill(`LIN-${suffix}`);
  await page.getByRole("button", { name: "Create component" }).click();
  await expect(page.getByRole("heading", { name: `Lin's part ${suffix}` })).toBeVisible();

  // A reader, in a browser of their own, finds Lin's records by Lin's name.
  const context = await browser.newContext({ baseURL: suiteUrl, ignoreHTTPSErrors: true });
  const reader = await context.newPage();
  await reader.goto("/tools/components/components");
  await logIn(reader, newPerson("Rita Reader", "components:read"));
  await reader.getByRole("button", { name: "Filters", exact: true }).click();
  const author = reader.getByRole("combobox", { name: "Created by" });
  await author.fill(`writer ${suffix}`);
  await reader.getByRole("option", { name: lin.name }).click();
  await expect(reader).toHaveURL(/\?created_by=\d+$/);
  await expect(reader.getByText(`Created by: ${lin.name}`)).toBeVisible();
  await expect(reader.getByText("1–1 of 1")).toBeVisible();
  await expect(reader.getByRole("link", { name: `Lin's part ${suffix}` })).toBeVisible();

  await reader.getByRole("link", { name: "Activity" }).click();
  await expect(reader).toHaveURL(/\/activity$/);
  // "By" alone: the list's "Created by" and "Updated by" are named by it too.
  await reader.getByRole("combobox", { name: "By", exact: true }).fill(lin.name);
  await reader.getByRole("option", { name: lin.name }).click();
  await expect(reader).toHaveURL(/\/activity\?actor=\d+$/);
  const entries = reader.getByRole("main").getByRole("listitem");
  await expect(entries).toHaveCount(1);
  await expect(entries).toContainText(new RegExp(`^${lin.name} created CMP-\\d+ Lin's part`));
  await reader.getByRole("button", { name: `Remove the filter By ${lin.name}` }).click();
  await expect(reader).toHaveURL(/\/activity$/);
  await context.close();
});

test("signing out ends the Auth0 session; the next page load signs in again", async ({ page }) => {
  const alan = newPerson("Alan Turing", "components:read");
  await page.goto("/");
  await logIn(page, alan);
  const header = page.getByRole("banner");
  await expect(header.getByText("Alan Turing")).toBeVisible();

  const logout = page.waitForRequest((request) =>
    request.url().startsWith(`${tenant.issuer}v2/logout?`),
  );
  await header.getByRole("button", { name: "Sign out" }).click();
  const logoutUrl = new URL((await logout).url());
  expect(logoutUrl.searchParams.get("client_id")).toBe(tenant.clientId);
  expect(logoutUrl.searchParams.get("returnTo")).toBe(suiteUrl);

  // Back at the app, nobody is signed in: it sends the browser to Auth0, whose session is over.
  await logIn(page, alan);
  await expect(page).toHaveURL(`${suiteUrl}/`);
  await expect(header.getByText("Alan Turing")).toBeVisible();
  await expect(header.getByRole("button", { name: "Sign out" })).toBeVisible();
  expect(await fakeEvents(page.request, alan)).toEqual([
    "login",
    "token: authorization_code",
    "logout",
    "login",
    "token: authorization_code",
  ]);
});

test("access tokens are renewed with the rotating refresh token, staying on the page", async ({
  page,
}) => {
  // auth0-spa-js renews a token with under a minute left at every call: with 30-second tokens,
  // each API request of the app costs a refresh, each with the token the last one returned
  // (the fake refuses a used one, and revokes its family).
  const kay = newPerson("Katherine Johnson", "components:read", 30);
  const tokens = watchAccessTokens(page);
  await page.goto("/tools/components/components");
  await logIn(page, kay);
  await expect(page.getByText(/^1–25 of \d+$/)).toBeVisible();
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByText(/^26–50 of \d+$/)).toBeVisible();
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByText(/^51–75 of \d+$/)).toBeVisible();
  await expect(page).toHaveURL(`${suiteUrl}/tools/components/components?offset=50`);

  const events = await fakeEvents(page.request, kay);
  expect(events.slice(0, 2)).toEqual(["login", "token: authorization_code"]);
  const renewals = events.slice(2);
  expect(renewals.length).toBeGreaterThanOrEqual(2);
  expect(new Set(renewals)).toEqual(new Set(["token: refresh_token"])); // never /authorize again
  // Concurrent requests may share a renewal (auth0-spa-js runs one at a time).
  expect(new Set(tokens).size).toBeGreaterThanOrEqual(3);
  const me = await page.request.get("/api/v1/me/", { headers: bearer(tokens.at(-1)) });
  expect(me.status()).toBe(200);
});

test("the signed-in app works under its Content-Security-Policy, with no violation", async ({
  page,
}) => {
  // The page allows its own origin and Auth0's (apps/core/csp.py): the sign-in, the token calls
  // and the refresh token's worker (a blob:) must need nothing more.
  const seen = await cspViolations(page);
  const lin = newPerson("Lin Csp", "components:read", 30);
  await page.goto("/tools/components/components");
  await logIn(page, lin);
  await expect(page.getByText(/^1–25 of \d+$/)).toBeVisible();
  await page.getByRole("button", { name: "Next" }).click(); // a renewal, through the worker
  await expect(page.getByText(/^26–50 of \d+$/)).toBeVisible();
  expect(seen).toEqual([]);
});

// When the refresh token stops working (revoked in Auth0's dashboard, past its lifetime, a
// reuse detected), the app goes through Auth0 again and back to the same page (auth.tsx),
// silently while the Auth0 session lasts. Before, every request failed with "Missing Refresh
// Token" until the user reloaded.
test("a refresh token Auth0 no longer honours sends the user through Auth0 again", async ({
  page,
}) => {
  const ruth = newPerson("Ruth Revoked", "components:read", 30);
  await page.goto("/tools/components/components");
  await logIn(page, ruth);
  await expect(page.getByText(/^1–25 of \d+$/)).toBeVisible();
  const sub = encodeURIComponent(subjectFor(ruth.email));
  await page.request.post(`${tenant.issuer}__e2e/revoke-refresh-tokens?sub=${sub}`);

  // A new query (the list keeps showing the last page's rows meanwhile, so wait for the count).
  await page
    .getByPlaceholder("Search public id, name, description, part number, supplier")
    .fill("RES-1001");
  await expect(page.getByText("1–1 of 1")).toBeVisible();
  await expect(page).toHaveURL(`${suiteUrl}/tools/components/components?search=RES-1001`);
  await expect(page.getByText("Missing Refresh Token")).toHaveCount(0);
});

test("without AUTH0_SPA_CLIENT_ID the app signs nobody in, and names the missing variable", async ({
  page,
}) => {
  const toAuth0: string[] = [];
  page.on("request", (request) => {
    if (request.url().startsWith(tenant.issuer)) toAuth0.push(request.url());
  });
  await page.goto(`${unconfiguredSuiteUrl}/tools/components/components`);
  await expect(page.getByRole("heading", { name: "Toolsuite cannot sign you in" })).toBeVisible();
  await expect(page.getByRole("main")).toContainText(
    "Sign-in is not configured on this server: AUTH0_SPA_CLIENT_ID is not set",
  );
  expect(toAuth0).toEqual([]);
});
