/** A person named by their id alone (an audit entry's change): their name, once it is read. */
import { useUser } from "./api";

export function UserName({ id }: { id: string }) {
  const user = useUser(id);
  return <span>{user.data?.name ?? `user #${id}`}</span>;
}
