import { formatSize, uploadRefusal } from "./files";

describe("formatSize", () => {
  it.each([
    [0, "0 bytes"],
    [1, "1 byte"],
    [999, "999 bytes"],
    [1_000, "1 KB"],
    [2_500_000, "2.5 MB"],
    [20_000_000, "20 MB"],
    [31_457_280, "31 MB"],
    [1_200_000_000, "1.2 GB"],
  ])("says %i bytes as %s", (bytes, words) => {
    expect(formatSize(bytes)).toBe(words);
  });
});

describe("uploadRefusal", () => {
  const file = (size: number) => new File([new Uint8Array(size)], "Datasheet.pdf");

  it("names the file, its size and the limit when it is too large", () => {
    expect(uploadRefusal(file(31_000), 20_000)).toBe("Datasheet.pdf is 31 KB; the limit is 20 KB.");
  });

  it("lets a file within the limit go, and any file while the limit is not known", () => {
    expect(uploadRefusal(file(20_000), 20_000)).toBeNull();
    expect(uploadRefusal(file(31_000), undefined)).toBeNull();
  });
});
