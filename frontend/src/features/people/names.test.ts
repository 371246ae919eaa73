import { personLabel, personName } from "./names";

describe("a person as text", () => {
  it("is their name, marked when they are deactivated", () => {
    expect(personName({ name: "Ada Lovelace", is_active: true })).toBe("Ada Lovelace");
    expect(personName({ name: "Ada Lovelace", is_active: false })).toBe(
      "Ada Lovelace (deactivated)",
    );
  });

  it("is a former user once they are deleted, and user #7 while not read", () => {
    expect(personName(null)).toBe("a former user");
    expect(personLabel("7", undefined)).toBe("user #7");
    expect(personLabel("7", { name: "Ada Lovelace", is_active: false })).toBe(
      "Ada Lovelace (deactivated)",
    );
  });
});
