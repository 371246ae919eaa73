import { expect, test, type APIRequestContext, type Page } from "@playwright/test";

// Saved views of the components' list, through the real API. Every view a test makes is
// named "Saved views spec …" and deleted after it, so no other spec sees it.

const VIEWS = "/api/v1/saved-views/";
const LIST = "/tools/components/components";
const PREFIX = "Saved views spec";

interface View {
  id: number;
  name: string;
  query: string;
  shared: boolean;
}

async function specViews(request: APIRequestContext): Promise<View[]> {
  const response = await request.get(VIEWS, {
    params: { entity: "components.component", limit: 100 },
  });
  const { results } = (await response.json()) as { results: View[] };
  return results.filter((view) => view.name.startsWith(PREFIX));
}

test.afterEach(async ({ request }) => {
  for (const view of await specViews(request)) await request.delete(`${VIEWS}${view.id}/`);
});

/** The line under the heading that names the view shown. */
const shownView = (page: Page) => page.getByText(/^View: /);

async function openMenu(page: Page) {
  await page.getByRole("button", { name: "Views" }).click();
  return page.getByRole("region", { name: "My views" });
}

test("a filtered list saved as a view: opened again, updated, renamed, shared and deleted", async ({
  page,
}) => {
  await page.goto(LIST);
  await expect(page.getByRole("row").nth(25)).toBeVisible(); // a full first page
  // An unfiltered list is not worth a view.
  await expect(page.getByRole("button", { name: "Save view…" })).toHaveCount(0);

  await page
    .getByPlaceholder("Search public id, name, description, part number, supplier")
    .fill("RES");
  await expect(page).toHaveURL(/search=RES/);
  await page.getByRole("button", { name: "Status: Any status" }).click();
  await page.getByRole("checkbox", { name: "Draft", exact: true }).check();
  await page.keyboard.press("Escape");
  await expect(page).toHaveURL(/search=RES&status=DRAFT/);

  await page.getByRole("button", { name: "Save view…" }).click();
  const save = page.getByRole("dialog", { name: "Save this list of components as a view" });
  await expect(save.getByLabel("Name")).toBeFocused();
  await expect(save).toContainText("search: RES");
  await save.getByLabel("Name").fill(`${PREFIX} drafts`);
  await save.getByRole("button", { name: "Save view" }).click();
  await expect(save).toHaveCount(0);
  await expect(page.getByRole("status")).toHaveText(`Saved the view “${PREFIX} drafts”.`);
  await expect(shownView(page)).toHaveText(`View: ${PREFIX} drafts`);

  // Kept by the server, named again after a reload.
  await page.reload();
  await expect(shownView(page)).toHaveText(`View: ${PREFIX} drafts`);

  // Opened from the menu on the whole list: its query replaces the URL's, from page one.
  await page.goto(`${LIST}?offset=25`);
  await expect(shownView(page)).toHaveCount(0);
  let mine = await openMenu(page);
  await mine.getByRole("button", { name: `${PREFIX} drafts`, exact: true }).click();
  await expect(page).toHaveURL(/\?search=RES&status=DRAFT$/);
  await expect(shownView(page)).toHaveText(`View: ${PREFIX} drafts`);
  await expect(page.getByRole("button", { name: "Status: Draft" })).toBeVisible();
  mine = await openMenu(page);
  await expect(mine.getByRole("button", { name: `${PREFIX} drafts`, exact: true })).toHaveAttribute(
    "aria-current",
    "true",
  );
  // Already the list shown: nothing to update it with.
  await expect(mine.getByRole("button", { name: /with the current filters/ })).toHaveCount(0);
  await page.keyboard.press("Escape");
  await expect(page.getByRole("button", { name: "Views" })).toBeFocused();

  // Another filter: no view is shown, until the view is given the list's filters.
  await page.getByRole("button", { name: "Status: Draft" }).click();
  await page.getByRole("checkbox", { name: "Active", exact: true }).check();
  await page.keyboard.press("Escape");
  await expect(shownView(page)).toHaveCount(0);
  mine = await openMenu(page);
  await mine
    .getByRole("button", { name: `Update “${PREFIX} drafts” with the current filters` })
    .click();
  await expect(page.getByRole("status")).toHaveText(
    `Updated “${PREFIX} drafts” with the current filters.`,
  );
  await expect(shownView(page)).toHaveText(`View: ${PREFIX} drafts`);
  expect((await specViews(page.request))[0]?.query).toBe("search=RES&status=ACTIVE&status=DRAFT");

  // Renamed and shared.
  mine = await openMenu(page);
  await mine.getByRole("button", { name: `Rename or share “${PREFIX} drafts”` }).click();
  const edit = page.getByRole("dialog", { name: `Edit the view “${PREFIX} drafts”` });
  await edit.getByLabel("Name").fill(`${PREFIX} open`);
  await edit.getByLabel("Share with everyone who can read Components").check();
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(edit).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Views" })).toBeFocused();
  await expect(shownView(page)).toHaveText(`View: ${PREFIX} open · shared`);
  expect(await specViews(page.request)).toMatchObject([{ name: `${PREFIX} open`, shared: true }]);

  // A shared view changes for everyone: updating it is asked first.
  await page.getByRole("button", { name: "Status: Draft, Active" }).click();
  await page.getByRole("checkbox", { name: "Active", exact: true }).uncheck();
  await page.keyboard.press("Escape");
  mine = await openMenu(page);
  await mine
    .getByRole("button", { name: `Update “${PREFIX} open” with the current filters` })
    .click();
  const ask = page.getByRole("dialog", { name: `Update the shared view “${PREFIX} open”?` });
  await expect(ask.getByRole("button", { name: "Cancel" })).toBeFocused();
  await ask.getByRole("button", { name: "Update view" }).click();
  await expect(ask).toHaveCount(0);
  await expect(shownView(page)).toHaveText(`View: ${PREFIX} open · shared`);
  expect((await specViews(page.request))[0]?.query).toBe("search=RES&status=DRAFT");

  // Deleted, once confirmed.
  mine = await openMenu(page);
  await mine.getByRole("button", { name: `Delete “${PREFIX} open”` }).click();
  const confirm = page.getByRole("dialog", { name: `Delete the view “${PREFIX} open”?` });
  await expect(confirm).toContainText("It is shared");
  await confirm.getByRole("button", { name: "Delete view" }).click();
  await expect(confirm).toHaveCount(0);
  await expect(page.getByRole("status")).toHaveText(`Deleted the view “${PREFIX} open”.`);
  await expect(shownView(page)).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Views" })).toBeFocused();
  expect(await specViews(page.request)).toEqual([]);
  // The list itself is as it was.
  await expect(page).toHaveURL(/search=RES&status=DRAFT$/);
});

test("a name already given to one of my views is refused under the name", async ({ page }) => {
  const made = await page.request.post(VIEWS, {
    data: { entity: "components.component", name: `${PREFIX} clash`, query: "ordering=name" },
  });
  expect(made.status()).toBe(201);

  await page.goto(`${LIST}?ordering=-name`);
  await page.getByRole("button", { name: "Save view…" }).click();
  const save = page.getByRole("dialog", { name: "Save this list of components as a view" });
  // Names clash in any case.
  await save.getByLabel("Name").fill(`${PREFIX} CLASH`);
  await save.getByRole("button", { name: "Save view" }).click();
  await expect(
    save.getByText(`You already have a saved view of this entity named '${PREFIX} clash'.`),
  ).toBeVisible();
  await expect(save.getByLabel("Name")).toHaveAttribute("aria-invalid", "true");
  await expect(save.getByLabel("Name")).toBeFocused();

  // Escape closes the dialog, nothing saved; the focus goes back to the button that opened it.
  await page.keyboard.press("Escape");
  await expect(save).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Save view…" })).toBeFocused();
  expect((await specViews(page.request)).map((view) => view.name)).toEqual([`${PREFIX} clash`]);
});
