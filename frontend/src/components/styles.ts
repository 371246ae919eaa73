/**
 * Class names shared by every form control, so inputs look alike across pages (a placeholder in
 * slate-500: 4.8:1 on white, where slate-400's 2.6:1 was hard to read).
 */
const control =
  "block rounded-md border-0 bg-white px-2.5 py-1.5 text-sm text-slate-900 ring-1 ring-inset " +
  "ring-slate-300 placeholder:text-slate-500 focus:ring-2 focus:ring-indigo-600 focus:outline-none " +
  "aria-[invalid=true]:ring-red-500";

/** A control as wide as its container: forms and filter panels. */
export const inputClass = `${control} w-full`;

/** A control as wide as its content: selects in a toolbar. */
export const compactInputClass = `${control} w-auto`;

export const labelClass = "block text-sm font-medium text-slate-700";

/**
 * A link among text (a record named in a sentence, a value's address): underlined, as its colour
 * alone (indigo-700 beside slate-900, 2.2:1) does not set it apart (WCAG 1.4.1, axe's
 * link-in-text-block).
 */
export const textLinkClass = "text-indigo-700 underline underline-offset-2 hover:decoration-2";
