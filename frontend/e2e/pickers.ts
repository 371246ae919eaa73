import { expect, type Page } from "@playwright/test";

/**
 * Links a record in a form's field labelled `label`: types `term` (part of its name or its
 * public id) in the field's search and takes the match `option` names, by the keyboard.
 */
export async function pickRecord(page: Page, label: string, term: string, option: RegExp) {
  const picker = page.getByRole("combobox", { name: label });
  await picker.fill(term);
  await expect(page.getByRole("option", { name: option })).toHaveCount(1);
  await picker.press("ArrowDown");
  await picker.press("Enter");
  await expect(page.getByRole("list", { name: label })).toContainText(option);
}
