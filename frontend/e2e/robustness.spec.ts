import { expect, test, type Page } from "@playwright/test";

import { pickRecord } from "./pickers";

// What exploratory testing of the app found, held: each test failed before its fix.

const API = "/api/v1/components/components/";

async function newComponent(page: Page, fields: Record<string, unknown> = {}) {
  const response = await page.request.post(API, {
    data: { name: "Robust part", part_number: `ROB-${Date.now()}${Math.random()}`, ...fields },
  });
  expect(response.status()).toBe(201);
  return (await response.json()) as { id: number; public_id: string };
}

test("text over the limit is refused with the reason, never cut short", async ({ page }) => {
  await page.goto("/tools/components/components/new");
  await page.getByLabel("Name").fill("x".repeat(256));
  await page.getByLabel("Part number").fill("LONG-0001");
  await page.getByRole("button", { name: "Create component" }).click();
  await expect(page.getByText("Ensure this field has no more than 255 characters.")).toBeVisible();
  await expect(page.getByLabel("Name")).toHaveValue("x".repeat(256));

  // The API counts characters, not UTF-16 units: 200 emoji fit in 255.
  await page.getByLabel("Name").fill("😀".repeat(200));
  await page.getByRole("button", { name: "Create component" }).click();
  await expect(page.getByRole("heading", { name: "😀".repeat(200) })).toBeVisible();
});

test("a whole number beyond 2^53 is shown exactly, and the record stays editable", async ({
  page,
}) => {
  const { public_id } = await newComponent(page, { quantity_on_hand: "9007199254740993" });
  await page.goto(`/tools/components/components/${public_id}`);
  // In the user's grouping, every digit kept.
  await expect(
    page.getByRole("definition").filter({ hasText: "9,007,199,254,740,993" }),
  ).toBeVisible();

  await page.getByRole("link", { name: "Edit" }).click();
  await expect(page.getByLabel("Quantity on hand")).toHaveValue("9007199254740993");
  await page.getByLabel("Supplier").fill("Farnell");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("definition").filter({ hasText: "Farnell" })).toBeVisible();
  const stored = await (await page.request.get(`${API}${public_id}/`)).text();
  expect(stored).toContain('"quantity_on_hand":9007199254740993');
});

test("a time past the year 9999 is refused with the reason", async ({ page }) => {
  await page.goto("/tools/testing/test-runs/new");
  await page.getByLabel("Name").fill("Far future");
  await pickRecord(page, "Component", "CMP-0001", /CMP-0001/);
  await page.getByLabel("Executed at").fill("10000-01-01T00:00");
  await page.getByRole("button", { name: "Create test run" }).click();
  await expect(page.getByText("Enter a valid date and time (years 1 to 9999).")).toBeVisible();
});

test("a record changed elsewhere is read again, and the next try works", async ({ page }) => {
  const { public_id } = await newComponent(page);
  await page.goto(`/tools/components/components/${public_id}`);
  await expect(page.getByRole("button", { name: "Archive" })).toBeVisible();
  await page.request.patch(`${API}${public_id}/`, { data: { supplier: "Elsewhere" } });

  await page.getByRole("button", { name: "Archive" }).click();
  const confirm = page.getByRole("dialog", { name: `Archive ${public_id}?` });
  await confirm.getByRole("button", { name: "Archive" }).click();
  // The refusal shows in the confirmation, which stays; the page behind is read again.
  await expect(confirm.getByRole("alert")).toContainText("Changed by someone else");
  await expect(page.getByRole("definition").filter({ hasText: "Elsewhere" })).toBeVisible();

  await confirm.getByRole("button", { name: "Archive" }).click();
  await expect(page.getByRole("heading", { name: /Robust part/ })).toContainText("Archived");
});

test("Back undoes a change of the list's filters", async ({ page }) => {
  await page.goto("/tools/components/components");
  await page.getByRole("button", { name: "Status: Any status" }).click();
  await page.getByRole("checkbox", { name: "Draft", exact: true }).check();
  await expect(page).toHaveURL(/status=DRAFT/);
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page).toHaveURL(/offset=25/);
  await page.goBack();
  await expect(page).toHaveURL(/\?status=DRAFT$/);
  await page.goBack();
  await expect(page).toHaveURL(/\/tools\/components\/components$/);
});

test("a page past the end of the list leads back to the first", async ({ page }) => {
  await page.goto("/tools/components/components?offset=100000");
  await expect(page.getByText("This page is past the end of the list.")).toBeVisible();
  await page.getByRole("button", { name: "Go to the first page" }).click();
  await expect(page.getByText(/^1–25 of/)).toBeVisible();
});

test("a bad value in the list's address is named with its reason, and can be reset", async ({
  page,
}) => {
  await page.goto("/tools/components/components?unit_cost__lte=cheap&ordering=name");
  await expect(page.getByRole("alert")).toContainText("Unit cost to: Enter a number.");
  await expect(page.getByRole("alert")).not.toContainText("unit_cost__lte");
  await page.getByRole("button", { name: "Reset the list" }).click();
  await expect(page).toHaveURL(/\/tools\/components\/components$/);
  await expect(page.getByText(/^1–25 of/)).toBeVisible();
});

test("a history entry names a linked record by its public id and name", async ({ page }) => {
  const run = await page.request.post("/api/v1/testing/test-runs/", {
    data: { name: "Relinked", component: "CMP-0003" },
  });
  const { public_id } = (await run.json()) as { public_id: string };
  await page.request.patch(`/api/v1/testing/test-runs/${public_id}/`, {
    data: { component: "CMP-0004" },
  });
  await page.goto(`/tools/testing/test-runs/${public_id}`);
  const change = page
    .getByRole("region", { name: "History" })
    .getByRole("row", { name: /Component/ });
  await expect(change).toContainText("CMP-0003");
  await expect(change).toContainText("CMP-0004");
});

test("leaving a form with unsaved changes asks first", async ({ page }) => {
  await page.goto("/tools/components/components/new");
  await page.getByLabel("Name").fill("Half-typed");

  // One handler for every question the page asks, answered in turn: a question asked twice for
  // one click would show up here as a third.
  const asked: string[] = [];
  const answers = ["dismiss", "accept"];
  page.on("dialog", (dialog) => {
    asked.push(dialog.message());
    void (answers.shift() === "accept" ? dialog.accept() : dialog.dismiss());
  });
  await page.getByRole("link", { name: "Activity" }).click();
  await expect.poll(() => asked.length).toBe(1);
  await expect(page.getByLabel("Name")).toHaveValue("Half-typed");

  await page.getByRole("link", { name: "Activity" }).click();
  await expect(page.getByRole("heading", { name: "Activity" })).toBeVisible();
  expect(asked).toEqual([
    "Leave this page? Your changes are not saved.",
    "Leave this page? Your changes are not saved.",
  ]);
});

test("a search keeps the space typed before a pause, and adds one step for Back", async ({
  page,
}) => {
  await page.goto("/tools/components/components");
  const search = page.getByPlaceholder(
    "Search public id, name, description, part number, supplier",
  );
  await search.pressSequentially("enclosure ");
  await expect(page).toHaveURL(/search=enclosure$/);
  await page.waitForTimeout(700); // a pause with the trailing space
  await search.pressSequentially("screw");
  await expect(page).toHaveURL(/search=enclosure\+screw$/);
  await expect(search).toHaveValue("enclosure screw");
  await page.goBack();
  await expect(page).toHaveURL(/search=enclosure$/);
});

test("a time filter waits for the whole year to be typed", async ({ page }) => {
  await page.goto("/tools/components/components?created_after=2026-12-06T08:30:00.000Z");
  const from = page.getByLabel("Created from");
  await from.focus();
  await page.keyboard.press("Shift+Tab"); // to the field's first part (the day or the month)
  await from.pressSequentially("01012025");
  await expect(page).toHaveURL(/created_after=2025-/);
  await expect(page).not.toHaveURL(/created_after=0/);
});

test("a filter by another user is shown and can be removed", async ({ page }) => {
  await page.goto("/tools/components/components?created_by=999");
  await expect(page.getByText("Created by: user #999")).toBeVisible();
  await page.getByRole("button", { name: "Remove the filter Created by: user #999" }).click();
  await expect(page).toHaveURL(/\/tools\/components\/components$/);
});

test("archiving closes a transition left open", async ({ page }) => {
  const { public_id } = await newComponent(page);
  await page.goto(`/tools/components/components/${public_id}`);
  await page.getByRole("button", { name: "Move to Active" }).click();
  await expect(page.getByLabel(/why\?/)).toBeVisible();
  await page.getByRole("button", { name: "Archive" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Archive" }).click();
  await expect(page.getByRole("heading", { name: /Robust part/ })).toContainText("Archived");
  await expect(page.getByLabel(/why\?/)).toHaveCount(0);
});
