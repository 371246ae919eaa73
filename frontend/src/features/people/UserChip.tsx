/** A filter by a person (`?created_by=12`), named by their name once it is read. */
import { Chip } from "@/components/Chip";

import { useUser } from "./api";

export function UserChip({
  label,
  id,
  onRemove,
}: {
  /** What the person is to the records: "Created by", "By". */
  label: string;
  id: string;
  onRemove: () => void;
}) {
  const user = useUser(id);
  return <Chip label={`${label} ${user.data?.name ?? `user #${id}`}`} onRemove={onRemove} />;
}
