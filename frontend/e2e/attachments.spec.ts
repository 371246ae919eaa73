import { readFile } from "node:fs/promises";

import { expect, test } from "@playwright/test";

// Through the real API on the demo data: a file goes onto a component, comes back as it went,
// and goes again, each step in the record's history. The component is archived after, so the
// demo data the other specs read ("1–25 of 240") stays as it is.

const API = "/api/v1/components/components/";

let made: string[] = [];

test.afterEach(async ({ request }) => {
  if (made.length > 0) await request.post(`${API}bulk/archive/`, { data: { ids: made } });
  made = [];
});

test("a file uploaded to a record is listed, downloads as it was sent, and is deleted", async ({
  page,
}) => {
  await page.goto("/tools/components/components/new");
  await page.getByLabel("Name").fill("Attachment carrier");
  await page.getByLabel("Part number").fill("ATT-E2E-1");
  await page.getByRole("button", { name: "Create component" }).click();
  const panel = page.getByRole("region", { name: "Attachments" });
  await expect(panel.getByText("No files.")).toBeVisible();
  made.push(new URL(page.url()).pathname.split("/").pop()!);

  const content = "Datenblatt: 10 µF, 50 V\n";
  await panel.getByLabel("Files to upload").setInputFiles({
    name: "Größe Datenblatt.txt",
    mimeType: "text/plain",
    buffer: Buffer.from(content),
  });
  await expect(panel.getByRole("status")).toHaveText("Uploaded Größe Datenblatt.txt.");
  const file = panel.getByRole("button", { name: "Größe Datenblatt.txt", exact: true });
  await expect(file.locator("xpath=ancestor::li")).toContainText("25 bytes");

  const [download] = await Promise.all([page.waitForEvent("download"), file.click()]);
  expect(download.suggestedFilename()).toBe("Größe Datenblatt.txt");
  expect(await readFile((await download.path())!, "utf8")).toBe(content);

  await panel.getByRole("button", { name: "Delete Größe Datenblatt.txt" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete Größe Datenblatt.txt?" });
  await dialog.getByRole("button", { name: "Delete" }).click();
  await expect(panel.getByRole("status")).toHaveText("Deleted Größe Datenblatt.txt.");
  await expect(panel.getByText("No files.")).toBeVisible();
  const history = page.getByRole("region", { name: "History" });
  await expect(history.getByText("Attachments").first()).toBeVisible();
});
