/** Who made an audit entry's change, in the history and the activity feed (`actorName`). */
import type { HistoryEntry } from "@/api/types";
import { PersonName } from "@/features/people/PersonName";

import { actorName } from "../audit";

export function ActorName({ entry }: { entry: Pick<HistoryEntry, "actor" | "actor_label"> }) {
  if (entry.actor) return <PersonName className="font-medium" person={entry.actor} />;
  return <span className="font-medium">{actorName(entry)}</span>;
}
