import { Button } from "@/components/Button";
import { compactInputClass } from "@/components/styles";

import { PAGE_SIZES } from "../listParams";

const number = new Intl.NumberFormat();

/** "1–25 of 240"; a capped count reads "of 1,000+", an estimated one "of about 1,204,000". */
export function describeRange(
  offset: number,
  shown: number,
  count: number,
  countIsEstimate: boolean,
  filtered: boolean,
): string {
  if (shown === 0) return "No records";
  const range = `${number.format(offset + 1)}–${number.format(offset + shown)}`;
  if (!countIsEstimate) return `${range} of ${number.format(count)}`;
  return filtered
    ? `${range} of ${number.format(count)}+`
    : `${range} of about ${number.format(count)}`;
}

export function Pager({
  offset,
  limit,
  shown,
  count,
  countIsEstimate,
  filtered,
  hasNext,
  loading,
  onPage,
}: {
  offset: number;
  limit: number;
  shown: number;
  count: number;
  countIsEstimate: boolean;
  filtered: boolean;
  hasNext: boolean;
  /** The rows shown are the last page's, while this one loads. */
  loading: boolean;
  onPage: (changes: { offset?: number; limit?: number }) => void;
}) {
  return (
    <nav
      aria-label="Pages"
      className="flex flex-wrap items-center justify-between gap-3 text-sm text-slate-600"
    >
      <p aria-live="polite">
        {loading ? "Loading…" : describeRange(offset, shown, count, countIsEstimate, filtered)}
      </p>
      <div className="flex items-center gap-2">
        <label className="flex items-center gap-2">
          Per page
          <select
            className={compactInputClass}
            value={limit}
            onChange={(event) => onPage({ limit: Number(event.target.value), offset: 0 })}
          >
            {[...new Set([...PAGE_SIZES, limit])]
              .sort((a, b) => a - b)
              .map((size) => (
                <option key={size} value={size}>
                  {size}
                </option>
              ))}
          </select>
        </label>
        <Button
          disabled={loading || offset === 0}
          onClick={() => onPage({ offset: Math.max(0, offset - limit) })}
        >
          Previous
        </Button>
        <Button disabled={loading || !hasNext} onClick={() => onPage({ offset: offset + limit })}>
          Next
        </Button>
      </div>
    </nav>
  );
}
