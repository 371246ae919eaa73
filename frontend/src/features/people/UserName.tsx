/** A person named by their id alone (an audit entry's change): their name, once it is read. */
import { useUser } from "./api";
import { personLabel } from "./names";

export function UserName({ id }: { id: string }) {
  const user = useUser(id);
  return <span>{personLabel(id, user.data?.name)}</span>;
}
