/** A filter by a person (`?created_by=12`), named by their name once it is read. */
import { Chip } from "@/components/Chip";

import { useUser } from "./api";
import { personLabel } from "./names";

export function UserChip({
  label,
  id,
  onRemove,
  returnFocusTo,
}: {
  /** What the person is to the records: "Created by", "By". */
  label: string;
  id: string;
  onRemove: () => void;
  /** Where the focus goes once the last chip is gone (Chip). */
  returnFocusTo: string;
}) {
  const user = useUser(id);
  const name = personLabel(id, user.data);
  return <Chip label={`${label} ${name}`} onRemove={onRemove} returnFocusTo={returnFocusTo} />;
}
