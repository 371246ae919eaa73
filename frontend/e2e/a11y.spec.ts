import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";

// What a keyboard or screen reader user meets, through the real API on the demo data: axe's
// checks of the main pages, and the focus along the flows where it used to get lost.

// axe is put in the page by a script, which the app's policy (no inline script) would block.
test.use({ bypassCSP: true });

const RUNS = "/api/v1/testing/test-runs/";

let made: string[] = [];

test.afterEach(async ({ request }) => {
  if (made.length > 0) await request.post(`${RUNS}bulk/archive/`, { data: { ids: made } });
  made = [];
});

/** The focused element, described for a failing expectation: its tag and text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const active = document.activeElement;
    return active ? `${active.tagName} ${active.textContent?.trim().slice(0, 60) ?? ""}` : "";
  });

const PAGES = [
  "/",
  "/tools/components/components",
  "/tools/components/components/CMP-0001",
  "/tools/testing/test-runs/new",
  "/activity",
  "/nope/nothing",
  "/tools/testing/test-runs/TST-9999",
];

for (const path of PAGES) {
  test(`${path} has no serious or critical axe violation`, async ({ page }) => {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.getByRole("status").filter({ hasText: "Loading…" })).toHaveCount(0);
    const { violations } = await new AxeBuilder({ page }).analyze();
    const serious = violations
      .filter((violation) => violation.impact === "serious" || violation.impact === "critical")
      .map(
        (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target).join(" ")}`,
      );
    expect(serious).toEqual([]);
  });
}

/** Test runs of `component` (its id) made through the API, archived after the test. */
async function newRuns(page: Page, names: string[], component: number) {
  for (const name of names) {
    const response = await page.request.post(RUNS, { data: { name, component } });
    expect(response.status()).toBe(201);
    made.push(((await response.json()) as { public_id: string }).public_id);
  }
}

test("a bulk move that empties the list says so, the focus on what it says", async ({ page }) => {
  await newRuns(page, ["Empties A", "Empties B", "Empties C"], 1);
  await page.goto("/tools/testing/test-runs?status=PENDING&search=Empties");
  await page.getByLabel("Select every record on this page").check();
  await page.getByRole("button", { name: "Move to…" }).click();
  const dialog = page.getByRole("dialog", { name: "Move 3 test runs" });
  await dialog.getByLabel("Move to").selectOption({ label: "Running" });
  await dialog.getByRole("button", { name: "Move", exact: true }).click();

  await expect(page.getByText("No records match these filters.")).toBeVisible();
  const said = page.getByRole("status").filter({ hasText: /^Moved 3 test runs/ });
  await expect(said).toBeFocused();
});

/** Tab from `picker`, its suggestions shown, reaches another control, not the page's body. */
async function tabOutOf(page: Page, picker: ReturnType<Page["getByRole"]>) {
  await picker.focus();
  await expect(page.getByRole("option").first()).toBeVisible();
  await page.keyboard.press("Tab");
  await expect(picker).toHaveAttribute("aria-expanded", "false");
  await expect(picker).not.toBeFocused();
  expect(await focused(page)).not.toMatch(/^BODY/);
}

test("Tab leaves a picker for the next control, in a form and in the list's filters", async ({
  page,
}) => {
  await page.goto("/tools/testing/test-runs/new");
  await tabOutOf(page, page.getByRole("combobox", { name: "Instruments" }));
  await tabOutOf(page, page.getByRole("combobox", { name: "Executed by" }));

  await page.goto("/tools/testing/test-runs");
  await page.getByRole("button", { name: "Filters", exact: true }).click();
  await tabOutOf(page, page.getByRole("combobox", { name: "Component" }));
});

test("following a link puts the focus on the new page's heading, a filter leaves it", async ({
  page,
}) => {
  await page.goto("/tools/components/components?search=RES-1001");
  await expect(page.getByText("1–1 of 1")).toBeVisible();
  await page.getByRole("link", { name: /Thin film resistor RES-1001/ }).click();
  const heading = page.getByRole("heading", { level: 1, name: /Thin film resistor RES-1001/ });
  await expect(heading).toBeFocused();
  // Tab goes on from the top of the page.
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Edit" })).toBeFocused();

  await page.getByRole("link", { name: "Edit" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toBeFocused();
});

test("a record that no test run names offers to start one for it", async ({ page }) => {
  await page.goto("/tools/components/components/CMP-0200");
  const linked = page.getByRole("region", { name: "Linked records" });
  await expect(linked).toContainText("No test runs (Component)");
  await linked.getByRole("link", { name: "New test run for this component (Component)" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "New test run" })).toBeFocused();
  await expect(page.getByRole("list", { name: "Component" })).toContainText("CMP-0200");
});
