/**
 * A person's name on a page: a deactivated one muted and marked in words, "(deactivated)", so
 * the mark is read out and seen without colour (`names.ts`).
 */
import { isDeactivated, type Person } from "./names";

export function PersonName({ person, className = "" }: { person: Person; className?: string }) {
  if (!isDeactivated(person)) return <span className={className}>{person.name}</span>;
  return (
    <span className={`${className} text-slate-500`} title="Deactivated: no longer uses the suite">
      {person.name} <span className="text-xs font-normal">(deactivated)</span>
    </span>
  );
}
