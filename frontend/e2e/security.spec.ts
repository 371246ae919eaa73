import { expect, test } from "@playwright/test";

import { cspViolations } from "./csp";

// What the suite serves a browser: its Content-Security-Policy (apps/core/csp.py) lets each page
// do its work and nothing more, and the build hands out no TypeScript source.

test("the web app works under its policy, with no violation", async ({ page }) => {
  const seen = await cspViolations(page);
  await page.goto("/tools/components/components");
  await expect(page.getByRole("heading", { name: "Components" })).toBeVisible();
  await page.getByRole("link", { name: "Activity" }).first().click();
  await expect(page.getByRole("heading", { name: "Activity" })).toBeVisible();
  expect(seen).toEqual([]);
});

// ReDoc's page asks for Google's fonts and its own logo from its CDN: refused, and not missed (the
// pages work offline, from the suite's own copies of Swagger UI and ReDoc).
const THIRD_PARTY_DECORATION = /fonts\.googleapis\.com|cdn\.redoc\.ly/;

for (const path of ["/api/docs/", "/api/redoc/"]) {
  test(`${path} renders the API under its policy, with no violation`, async ({ page }) => {
    const seen = await cspViolations(page);
    await page.goto(path);
    await expect(page.getByRole("heading", { name: /Toolsuite API/ })).toBeVisible();
    expect(seen.filter((what) => !THIRD_PARTY_DECORATION.test(what))).toEqual([]);
  });
}

test("the build ships no source maps", async ({ page, request }) => {
  await page.goto("/");
  const scripts = await page
    .locator("script[src]")
    .evaluateAll((found) => found.map((script) => (script as HTMLScriptElement).src));
  expect(scripts.length).toBeGreaterThan(0);
  for (const src of scripts) {
    const script = await request.get(src);
    expect(script.status()).toBe(200);
    expect(await script.text()).not.toMatch(/\/\/# sourceMappingURL=\S+\s*$/);
    expect((await request.get(`${src}.map`)).status()).toBe(404);
  }
});
