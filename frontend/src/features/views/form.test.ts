import { NAME_MAX_LENGTH, viewFormSchema } from "./form";

describe("viewFormSchema", () => {
  it("takes a name trimmed, as the API keeps it", () => {
    expect(viewFormSchema.parse({ name: "  Active sensors ", shared: true })).toEqual({
      name: "Active sensors",
      shared: true,
    });
  });

  it("refuses a blank name with the API's words", () => {
    const result = viewFormSchema.safeParse({ name: "   ", shared: false });
    expect(result.error?.issues.map((issue) => issue.message)).toEqual([
      "This field may not be blank.",
    ]);
  });

  it("counts the name's characters as the API does", () => {
    const emoji = "🔧".repeat(NAME_MAX_LENGTH); // 200 UTF-16 units, 100 characters
    expect(viewFormSchema.safeParse({ name: emoji, shared: false }).success).toBe(true);
    expect(viewFormSchema.safeParse({ name: `${emoji}x`, shared: false }).success).toBe(false);
  });
});
