import { fieldManifest } from "@/test/manifest";
import { PEOPLE, SHOWN } from "@/test/shownValues";

import { shownFormValue } from "./shownValues";

const named = (id: string) => PEOPLE[id];

describe("a form's value as the user reads it", () => {
  it.each(SHOWN)("shows a $field.type ($field.name) as $shown", ({ field, form, shown }) => {
    expect(shownFormValue(field, form, named)).toBe(shown);
  });

  it("names a person not read yet by their id", () => {
    expect(shownFormValue(fieldManifest("borrower", "user"), "9")).toBe("user #9");
  });

  it("is blank for a value none of each kind", () => {
    for (const { field } of SHOWN.filter(({ field }) => field.type !== "boolean")) {
      const blank = field.relation ? [] : " ";
      expect(shownFormValue(field, blank, named)).toBe("");
    }
    expect(shownFormValue(fieldManifest("supplier", "string"), undefined)).toBe("");
  });

  it("keeps a value no choice has, a time that is none, and text as typed", () => {
    const unit = fieldManifest("unit", "choice", { choices: [{ value: "V", label: "Volt" }] });
    expect(shownFormValue(unit, "A")).toBe("A");
    expect(shownFormValue(fieldManifest("at", "datetime"), "2026-13-01T10:00")).toBe(
      "2026-13-01T10:00",
    );
    expect(shownFormValue(fieldManifest("notes", "text"), " two\nlines ")).toBe(" two\nlines ");
    expect(shownFormValue(fieldManifest("tags", "tags"), "a, ,b ")).toBe("a, b");
  });
});
