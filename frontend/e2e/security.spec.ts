import { expect, test } from "@playwright/test";

// What the suite serves a browser: the build hands out no TypeScript source.

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
