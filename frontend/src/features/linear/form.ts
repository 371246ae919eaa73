/** The "Create Linear issue" dialog's fields, checked as the API checks them. */
import { z } from "zod";

import type { EntityRecord, NewLinearIssue } from "@/api/types";

/** The API's limit, in characters as it counts them (code points, not UTF-16 units). */
export const TITLE_MAX_LENGTH = 255;

/** Linear's priorities, as numbers the API takes, in the order Linear lists them. */
export const PRIORITIES = [
  { value: 0, label: "No priority" },
  { value: 1, label: "Urgent" },
  { value: 2, label: "High" },
  { value: 3, label: "Medium" },
  { value: 4, label: "Low" },
] as const;

export const issueFormSchema = z.object({
  title: z
    .string()
    .trim()
    .min(1, "This field may not be blank.")
    .refine(
      (title) => [...title].length <= TITLE_MAX_LENGTH,
      `Ensure this field has no more than ${TITLE_MAX_LENGTH} characters.`,
    ),
  priority: z.number().int().min(0).max(4),
  // Sent as typed: Markdown's leading spaces (a code block) mean something.
  description: z.string(),
});

export type IssueForm = z.infer<typeof issueFormSchema>;

/**
 * The issue's title as the API makes it: the record's public id and name, shortened to the
 * limit with "…" when longer (a long name would otherwise fail the form's own check).
 */
export function defaultTitle(record: Pick<EntityRecord, "public_id" | "name">): string {
  const title = [...`${record.public_id} ${record.name}`];
  return title.length > TITLE_MAX_LENGTH
    ? `${title.slice(0, TITLE_MAX_LENGTH - 1).join("")}…`
    : title.join("");
}

export function initialIssueForm(record: Pick<EntityRecord, "public_id" | "name">): IssueForm {
  return { title: defaultTitle(record), priority: 0, description: "" };
}

/**
 * One attempt's request. `id` is the issue's in Linear, made once per dialog and sent with each
 * attempt: an attempt whose answer was lost is linked by the next, not made twice. A blank
 * description is not sent: the API then describes the issue from the record.
 */
export function issueRequest(
  id: string,
  { title, priority, description }: IssueForm,
): NewLinearIssue {
  return description.trim() ? { id, title, priority, description } : { id, title, priority };
}
