import { expect, test, type Page } from "@playwright/test";

// Editing ticked records together, through the real API (`PATCH …/bulk/`), on components
// each test makes for itself and archives after, so the demo data the other specs read
// ("1–25 of 240") stays as it is.

const API = "/api/v1/components/components/";

let made: string[] = [];

test.afterEach(async ({ request }) => {
  if (made.length > 0) await request.post(`${API}bulk/archive/`, { data: { ids: made } });
  made = [];
});

interface Component {
  public_id: string;
  name: string;
}

async function newComponents(
  page: Page,
  names: string[],
  prefix: string,
  tags: string[] = [],
): Promise<Component[]> {
  const components: Component[] = [];
  for (const [n, name] of names.entries()) {
    const response = await page.request.post(API, {
      data: { name, part_number: `${prefix}-${n + 1}`, supplier: "Digi-Key", tags },
    });
    expect(response.status()).toBe(201);
    const created = (await response.json()) as Component;
    made.push(created.public_id);
    components.push(created);
  }
  return components;
}

async function stored(page: Page, publicId: string): Promise<Record<string, unknown>> {
  return (await page.request.get(`${API}${publicId}/`)).json();
}

test("ticked records are edited together: the list shows it, and each record's history", async ({
  page,
}) => {
  const [first, second, untouched] = await newComponents(
    page,
    ["Bulk edit one", "Bulk edit two", "Bulk edit three"],
    "BLK",
  );
  await page.goto("/tools/components/components?search=Bulk+edit&ordering=name");
  await expect(page.getByText("1–3 of 3")).toBeVisible();
  await page.getByLabel(`Select ${first!.public_id}`).check();
  await page.getByLabel(`Select ${second!.public_id}`).check();
  await page.getByRole("button", { name: "Edit selected" }).click();

  const dialog = page.getByRole("dialog", { name: "Edit 2 components" });
  await expect(dialog.getByLabel("Field to change")).toBeFocused();
  await dialog.getByLabel("Field to change").selectOption({ label: "Supplier" });
  await expect(dialog.getByLabel("Supplier", { exact: true })).toBeFocused();
  await dialog.getByLabel("Supplier", { exact: true }).fill("Würth");
  await dialog.getByLabel("Another field to change").selectOption({ label: "Quantity on hand" });
  const quantity = dialog.getByLabel("Quantity on hand", { exact: true });
  await quantity.fill("-3");
  // What is to be done says what to fix, not that -3 will be set.
  await expect(dialog).toContainText(
    "Quantity on hand: Ensure this value is greater than or equal to 0.",
  );
  await expect(dialog).not.toContainText("“-3”");
  await dialog.getByRole("button", { name: "Apply" }).click();
  // The record form's own check, before anything is sent: the field says why, and is focused.
  await expect(quantity).toBeFocused();
  await expect(quantity).toHaveAttribute("aria-invalid", "true");
  await expect(quantity).toHaveAccessibleDescription(
    /Ensure this value is greater than or equal to 0\./,
  );
  await quantity.fill("42");
  await expect(dialog).toContainText(
    "Set Supplier to “Würth” and set Quantity on hand to “42” on 2 components.",
  );
  await dialog.getByRole("button", { name: "Apply" }).click();

  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole("status")).toHaveText("Updated 2 components.");
  await expect(page.getByText("2 selected")).toHaveCount(0);
  const rows = page.getByRole("row");
  await expect(rows.filter({ hasText: first!.public_id })).toContainText("Würth");
  await expect(rows.filter({ hasText: second!.public_id })).toContainText("Würth");
  await expect(rows.filter({ hasText: untouched!.public_id })).toContainText("Digi-Key");

  for (const record of [first!, second!]) {
    await page.goto(`/tools/components/components/${record.public_id}`);
    const history = page.getByRole("region", { name: "History" });
    await expect(history.getByText("Dev User changed it")).toBeVisible();
    await expect(history.getByRole("row", { name: /Supplier/ })).toContainText("Würth");
    await expect(history.getByRole("row", { name: /Quantity on hand/ })).toContainText("42");
  }
  expect((await stored(page, untouched!.public_id)).supplier).toBe("Digi-Key");
});

test("a refused bulk edit names each record that failed and why, and writes nothing", async ({
  page,
}) => {
  const [kept, clashing] = await newComponents(
    page,
    ["Bulk refusal one", "Bulk refusal two"],
    "BLR",
  );
  await page.goto("/tools/components/components?search=Bulk+refusal&ordering=name");
  await page.getByLabel("Select every record on this page").check();
  await page.getByRole("button", { name: "Edit selected" }).click();

  // A unique field is not offered for several records: no two may share its value.
  const dialog = page.getByRole("dialog", { name: "Edit 2 components" });
  const chooser = dialog.getByLabel("Field to change");
  await expect(chooser.getByRole("option", { name: "Supplier" })).toHaveCount(1);
  await expect(chooser.getByRole("option", { name: "Part number" })).toHaveCount(0);
  await expect(dialog).toContainText("Part number: one record at a time");
  // A field chosen starts blank, not at its default: nothing is set unless the user says so.
  await chooser.selectOption({ label: "Unit cost" });
  await expect(dialog.getByLabel("Unit cost", { exact: true })).toHaveValue("");
  await dialog.getByRole("button", { name: "Cancel" }).click();

  // For one record it is offered; the API refuses another record's value, naming why.
  await page.getByLabel(`Select ${kept!.public_id}`).uncheck();
  await page.getByRole("button", { name: "Edit selected" }).click();
  const single = page.getByRole("dialog", { name: "Edit 1 component" });
  await single.getByLabel("Field to change").selectOption({ label: "Supplier" });
  await single.getByLabel("Supplier", { exact: true }).fill("Nowhere");
  await single.getByLabel("Another field to change").selectOption({ label: "Part number" });
  await single.getByLabel(/^Part number/).fill("BLR-1"); // "Part number *": required
  await single.getByRole("button", { name: "Apply" }).click();

  const alert = single.getByRole("alert");
  await expect(alert).toContainText("1 of 1 failed; nothing was written.");
  const refused = alert.getByRole("list", { name: "Records refused" });
  await expect(refused).toContainText(`${clashing!.public_id} Bulk refusal two`);
  await expect(refused).toContainText(
    "Part number: Component with this part number already exists.",
  );
  expect((await stored(page, clashing!.public_id)).supplier).toBe("Digi-Key");
  expect((await stored(page, clashing!.public_id)).part_number).toBe("BLR-2");

  // Escape closes the dialog, its choices discarded; focus and the selection come back.
  await page.keyboard.press("Escape");
  await expect(single).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Edit selected" })).toBeFocused();
  await expect(page.getByText("1 selected")).toBeVisible();
  await page.getByRole("button", { name: "Edit selected" }).click();
  await expect(single.getByLabel("Supplier", { exact: true })).toHaveCount(0);
  await single.getByRole("button", { name: "Cancel" }).click();
  await expect(single).toHaveCount(0);
});

test("tags are added to and removed from ticked records, each keeping its others", async ({
  page,
}) => {
  const [first, second, untouched] = await newComponents(
    page,
    ["Bulk tags one", "Bulk tags two", "Bulk tags three"],
    "BLT",
    ["passive", "stale"],
  );
  await page.goto("/tools/components/components?search=Bulk+tags&ordering=name");
  await expect(page.getByText("1–3 of 3")).toBeVisible();
  await page.getByLabel(`Select ${first!.public_id}`).check();
  await page.getByLabel(`Select ${second!.public_id}`).check();
  await page.getByRole("button", { name: "Edit selected" }).click();

  // Adding is what Tags does unless the user picks otherwise: no record loses a tag.
  const dialog = page.getByRole("dialog", { name: "Edit 2 components" });
  await dialog.getByLabel("Field to change").selectOption({ label: "Tags" });
  await expect(dialog.getByLabel("How to change Tags")).toHaveValue("add");
  await dialog.getByLabel("Tags", { exact: true }).fill("urgent");
  await expect(dialog).toContainText("Add “urgent” to 2 components.");
  await dialog.getByRole("button", { name: "Apply" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole("status")).toHaveText("Updated 2 components.");
  for (const record of [first!, second!]) {
    expect((await stored(page, record.public_id)).tags).toEqual(["passive", "stale", "urgent"]);
  }

  // Removing, with another field set in the same apply.
  await page.getByLabel(`Select ${first!.public_id}`).check();
  await page.getByLabel(`Select ${untouched!.public_id}`).check();
  await page.getByRole("button", { name: "Edit selected" }).click();
  await dialog.getByLabel("Field to change").selectOption({ label: "Tags" });
  await dialog
    .getByLabel("How to change Tags")
    .selectOption({ label: "Remove from each record's tags" });
  await dialog.getByLabel("Tags", { exact: true }).fill("STALE");
  await dialog.getByLabel("Another field to change").selectOption({ label: "Supplier" });
  await dialog.getByLabel("Supplier", { exact: true }).fill("Würth");
  await expect(dialog).toContainText(
    "Set Supplier to “Würth” on 2 components, and remove “STALE” from them.",
  );
  await dialog.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByRole("status")).toHaveText("Updated 2 components.");
  expect(await stored(page, first!.public_id)).toMatchObject({
    supplier: "Würth",
    tags: ["passive", "urgent"],
  });
  expect(await stored(page, second!.public_id)).toMatchObject({
    supplier: "Digi-Key",
    tags: ["passive", "stale", "urgent"],
  });
  expect(await stored(page, untouched!.public_id)).toMatchObject({
    supplier: "Würth",
    tags: ["passive"],
  });

  // Each changed record's history shows its tags before and after.
  await page.goto(`/tools/components/components/${untouched!.public_id}`);
  const history = page.getByRole("region", { name: "History" });
  await expect(history.getByRole("row", { name: /Tags/ })).toContainText("stale");
});

test("values and tags are one write: a record that would hold too many tags keeps both unwritten", async ({
  page,
}) => {
  // The QA case: Supplier and one more tag for two records, one already at 50 tags.
  const fifty = Array.from({ length: 50 }, (_, n) => `tag ${n}`);
  const [full] = await newComponents(page, ["Bulk atomic full"], "BLA", fifty);
  const [plain] = await newComponents(page, ["Bulk atomic plain"], "BLB");
  const sent: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes(`${API}bulk/`)) sent.push(`${request.method()} ${request.url()}`);
  });
  await page.goto("/tools/components/components?search=Bulk+atomic&ordering=name");
  await page.getByLabel("Select every record on this page").check();
  await page.getByRole("button", { name: "Edit selected" }).click();

  const dialog = page.getByRole("dialog", { name: "Edit 2 components" });
  await dialog.getByLabel("Field to change").selectOption({ label: "Supplier" });
  await dialog.getByLabel("Supplier", { exact: true }).fill("PartialCo");
  await dialog.getByLabel("Another field to change").selectOption({ label: "Tags" });
  await expect(dialog.getByLabel("How to change Tags")).toHaveValue("add");
  await dialog.getByLabel("Tags", { exact: true }).fill("one-more");
  await dialog.getByRole("button", { name: "Apply" }).click();

  const alert = dialog.getByRole("alert");
  await expect(alert).toContainText("1 of 2 failed; nothing was written.");
  const refused = alert.getByRole("list", { name: "Records refused" });
  await expect(refused).toContainText(`${full!.public_id} Bulk atomic full`);
  await expect(refused).toContainText("A record holds at most 50 tags; this would make 51.");
  expect(sent).toEqual([expect.stringMatching(/^PATCH .*\/bulk\/$/)]);
  expect(await stored(page, plain!.public_id)).toMatchObject({ supplier: "Digi-Key", tags: [] });
  expect(await stored(page, full!.public_id)).toMatchObject({ supplier: "Digi-Key" });
  expect((await stored(page, full!.public_id)).tags).toHaveLength(50);
});
