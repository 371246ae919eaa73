/**
 * Which saved view the list shows, under the page's heading: said again (politely) when
 * it changes, as when a view is opened or saved.
 */
import type { EntityManifest } from "@/api/types";

import { useSavedViews } from "../api";
import { ownerNote } from "../owner";
import { currentView } from "../query";

export function ShownView({ entity, params }: { entity: EntityManifest; params: URLSearchParams }) {
  const views = useSavedViews(entity.name);
  const view = views.data ? currentView(views.data, params) : null;
  const note = view && ownerNote(view, "shared by");
  return (
    <p aria-live="polite" className="text-sm text-slate-600">
      {view && (
        <>
          View: <span className="font-medium text-slate-900">{view.name}</span>
          {note && ` · ${note}`}
        </>
      )}
    </p>
  );
}
