import { expect, test, type Page } from "@playwright/test";

import { pickRecord } from "./pickers";

// Every flow runs through the real API on the demo data: 240 components, no test runs.

async function openComponents(page: Page) {
  await page.goto("/");
  await page.getByRole("link", { name: "Components →" }).click();
  await expect(page.getByRole("heading", { name: "Components" })).toBeVisible();
}

/** Creates a component through the form; returns its public id, read from the page's URL. */
async function createComponent(page: Page, name: string, partNumber: string): Promise<string> {
  await page.goto("/tools/components/components/new");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Part number").fill(partNumber);
  await page.getByRole("button", { name: "Create component" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  return decodeURIComponent(page.url().split("/").pop() ?? "");
}

test("the front page lists the tools, and a tool's list pages through its records", async ({
  page,
}) => {
  await openComponents(page);
  await expect(page.getByRole("row")).toHaveCount(26); // a header and 25 records
  await expect(page.getByText("1–25 of 240")).toBeVisible();

  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByText("26–50 of 240")).toBeVisible();
  await expect(page).toHaveURL(/offset=25/);
});

test("search, filters and ordering live in the URL", async ({ page }) => {
  await openComponents(page);
  await page
    .getByPlaceholder("Search public id, name, description, part number, supplier")
    .fill("RES-1001");
  await expect(page.getByText("1–1 of 1")).toBeVisible();
  await expect(page).toHaveURL(/search=RES-1001/);

  await page
    .getByPlaceholder("Search public id, name, description, part number, supplier")
    .fill("");
  await expect(page).not.toHaveURL(/search=/);
  await page.getByRole("button", { name: "Status: Any status" }).click();
  await page.getByRole("checkbox", { name: "Draft", exact: true }).check();
  await expect(page).toHaveURL(/status=DRAFT/);
  for (const badge of await page
    .getByRole("cell")
    .filter({ hasText: /^(Draft|Active)$/ })
    .all()) {
    await expect(badge).toHaveText("Draft");
  }
  // Several statuses at once: every record that is in either.
  await page.getByRole("checkbox", { name: "Active", exact: true }).check();
  await expect(page).toHaveURL(/status=DRAFT&status=ACTIVE/);
  await expect(page.getByText("1–25 of 240")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("button", { name: "Status: Draft, Active" })).toBeFocused();
  await expect(page.getByRole("checkbox", { name: "Draft", exact: true })).toBeHidden();

  await page.getByRole("button", { name: "Filters", exact: true }).click();
  await page.getByLabel("Quantity on hand from").fill("100000");
  await expect(page.getByText("No records match these filters.")).toBeVisible();
  await page.getByRole("button", { name: "Clear the filters" }).click();
  await expect(page.getByText("1–25 of 240")).toBeVisible();

  await page.getByRole("button", { name: "Name" }).click();
  await expect(page).toHaveURL(/ordering=name/);
  await expect(page.getByRole("columnheader", { name: "Name" })).toHaveAttribute(
    "aria-sort",
    "ascending",
  );
});

test("a bad filter value is the API's message by the filter's label, not a blank page", async ({
  page,
}) => {
  await page.goto("/tools/components/components?quantity_on_hand__gte=lots");
  await expect(page.getByRole("alert")).toContainText(
    "Quantity on hand from: Enter a whole number.",
  );
  await expect(page.getByRole("textbox", { name: "Quantity on hand from" })).toHaveAttribute(
    "aria-invalid",
    "true",
  );
  await page.getByRole("button", { name: "Clear this filter: Quantity on hand from" }).click();
  await expect(page.getByText("1–25 of 240")).toBeVisible();
});

test("creating a record: the form's checks, the API's refusal by field, then the record", async ({
  page,
}) => {
  await page.goto("/tools/components/components/new");
  await page.getByRole("button", { name: "Create component" }).click();
  await expect(page.getByText("This field is required.")).toHaveCount(2); // name, part number

  await page.getByLabel("Name").fill("Hall sensor");
  await page.getByLabel("Part number").fill("RES-1001"); // taken by the demo data
  await page.getByLabel("Unit cost").fill("1.234");
  await page.getByRole("button", { name: "Create component" }).click();
  await expect(
    page.getByText("Ensure that there are no more than 2 decimal places."),
  ).toBeVisible();

  await page.getByLabel("Unit cost").fill("1.25");
  await page.getByRole("button", { name: "Create component" }).click();
  await expect(page.getByText("Component with this part number already exists.")).toBeVisible();

  await page.getByLabel("Part number").fill("SNS-2001");
  await page.getByLabel("Tags").fill("i2c, sensor");
  await page.getByRole("button", { name: "Create component" }).click();

  await expect(page.getByRole("heading", { name: "Hall sensor" })).toBeVisible();
  await expect(page).toHaveURL(/\/tools\/components\/components\/CMP-\d{4}$/);
  await expect(page.getByText("i2c")).toBeVisible();
  await expect(page.getByText("Dev User created it")).toBeVisible();
});

test("editing sends what changed; the history shows it, and a revert says first what it undoes", async ({
  page,
}) => {
  const publicId = await createComponent(page, "Edit me", "EDT-0001");
  const recordUrl = `/api/v1/components/components/${publicId}/`;
  await page.getByRole("link", { name: "Edit" }).click();
  await page.getByLabel("Supplier").fill("Digikey");
  await page.getByRole("button", { name: "Save changes" }).click();

  const history = page.getByRole("region", { name: "History" });
  await expect(history.getByText("Dev User changed it")).toBeVisible();
  await expect(history.getByRole("row", { name: /Supplier/ })).toContainText("Digikey");

  // Someone changes the supplier again; reverting the first change asks first, saying what
  // it would change, and that it undoes their change too.
  expect((await page.request.patch(recordUrl, { data: { supplier: "Mouser" } })).status()).toBe(
    200,
  );
  await page.reload();
  await expect(history.getByText("Dev User changed it")).toHaveCount(2);
  await history.getByRole("button", { name: "Revert this change" }).nth(1).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toHaveAccessibleName(/^Revert the change Dev User made .+\?$/);
  await expect(dialog).toHaveAccessibleDescription(
    /^Reverting would change: Supplier: Mouser → — Dev User changed Supplier again on .+; reverting undoes that too\.$/,
  );
  await expect(dialog.getByRole("button", { name: "Keep" })).toBeFocused();

  // Changed again while the dialog is open: the revert is refused (412) rather than undo a
  // change nobody was shown, and the dialog shows what it would now do.
  expect((await page.request.patch(recordUrl, { data: { supplier: "Arrow" } })).status()).toBe(200);
  await dialog.getByRole("button", { name: "Revert", exact: true }).click();
  await expect(dialog.getByRole("alert")).toContainText("Changed by someone else");
  await expect(dialog).toHaveAccessibleDescription(/^Reverting would change: Supplier: Arrow → —/);
  await dialog.getByRole("button", { name: "Revert", exact: true }).click();

  await expect(dialog).toBeHidden();
  await expect(history.getByRole("status")).toContainText("Reverted the change Dev User made");
  await expect(history.getByRole("status")).toBeFocused();
  // The revert's own entry says which change it undid, in words, its time in the user's zone.
  await expect(
    history.getByText(/^“Reverted the change of \w{3} \d+, \d{4}, \d+:\d\d [AP]M by Dev User\.”$/),
  ).toBeVisible();
  await expect(page.getByRole("definition").filter({ hasText: "Arrow" })).toHaveCount(0);

  // That change reverted already, a second revert would change nothing: it says so, no Revert.
  await expect(history.getByText("Dev User changed it")).toHaveCount(4);
  await history.getByRole("button", { name: "Revert this change" }).nth(3).click();
  await expect(dialog).toHaveAccessibleDescription(/^Nothing to revert/);
  await expect(dialog.getByRole("button")).toHaveText(["Close"]);
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(history.getByRole("button", { name: "Revert this change" }).nth(3)).toBeFocused();
});

test("an edit someone else's save got ahead of keeps the user's change, saved on top of theirs", async ({
  page,
  browser,
}, testInfo) => {
  // The QA pass's steps: the record's edit page open in two windows, the second a phone's.
  const publicId = await createComponent(page, "Contested", "CON-0001");
  const recordUrl = `/api/v1/components/components/${publicId}/`;
  expect((await page.request.patch(recordUrl, { data: { supplier: "Mouser" } })).status()).toBe(
    200,
  );
  const phone = await browser.newContext({
    baseURL: testInfo.project.use.baseURL,
    viewport: { width: 375, height: 812 },
  });
  const other = await phone.newPage();
  await other.goto(`/tools/components/components/${publicId}/edit`);
  await expect(other.getByLabel("Supplier")).toHaveValue("Mouser");

  await page.goto(`/tools/components/components/${publicId}/edit`);
  await page.getByLabel("Supplier").fill("Digikey");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page).toHaveURL(new RegExp(`/${publicId}$`)); // saved: back on the record's page

  await other.getByLabel("Quantity on hand").fill("77");
  await other.getByRole("button", { name: "Save changes" }).click();
  const notice = other.getByRole("alert");
  await expect(notice).toContainText(
    /Dev User changed Supplier \(Mouser → Digikey\) at .+ while you were editing\./,
  );
  await expect(notice).not.toContainText("ETag");
  await expect(notice).toBeFocused();
  await expect(other.getByLabel("Quantity on hand")).toHaveValue("77");
  await expect(other.getByLabel("Supplier")).toHaveValue("Digikey");
  expect(await other.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

  // By keyboard: from the message, its first button.
  await other.keyboard.press("Tab");
  await expect(other.getByRole("button", { name: "Save my changes on top" })).toBeFocused();
  await other.keyboard.press("Enter");
  await expect(other).toHaveURL(new RegExp(`/${publicId}$`));
  const stored = await (await page.request.get(recordUrl)).json();
  expect(stored).toMatchObject({ supplier: "Digikey", quantity_on_hand: 77 });
  await phone.close();
});

test("a field both changed is the user's choice, never overwritten unasked", async ({ page }) => {
  const publicId = await createComponent(page, "Both changed", "CON-0002");
  const recordUrl = `/api/v1/components/components/${publicId}/`;
  await page.getByRole("link", { name: "Edit" }).click();
  await expect(page.getByLabel("Supplier")).toBeVisible();

  const other = await page.request.patch(recordUrl, { data: { supplier: "Arrow" } });
  expect(other.status()).toBe(200);

  await page.getByLabel("Supplier").fill("Digi-Key");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("alert")).toContainText("You both changed Supplier");
  const choice = page.getByRole("group", { name: /also changed Supplier/ });
  await page.getByRole("button", { name: "Save my changes on top" }).click();
  await expect(choice).toContainText("Choose your value or theirs.");
  await expect(choice.getByRole("radio", { name: "Your value: Digi-Key" })).toBeFocused();

  await choice.getByRole("radio", { name: "Their value: Arrow" }).check();
  await expect(page.getByLabel("Supplier")).toHaveValue("Arrow");
  await page.getByRole("button", { name: "Save my changes on top" }).click();
  await expect(page).toHaveURL(new RegExp(`/${publicId}$`));
  const stored = await (await page.request.get(recordUrl)).json();
  expect(stored.supplier).toBe("Arrow");
});

test("archiving from a stale page says so plainly and shows the latest version", async ({
  page,
}) => {
  const publicId = await createComponent(page, "Stale page", "CON-0003");
  const recordUrl = `/api/v1/components/components/${publicId}/`;
  expect((await page.request.patch(recordUrl, { data: { supplier: "Arrow" } })).status()).toBe(200);
  await page.getByRole("button", { name: "Archive" }).click();
  const confirm = page.getByRole("dialog", { name: `Archive ${publicId}?` });
  await confirm.getByRole("button", { name: "Archive" }).click();
  // The dialog says so and stays; behind it the page has read the latest version.
  await expect(confirm.getByRole("alert")).toContainText(
    "Someone changed this record after you opened it.",
  );
  await expect(confirm).not.toContainText("ETag");
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("definition").filter({ hasText: "Arrow" })).toBeVisible();
});

test("the workflow from the keyboard: a transition with its comment, archive (asked first) and restore", async ({
  page,
}) => {
  const publicId = await createComponent(page, "Workflow", "WRK-0001");
  const heading = page.getByRole("heading", { name: "Workflow" });
  await expect(heading).toContainText("Draft");
  const said = (text: string) => page.getByRole("status").filter({ hasText: text });

  // The comment box takes the focus; Escape closes it, its text dropped, the focus back.
  await page.getByRole("button", { name: "Move to Active" }).focus();
  await page.keyboard.press("Enter");
  const comment = page.getByLabel(/why\?/);
  await expect(comment).toBeFocused();
  await page.keyboard.type("Not yet");
  await page.keyboard.press("Escape");
  await expect(comment).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Move to Active" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(comment).toHaveValue("");
  await page.keyboard.type("Approved by QA");
  await page.keyboard.press("Tab"); // the box's own Move to Active
  await page.keyboard.press("Enter");
  await expect(said(`Moved ${publicId} to Active.`)).toBeFocused();
  await expect(heading).toContainText("Active");
  await expect(page.getByText("“Approved by QA”")).toBeVisible();

  // Archive asks first, Cancel focused: Escape backs out, archiving nothing.
  await page.getByRole("button", { name: "Archive" }).focus();
  await page.keyboard.press("Enter");
  const confirm = page.getByRole("dialog", { name: `Archive ${publicId}?` });
  await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(confirm).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Archive" })).toBeFocused();
  await expect(heading).toContainText("Active");

  await page.keyboard.press("Enter");
  await page.keyboard.press("Tab"); // the dialog's Archive
  await page.keyboard.press("Enter");
  await expect(said(`Archived ${publicId}.`)).toBeFocused();
  await expect(heading).toContainText("Archived");
  await expect(page.getByRole("button", { name: "Move to Active" })).toHaveCount(0);

  await page.keyboard.press("Shift+Tab");
  await expect(page.getByRole("button", { name: "Restore" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(said(`Restored ${publicId}: it is Active again.`)).toBeFocused();
  await expect(heading).toContainText("Active");
});

test("a link is picked by typing a name; the record says it was created; a tool's own section shows", async ({
  page,
}) => {
  await page.goto("/tools/testing/test-runs");
  await expect(page.getByText("No test runs yet.")).toBeVisible();
  await page.getByRole("link", { name: "New test run" }).click();
  await page.getByLabel("Name").fill("Thermal cycle");
  // Typed, the name finds the component; the arrows and Enter link it.
  const component = page.getByRole("combobox", { name: "Component" });
  await component.fill("Thin film resistor RES-1001");
  await expect(page.getByRole("option")).toHaveText(["CMP-0001 Thin film resistor RES-1001"]);
  await component.press("ArrowDown");
  await expect(component).toHaveAttribute("aria-activedescendant", /.+/);
  await component.press("Enter");
  const chosen = page.getByRole("list", { name: "Component" });
  await expect(chosen).toHaveText("CMP-0001 Thin film resistor RES-1001");
  await expect(component).toBeFocused();
  // Escape closes the matches of another search and keeps the component linked.
  await component.fill("MEC-1023");
  await expect(page.getByRole("option", { name: /MEC-1023/ })).toBeVisible();
  await component.press("Escape");
  await expect(page.getByRole("listbox")).toHaveCount(0);
  await expect(chosen).toHaveText("CMP-0001 Thin film resistor RES-1001");
  await page.getByLabel("Measured value").fill("3.3");
  // The text left in the search is never dropped unsaid: the form says so and sends nothing.
  await page.getByRole("button", { name: "Create test run" }).click();
  await expect(component).toBeFocused();
  await expect(component).toHaveAccessibleDescription(
    /Choose a component from the list, or clear the text\./,
  );
  await component.fill("");
  await page.getByRole("button", { name: "Create test run" }).click();

  const created = page.getByRole("status").filter({ hasText: /^Created TST-\d{4}\.$/ });
  await expect(created).toBeVisible();
  // Read out from its live region, the focus on the record's heading, before its actions.
  await expect(page.getByRole("heading", { level: 1, name: /Thermal cycle/ })).toBeFocused();
  // Read again, the page says nothing of it.
  await page.reload();
  await expect(page.getByRole("heading", { name: "Thermal cycle" })).toBeVisible();
  await expect(page.getByText(/^Created TST-/)).toHaveCount(0);

  // The edit form shows the link by name; another is chosen by typing its name.
  await page.getByRole("link", { name: "Edit" }).click();
  await expect(page.getByRole("list", { name: "Component" })).toHaveText(
    "CMP-0001 Thin film resistor RES-1001",
  );
  await pickRecord(page, "Component", "M3 standoff MEC-1023", /M3 standoff MEC-1023/);
  await expect(page.getByRole("list", { name: "Component" }).getByRole("listitem")).toHaveCount(1);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: /Thermal cycle/ })).toBeFocused();
  await expect(page.getByRole("definition").getByRole("link", { name: /MEC-1023/ })).toBeVisible();
  await page.getByRole("link", { name: "Edit" }).click();
  await pickRecord(page, "Component", "RES-1001", /CMP-0001/);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();

  await expect(page.getByRole("heading", { name: "Thermal cycle" })).toContainText("Pending");
  // The testing tool's own section (src/tools/testing/pages.tsx) above the generic fields.
  // Its value shown as the fields show it, with the places its field declares.
  await expect(page.getByRole("region", { name: "Measurement" })).toContainText("3.3000");
  await expect(page.getByRole("definition").filter({ hasText: "3.3000" })).toHaveCount(1);
  await page
    .getByRole("definition")
    .getByRole("link", { name: /CMP-0001/ })
    .click();
  await expect(page).toHaveURL(/\/tools\/components\/components\/CMP-0001$/);

  // Back from the component to the runs that name it, the filter named and removable.
  await page
    .getByRole("region", { name: "Linked records" })
    .getByRole("link", { name: "Test runs (Component)" })
    .click();
  await expect(page).toHaveURL(/\/tools\/testing\/test-runs\?component=1$/);
  await expect(page.getByText("Component: CMP-0001 Thin film resistor RES-1001")).toBeVisible();
  await expect(page.getByRole("link", { name: "Thermal cycle" })).toBeVisible();
  await page.getByRole("button", { name: /Remove the filter Component/ }).click();
  await expect(page).toHaveURL(/\/tools\/testing\/test-runs$/);

  // The same filter chosen on the list: the component picked by its name, not its id.
  await page.getByRole("button", { name: "Filters", exact: true }).click();
  const picker = page.getByRole("combobox", { name: "Component" });
  await picker.fill("CMP-0001");
  await expect(page.getByRole("option", { name: /CMP-0001/ })).toBeVisible();
  await picker.press("ArrowDown");
  await picker.press("Enter");
  await expect(page).toHaveURL(/\/tools\/testing\/test-runs\?component=1$/);
  await expect(page.getByText("Component: CMP-0001 Thin film resistor RES-1001")).toBeVisible();
  await expect(picker).toHaveValue("");
  await expect(page.getByRole("link", { name: "Thermal cycle" })).toBeVisible();
  // Removed from the keyboard, the chip leaves the focus on the list's search, not lost.
  await page.getByRole("button", { name: /Remove the filter Component/ }).press("Enter");
  await expect(page).toHaveURL(/\/tools\/testing\/test-runs$/);
  await expect(page.getByPlaceholder("Search public id, name, description")).toBeFocused();
});

test("a many-to-many link is picked as chips, edited by name, and filtered by", async ({
  page,
}) => {
  await page.goto("/tools/testing/test-runs/new");
  await page.getByLabel("Name").fill("Leakage check");
  await pickRecord(page, "Component", "CMP-0001", /CMP-0001/);
  const instruments = page.getByRole("combobox", { name: "Instruments" });
  for (const publicId of ["CMP-0002", "CMP-0003"]) {
    await instruments.fill(publicId);
    await expect(page.getByRole("option", { name: new RegExp(publicId) })).toBeVisible();
    await instruments.press("ArrowDown");
    await instruments.press("Enter");
  }
  const chosen = page.getByRole("list", { name: "Instruments" }).getByRole("listitem");
  await expect(chosen).toHaveText([/^CMP-0002 /, /^CMP-0003 /]);
  await page.getByRole("button", { name: "Create test run" }).click();
  await expect(page.getByRole("heading", { name: "Leakage check" })).toBeVisible();

  // The edit form shows the record's links by name (in the API's order, the components' own:
  // newest first); one removed from the keyboard.
  await page.getByRole("link", { name: "Edit" }).click();
  await expect(chosen).toHaveText([/^CMP-0003 /, /^CMP-0002 /]);
  await page.getByRole("button", { name: /^Remove CMP-0002 / }).press("Delete");
  await expect(chosen).toHaveText([/^CMP-0003 /]);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("heading", { name: "Leakage check" })).toBeVisible();
  const links = page.getByRole("definition").getByRole("link", { name: /CMP-000[23]/ });
  await expect(links).toHaveText([/CMP-0003/]);

  // From the instrument, the runs that used it: the list filtered by it, named in a chip.
  await links.click();
  await page
    .getByRole("region", { name: "Linked records" })
    .getByRole("link", { name: "Test runs (Instruments)" })
    .click();
  await expect(page).toHaveURL(/\/tools\/testing\/test-runs\?instruments=3$/);
  await expect(page.getByText(/^Instruments: CMP-0003 /)).toBeVisible();
  await expect(page.getByRole("link", { name: "Leakage check" })).toBeVisible();
});

test("the activity feed shows changes across tools, filtered by tool", async ({ page }) => {
  await createComponent(page, "Feed entry", "FED-0001");
  await page.getByRole("link", { name: "Activity" }).click();
  await expect(page.getByText(/Dev User created .*Feed entry/).first()).toBeVisible();

  await page.getByLabel("Tool", { exact: true }).selectOption("testing");
  await expect(page).toHaveURL(/tool=testing/);
  await expect(page.getByText(/Feed entry/)).toHaveCount(0);
});

test("every page of the app loads from its own address", async ({ page }) => {
  await page.goto("/tools/components/components/CMP-0002");
  await expect(page.getByRole("heading", { name: /CMP-0002/ })).toBeVisible();
  await page.goto("/tools/components/components/CMP-99999");
  await expect(page.getByRole("alert")).toContainText("Not found");
  await page.goto("/tools/nope/nothing");
  await expect(page.getByText("This list does not exist, or you may not see it.")).toBeVisible();
});

test("ticked records are archived together, and leave the list", async ({ page }) => {
  await page.goto("/tools/components/components?search=MEC-10");
  await expect(page.getByText(/^1–25 of \d+$/)).toBeVisible();
  const total = Number((await page.getByText(/^1–25 of \d+$/).textContent())?.split(" of ")[1]);

  await page.getByLabel("Select CMP-0240").check();
  await page.getByLabel("Select CMP-0239").check();
  await expect(page.getByText("2 selected")).toBeVisible();
  await page.getByRole("button", { name: "Archive selected" }).click();
  // Asked first, the safe choice focused: Enter on a misclick archives nothing.
  const confirm = page.getByRole("dialog", { name: "Archive 2 components?" });
  await expect(confirm.getByRole("button", { name: "Cancel" })).toBeFocused();
  await confirm.getByRole("button", { name: "Archive", exact: true }).click();

  await expect(page.getByText(`1–25 of ${total - 2}`)).toBeVisible();
  await expect(page.getByLabel("Select CMP-0240")).toHaveCount(0);
  const archived = await (await page.request.get("/api/v1/components/components/CMP-0240/")).json();
  expect(archived.status).toBe("ARCHIVED");
});

test("each page names itself in the browser's tab", async ({ page }) => {
  await page.goto("/tools/components/components/CMP-0001");
  await expect(page).toHaveTitle("CMP-0001 Thin film resistor RES-1001 · Toolsuite");
  await page.goto("/activity");
  await expect(page).toHaveTitle("Activity · Toolsuite");
});

test("my records, and a time range, narrow the list", async ({ page }) => {
  await page.goto("/tools/components/components");
  await expect(page.getByText(/^1–25 of/)).toBeVisible();
  await page.getByLabel("Created by me").click();
  await expect(page.getByLabel("Created by me")).toBeChecked();
  await expect(page).toHaveURL(/created_by=1/);
  // The demo data has no author; only what these tests made through the app is the dev user's.
  await expect(page.getByRole("link", { name: "Hall sensor" })).toBeVisible();
  await expect(page.getByRole("link", { name: /MEC-1030/ })).toHaveCount(0);

  await page.getByRole("button", { name: "Filters", exact: true }).click();
  await page.getByLabel("Created from").fill("2100-01-01T00:00");
  await expect(page).toHaveURL(/created_after=2100-01-01T/);
  await expect(page.getByText("No records match these filters.")).toBeVisible();
});

test("a person is picked by name in the form, shown by name, and filtered by", async ({ page }) => {
  await page.goto("/tools/testing/test-runs/new");
  await page.getByLabel("Name").fill("Humidity soak");
  await pickRecord(page, "Component", "CMP-0001", /CMP-0001/);
  const person = page.getByRole("combobox", { name: "Executed by" });
  await person.fill("dev");
  await page.getByRole("option", { name: "Dev User" }).click();
  await expect(person).toHaveValue("");
  await page.getByRole("button", { name: "Create test run" }).click();

  await expect(page.getByRole("heading", { name: "Humidity soak" })).toBeVisible();
  await expect(page.getByRole("definition").filter({ hasText: "Dev User" })).not.toHaveCount(0);

  await page.goto("/tools/testing/test-runs");
  await page.getByRole("button", { name: "Filters", exact: true }).click();
  const filter = page.getByRole("combobox", { name: "Executed by" });
  await filter.fill("dev");
  await page.getByRole("option", { name: "Dev User" }).click();
  await expect(page).toHaveURL(/executed_by=\d+$/);
  await expect(page.getByText("Executed by: Dev User")).toBeVisible();
  await expect(page.getByRole("link", { name: "Humidity soak" })).toBeVisible();
});
