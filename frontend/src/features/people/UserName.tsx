/** A person named by their id alone (an audit entry's change): their name, once it is read. */
import { useUser } from "./api";
import { personLabel } from "./names";
import { PersonName } from "./PersonName";

export function UserName({ id }: { id: string }) {
  const user = useUser(id);
  return user.data ? <PersonName person={user.data} /> : <span>{personLabel(id, undefined)}</span>;
}
