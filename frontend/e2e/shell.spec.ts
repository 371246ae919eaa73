import { expect, test } from "@playwright/test";

// The frame of every page, for a keyboard and on a phone.

test.describe("on a phone", () => {
  test.use({ viewport: { width: 375, height: 800 } });

  test("the menu button opens every page the side bar leads to, and closes", async ({ page }) => {
    await page.goto("/tools/components/components");
    const button = page.getByRole("button", { name: "Menu" });
    await expect(button).toHaveAttribute("aria-expanded", "false");
    await button.click();
    await expect(button).toHaveAttribute("aria-expanded", "true");
    const menu = page.locator(`#${await button.getAttribute("aria-controls")}`);
    await expect(menu.getByRole("link", { name: "All tools" })).toBeVisible();
    await expect(menu.getByRole("link", { name: "Test runs" })).toBeVisible();

    await page.keyboard.press("Escape");
    await expect(menu).toBeHidden();
    await expect(button).toBeFocused();

    await button.click();
    await page.mouse.click(360, 700); // beside the menu, on the page
    await expect(menu).toBeHidden();

    // Following a link goes there and closes the menu.
    await button.click();
    await menu.getByRole("link", { name: "Test runs" }).click();
    await expect(page.getByRole("heading", { name: "Test runs" })).toBeVisible();
    await expect(menu).toBeHidden();
    await expect(button).toHaveAttribute("aria-expanded", "false");

    // Home: by the brand, and from the menu.
    await page.getByRole("link", { name: "Toolsuite" }).click();
    await expect(page.getByRole("heading", { name: "Tools" })).toBeVisible();
    await page.goto("/activity");
    await button.click();
    await menu.getByRole("link", { name: "All tools" }).click();
    await expect(page).toHaveURL(/\/$/);
    await expect(menu).toBeHidden();
  });
});

test("the first Tab shows a skip link that takes the focus past the side bar", async ({ page }) => {
  await page.goto("/tools/components/components");
  await expect(page.getByRole("heading", { name: "Components" })).toBeVisible();
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("main")).toBeFocused();
  // The next Tab is in the page, not the side bar.
  await page.keyboard.press("Tab");
  await expect(page.getByRole("main").locator(":focus")).toHaveCount(1);
});
