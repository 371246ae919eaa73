import { expect, test, type Page } from "@playwright/test";

import type { FakeIssue } from "./linear/fake-linear";
import { linear } from "./linear/settings";

// The suite's Linear is the fake of e2e/linear/ (its environment: playwright.config.ts): issues
// are created there through the suite's real client, and the fake is asked what it was sent.
// Each test links a component it makes, and archives after, so the demo data the other specs
// read ("1–25 of 240") stays as it is.

const API = "/api/v1/components/components/";

let made: string[] = [];

test.afterEach(async ({ request }) => {
  if (made.length > 0) await request.post(`${API}bulk/archive/`, { data: { ids: made } });
  made = [];
});

/** A component of this test's own, made through the API; its page is opened. */
async function openNewComponent(page: Page, name: string): Promise<string> {
  const response = await page.request.post(API, {
    data: { name, part_number: `LIN-${Date.now()}` },
  });
  expect(response.status()).toBe(201);
  const { public_id: publicId } = (await response.json()) as { public_id: string };
  made.push(publicId);
  await page.goto(`/tools/components/components/${publicId}`);
  await expect(page.getByRole("heading", { name })).toBeVisible();
  return publicId;
}

async function fakeIssues(page: Page): Promise<FakeIssue[]> {
  return (await (await page.request.get(`${linear.url}/__e2e/issues`)).json()) as FakeIssue[];
}

test("creates a Linear issue from a record, and shows it linked there and in the history", async ({
  page,
}) => {
  const publicId = await openNewComponent(page, "Linear capacitor 47u");
  const panel = page.getByRole("region", { name: "Linear" });
  const create = panel.getByRole("button", { name: "Create Linear issue" });
  await create.click();

  const dialog = page.getByRole("dialog", { name: "Create Linear issue" });
  const title = dialog.getByLabel("Title");
  await expect(title).toBeFocused();
  await expect(title).toHaveValue(`${publicId} Linear capacitor 47u`);
  await dialog.getByLabel("Priority").selectOption({ label: "High" });
  await dialog.getByRole("button", { name: "Create issue" }).click();
  await expect(dialog).toBeHidden();

  const [issue] = (await fakeIssues(page)).filter((made) => made.title.startsWith(publicId));
  expect(issue).toBeDefined();
  expect(issue!.input).toMatchObject({
    teamId: linear.team.id,
    title: `${publicId} Linear capacitor 47u`,
    priority: 2,
  });
  const link = panel.getByRole("link", { name: new RegExp(issue!.identifier) });
  await expect(link).toBeFocused();
  await expect(link).toHaveAttribute("href", issue!.url);
  await expect(link).toHaveAttribute("rel", "noopener noreferrer");
  await expect(panel.getByText("Todo", { exact: true })).toBeVisible();
  await expect(panel).toContainText(`${publicId} Linear capacitor 47u`);
  await expect(panel).toContainText("Linked by");
  const said = panel.getByRole("status").filter({ hasText: "in Linear" });
  await expect(said).toContainText(`Created ${issue!.identifier} in Linear`);
  // The line saying so is the panel's own: it hides none of the panel's lines.
  const [saidBox, linkedBox, panelBox] = await Promise.all(
    [said, panel.getByText("Linked by"), panel].map((shown) => shown.boundingBox()),
  );
  expect(saidBox!.y).toBeGreaterThanOrEqual(linkedBox!.y + linkedBox!.height);
  expect(saidBox!.y + saidBox!.height).toBeLessThanOrEqual(panelBox!.y + panelBox!.height);
  // The link is audited on the record, named as people read it.
  const history = page.getByRole("region", { name: "History" });
  await expect(
    history.getByRole("row", { name: `Linear issue — ${issue!.identifier}` }),
  ).toBeVisible();

  // The identifier opens the issue in a new tab.
  const [tab] = await Promise.all([page.waitForEvent("popup"), link.click()]);
  await expect(tab.getByRole("heading")).toContainText(issue!.identifier);
  await tab.close();

  // Read again, the record is still linked, and offers no second issue.
  await page.reload();
  await expect(panel.getByRole("link", { name: new RegExp(issue!.identifier) })).toBeVisible();
  await expect(panel.getByRole("button", { name: "Create Linear issue" })).toHaveCount(0);

  // Unlinked after a confirmation: the issue stays in Linear, the history says so.
  await panel.getByRole("button", { name: "Unlink" }).click();
  const confirm = page.getByRole("dialog", { name: `Unlink ${issue!.identifier}?` });
  await confirm.getByRole("button", { name: "Unlink" }).click();
  await expect(confirm).toBeHidden();
  await expect(panel.getByRole("button", { name: "Create Linear issue" })).toBeFocused();
  await expect(
    history.getByRole("row", { name: `Linear issue ${issue!.identifier} —` }),
  ).toBeVisible();
  expect((await fakeIssues(page)).filter((made) => made.id === issue!.id)).toHaveLength(1);
});

test("Linear's refusal shows in the dialog, which stays open until closed", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await openNewComponent(page, "Linear inductor 10u");
  const created = (await fakeIssues(page)).length;
  await page.request.post(`${linear.url}/__e2e/fail-next`, {
    data: { message: "Team not found" },
  });
  const create = page.getByRole("button", { name: "Create Linear issue" });
  await create.click();
  const dialog = page.getByRole("dialog", { name: "Create Linear issue" });
  await dialog.getByRole("button", { name: "Create issue" }).click();

  await expect(dialog.getByRole("alert")).toContainText("Team not found");
  await expect(dialog).toBeVisible();
  expect(await fakeIssues(page)).toHaveLength(created);

  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(create).toBeFocused();
  await expect(page.getByRole("region", { name: "Linear" })).toContainText("No Linear issue yet.");
});

test("after a lost answer, Create again links the issue Linear made, not a second", async ({
  page,
}) => {
  const publicId = await openNewComponent(page, "Linear diode 1N4148");
  // Linear makes the issue and its answer is lost; asked for it, Linear does not answer either.
  await page.request.post(`${linear.url}/__e2e/lose-answers`, { data: { count: 2 } });
  const panel = page.getByRole("region", { name: "Linear" });
  await panel.getByRole("button", { name: "Create Linear issue" }).click();
  const dialog = page.getByRole("dialog", { name: "Create Linear issue" });
  await dialog.getByRole("button", { name: "Create issue" }).click();
  await expect(dialog.getByRole("alert")).toContainText("Linear could not be reached.");
  const made = async () =>
    (await fakeIssues(page)).filter((issue) => issue.title.startsWith(publicId));
  const [issue] = await made();
  expect(issue).toBeDefined();

  await dialog.getByRole("button", { name: "Create issue" }).click();

  await expect(dialog).toBeHidden();
  await expect(panel.getByRole("link", { name: new RegExp(issue!.identifier) })).toBeVisible();
  expect(await made()).toHaveLength(1);
});
