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
  description: z.string().trim(),
});

export type IssueForm = z.infer<typeof issueFormSchema>;

/** The issue's title as the API would make it: the record's public id and name. */
export function initialIssueForm(record: Pick<EntityRecord, "public_id" | "name">): IssueForm {
  return { title: `${record.public_id} ${record.name}`, priority: 0, description: "" };
}

/** An empty description is not sent: the API then describes the issue from the record. */
export function issueRequest({ title, priority, description }: IssueForm): NewLinearIssue {
  return description ? { title, priority, description } : { title, priority };
}
