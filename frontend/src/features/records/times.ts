/**
 * Times as the user reads and types them: in their locale and their own time zone. A
 * `datetime-local` input holds a wall-clock time ("2026-03-29T02:30"), which the API takes in
 * UTC; where daylight saving skips a wall-clock time it names no instant and is refused, and
 * where it repeats one the first is taken, and the user told so.
 */
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
// A date is a day, not an instant: read as UTC midnight, it is shown as that day everywhere.
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" });

/** An instant (`2026-12-01T10:00:00Z`) in the user's time zone: "Dec 1, 2026, 11:00 AM". */
export function formatDateTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
}

/** A day (`2026-12-01`): "Dec 1, 2026". */
export function formatDate(day: string): string {
  const date = new Date(day);
  return Number.isNaN(date.getTime()) ? day : dateOnly.format(date);
}

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/;
const DAY_MS = 86_400_000;

/** A `datetime-local` value read in the user's time zone. */
type LocalTime =
  | { kind: "invalid" }
  /** No instant has this wall-clock time: the clocks skip it (they go forward). */
  | { kind: "skipped"; day: string; time: string }
  /** `date` is its instant; `later`, the second one the clocks show it at (they go back). */
  | { kind: "time"; date: Date; day: string; time: string; later: Date | null };

/** `date`'s year, month (1–12), day, hours and minutes, on the user's clocks or in UTC. */
function clock(date: Date, utc = false): number[] {
  return utc
    ? [
        date.getUTCFullYear(),
        date.getUTCMonth() + 1,
        date.getUTCDate(),
        date.getUTCHours(),
        date.getUTCMinutes(),
      ]
    : [date.getFullYear(), date.getMonth() + 1, date.getDate(), date.getHours(), date.getMinutes()];
}

function sameWallClock(date: Date, wall: number[], utc = false): boolean {
  return clock(date, utc).every((part, index) => part === wall[index]);
}

/** Whether the wall-clock time is one of the calendar's (not 30 Feb, nor 24:00). */
function onCalendar(wall: number[]): boolean {
  const [year, month, day, hours, minutes] = wall as [number, number, number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hours, minutes);
  return sameWallClock(date, wall, true);
}

/** The other instant the clocks show `date`'s wall-clock time at, if they show it twice. */
function repeatedAt(date: Date, wall: number[]): Date | null {
  // Clocks change by their offset's change: look a day either side for another offset.
  for (const near of [date.getTime() - DAY_MS, date.getTime() + DAY_MS]) {
    const shift = new Date(near).getTimezoneOffset() - date.getTimezoneOffset();
    const other = new Date(date.getTime() + shift * 60_000);
    if (shift !== 0 && sameWallClock(other, wall)) return other;
  }
  return null;
}

function readLocal(local: string): LocalTime {
  const wall = WALL_CLOCK.exec(local)?.slice(1).map(Number);
  const date = new Date(local);
  const year = date.getUTCFullYear();
  if (!wall || !onCalendar(wall) || Number.isNaN(date.getTime()) || year < 1 || year > 9999) {
    return { kind: "invalid" };
  }
  const day = formatDate(local.slice(0, 10));
  const time = local.slice(11, 16);
  if (!sameWallClock(date, wall)) return { kind: "skipped", day, time };
  const other = repeatedAt(date, wall);
  if (!other) return { kind: "time", date, day, time, later: null };
  // A time shown twice is taken as the first, before the clocks go back.
  const [first, later] = other < date ? [other, date] : [date, other];
  return { kind: "time", date: first, day, time, later };
}

/**
 * A `datetime-local` input's value (the user's own time) in UTC, as the API takes it; null
 * for a time that is none, one the clocks skip, or one out of the years every database stores
 * (1–9999). A time the clocks show twice is the first.
 */
export function localToUtc(local: string): string | null {
  const read = readLocal(local);
  return read.kind === "time" ? read.date.toISOString() : null;
}

/** What is wrong with a `datetime-local` value as a time of the user's, or null. */
export function localTimeProblem(local: string): string | null {
  const read = readLocal(local);
  if (read.kind === "invalid") return "Enter a valid date and time (years 1 to 9999).";
  if (read.kind === "skipped") {
    return `${read.time} does not exist on ${read.day} in your time zone (clocks go forward); pick another time.`;
  }
  return null;
}

/** "UTC+2", "UTC+5:30", "UTC−3": a time zone's offset at `date`. */
function utcOffset(date: Date): string {
  const minutes = -date.getTimezoneOffset();
  const hours = Math.trunc(Math.abs(minutes) / 60);
  const rest = Math.round(Math.abs(minutes) % 60);
  return `UTC${minutes < 0 ? "−" : "+"}${hours}${rest ? `:${String(rest).padStart(2, "0")}` : ""}`;
}

/**
 * What a `datetime-local` value the clocks show twice is taken as (the first), or null:
 * "02:30 comes twice on Oct 25, 2026 in your time zone (clocks go back): this is the first,
 * at UTC+2, an hour before the second, at UTC+1."
 */
export function repeatedTimeNote(local: string): string | null {
  const read = readLocal(local);
  if (read.kind !== "time" || !read.later) return null;
  return (
    `${read.time} comes twice on ${read.day} in your time zone (clocks go back): this is the ` +
    `first, at ${utcOffset(read.date)}, before the second, at ${utcOffset(read.later)}.`
  );
}

/** `2026-12-01T10:00:00Z` as a `datetime-local` input shows it: the user's own time. */
export function toLocalInput(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 16);
}
