/**
 * Times in the user's own zone, here Berlin's (`src/test/setup.ts`): on 29 Mar 2026 its
 * clocks go from 02:00 to 03:00, on 25 Oct 2026 from 03:00 back to 02:00.
 */
import {
  formatDate,
  formatDateTime,
  localTimeProblem,
  localToUtc,
  repeatedTimeNote,
  toLocalInput,
} from "./times";

describe("the tests' time zone", () => {
  it("is one with daylight saving, so the gap below is a real one", () => {
    expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe("Europe/Berlin");
    expect(new Date("2026-01-15T12:00").getTimezoneOffset()).toBe(-60);
    expect(new Date("2026-07-15T12:00").getTimezoneOffset()).toBe(-120);
  });
});

describe("a local time in UTC", () => {
  it("converts a time either side of the change by its own offset", () => {
    expect(localToUtc("2026-03-29T01:59")).toBe("2026-03-29T00:59:00.000Z");
    expect(localToUtc("2026-03-29T03:00")).toBe("2026-03-29T01:00:00.000Z");
    expect(toLocalInput("2026-03-29T01:00:00Z")).toBe("2026-03-29T03:00");
  });

  it("refuses a time the clocks skip instead of moving it an hour", () => {
    expect(localToUtc("2026-03-29T02:30")).toBeNull();
    expect(localToUtc("2026-03-29T02:00")).toBeNull();
    expect(localTimeProblem("2026-03-29T02:30")).toBe(
      "02:30 does not exist on Mar 29, 2026 in your time zone (clocks go forward); pick another time.",
    );
    expect(localTimeProblem("2026-03-29T03:00")).toBeNull();
  });

  it("refuses what is no time, or out of the years 1 to 9999", () => {
    for (const value of ["soon", "2026-02-30T10:00", "10000-01-01T00:00"]) {
      expect(localToUtc(value)).toBeNull();
      expect(localTimeProblem(value)).toBe("Enter a valid date and time (years 1 to 9999).");
    }
  });

  it("takes the first of a time the clocks show twice, and says so", () => {
    expect(localToUtc("2026-10-25T02:30")).toBe("2026-10-25T00:30:00.000Z");
    expect(localTimeProblem("2026-10-25T02:30")).toBeNull();
    expect(repeatedTimeNote("2026-10-25T02:30")).toBe(
      "02:30 comes twice on Oct 25, 2026 in your time zone (clocks go back): this is the first, at UTC+2, before the second, at UTC+1.",
    );
    expect(repeatedTimeNote("2026-10-25T03:00")).toBeNull();
    expect(repeatedTimeNote("2026-10-25T01:59")).toBeNull();
    expect(repeatedTimeNote("2026-03-29T02:30")).toBeNull();
  });
});

describe("a time as the user reads it", () => {
  it("shows an instant in the user's time zone and a day as that day", () => {
    expect(formatDateTime("2026-03-29T00:30:00Z")).toBe("Mar 29, 2026, 1:30 AM");
    expect(formatDateTime("2026-03-29T01:30:00Z")).toBe("Mar 29, 2026, 3:30 AM");
    expect(formatDate("2026-03-29")).toBe("Mar 29, 2026");
  });
});
