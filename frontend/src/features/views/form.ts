/** A view's name and sharing, as its dialogs take them: checked as the API checks them. */
import { z } from "zod";

/** The API's limit, in characters as it counts them (code points, not UTF-16 units). */
export const NAME_MAX_LENGTH = 100;

export const viewFormSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, "This field may not be blank.")
    .refine(
      (name) => [...name].length <= NAME_MAX_LENGTH,
      `Ensure this field has no more than ${NAME_MAX_LENGTH} characters.`,
    ),
  shared: z.boolean(),
});

export type ViewForm = z.infer<typeof viewFormSchema>;
