import { expect, test, type Page } from "@playwright/test";

// How the lists fit a laptop's screen (1280 px), on the demo data and a test run made here
// with long values (archived after, so the other specs' counts stay as they are).

const TEST_RUNS = "/api/v1/testing/test-runs/";

let made: string[] = [];

test.afterEach(async ({ request }) => {
  if (made.length > 0) await request.post(`${TEST_RUNS}bulk/archive/`, { data: { ids: made } });
  made = [];
});

test.use({ viewport: { width: 1280, height: 800 } });

/** How far the list's table reaches past its box, and the page past the window, in px. */
async function overflow(page: Page): Promise<{ table: number; page: number }> {
  const table = page.getByRole("table");
  await expect(table).toBeVisible();
  return {
    table: await table.evaluate((element) => {
      const box = element.parentElement as HTMLElement;
      return box.scrollWidth - box.clientWidth;
    }),
    page: await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    ),
  };
}

test("every demo list fits 1280 px without sideways scrolling, numbers grouped and right-aligned", async ({
  page,
}) => {
  const component = (
    await (await page.request.get("/api/v1/components/components/?limit=1")).json()
  ).results[0] as { id: number };
  const response = await page.request.post(TEST_RUNS, {
    data: {
      name: "Thermal cycling of the buck converter under a full load for forty-eight hours",
      component: component.id,
      measured_value: "123456.7890",
      unit: "millivolts per kelvin",
      tags: ["thermal", "long-running", "overnight", "bench-3"],
    },
  });
  expect(response.status()).toBe(201);
  made.push(((await response.json()) as { public_id: string }).public_id);

  await page.goto("/tools/components/components");
  expect(await overflow(page)).toEqual({ table: 0, page: 0 });
  const cost = page.getByRole("row").nth(1).getByRole("cell").nth(6);
  await expect(cost).toHaveText(/^\d{1,3}(,\d{3})*\.\d\d$/);
  await expect(cost).toHaveCSS("text-align", "right");

  await page.goto("/tools/testing/test-runs");
  expect(await overflow(page)).toEqual({ table: 0, page: 0 });
  const name = page.getByRole("link", { name: /^Thermal cycling/ });
  await expect(name).toHaveAttribute("title", /forty-eight hours$/);
  await expect(page.getByRole("cell", { name: "123,456.7890" })).toHaveCSS("text-align", "right");
});
