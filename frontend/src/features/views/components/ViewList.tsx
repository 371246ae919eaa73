/**
 * The views of an entity in the menu: the caller's, then those others share, each opening
 * the list it keeps; the one shown is marked. The caller's own can be updated with the
 * list's current query, renamed or shared, and deleted; others' are only opened.
 */
import { Check, Pencil, RefreshCw, Trash2, type LucideIcon } from "lucide-react";
import { useId } from "react";

import type { EntityManifest, SavedView } from "@/api/types";
import { Button } from "@/components/Button";
import { ErrorPanel, Spinner } from "@/components/Feedback";

import type { useSavedViews } from "../api";
import { groupViews, sameQuery } from "../query";
import { ownerNote } from "../owner";

export interface ViewActions {
  onOpen: (view: SavedView) => void;
  /** Give the view the list's query (offered while they differ). */
  onRefresh: (view: SavedView) => void;
  onEdit: (view: SavedView) => void;
  onDelete: (view: SavedView) => void;
}

function ActionButton({
  label,
  icon: Icon,
  onClick,
}: {
  label: string;
  icon: LucideIcon;
  onClick: () => void;
}) {
  return (
    <Button variant="ghost" className="px-1.5" aria-label={label} title={label} onClick={onClick}>
      <Icon className="size-4" aria-hidden="true" />
    </Button>
  );
}

function ViewRow({
  view,
  current,
  query,
  actions,
}: {
  view: SavedView;
  current: boolean;
  /** The list's query, normalised. */
  query: string;
  actions: ViewActions;
}) {
  const note = ownerNote(view, "by");
  return (
    <li className="flex items-center gap-0.5">
      <button
        type="button"
        // The menu's arrows go from view to view by these (`ViewsMenu`).
        data-view=""
        aria-current={current ? "true" : undefined}
        title={view.name}
        className={`flex min-w-0 flex-1 items-center gap-2 rounded px-2 py-1.5 text-left text-sm hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-600 ${current ? "font-medium text-indigo-800" : "text-slate-800"}`}
        onClick={() => actions.onOpen(view)}
      >
        <Check className={`size-4 shrink-0 ${current ? "" : "invisible"}`} aria-hidden="true" />
        <span className="truncate">{view.name}</span>
        {/* The space keeps the name and the note apart in the button's accessible name. */}
        {note && <span className="shrink-0 text-xs font-normal text-slate-500"> {note}</span>}
      </button>
      {view.is_mine && (
        <>
          {query !== "" && !sameQuery(view.query, query) && (
            <ActionButton
              label={`Update “${view.name}” with the current filters`}
              icon={RefreshCw}
              onClick={() => actions.onRefresh(view)}
            />
          )}
          <ActionButton
            label={`Rename or share “${view.name}”`}
            icon={Pencil}
            onClick={() => actions.onEdit(view)}
          />
          <ActionButton
            label={`Delete “${view.name}”`}
            icon={Trash2}
            onClick={() => actions.onDelete(view)}
          />
        </>
      )}
    </li>
  );
}

function ViewGroup({
  title,
  views,
  current,
  query,
  actions,
}: {
  title: string;
  views: SavedView[];
  current: SavedView | null;
  query: string;
  actions: ViewActions;
}) {
  const titleId = useId();
  if (views.length === 0) return null;
  return (
    <section aria-labelledby={titleId}>
      <h3 id={titleId} className="px-2 pt-1 pb-0.5 text-xs font-semibold text-slate-500 uppercase">
        {title}
      </h3>
      <ul>
        {views.map((view) => (
          <ViewRow
            key={view.id}
            view={view}
            current={view.id === current?.id}
            query={query}
            actions={actions}
          />
        ))}
      </ul>
    </section>
  );
}

export function ViewList({
  entity,
  views,
  current,
  query,
  actions,
}: {
  entity: EntityManifest;
  views: ReturnType<typeof useSavedViews>;
  current: SavedView | null;
  /** The list's query, normalised. */
  query: string;
  actions: ViewActions;
}) {
  if (views.isError) {
    return (
      <ErrorPanel error={views.error}>
        <Button onClick={() => void views.refetch()}>Try again</Button>
      </ErrorPanel>
    );
  }
  if (!views.data) return <Spinner label="Loading views…" />;
  if (views.data.length === 0) {
    return (
      <p className="px-2 py-1.5 text-sm text-slate-500">
        No saved views of {entity.label_plural.toLowerCase()} yet. Search, filter or sort the list,
        then save it as a view.
      </p>
    );
  }
  const { mine, shared } = groupViews(views.data);
  const group = { current, query, actions };
  return (
    <div className="space-y-2">
      <ViewGroup title="My views" views={mine} {...group} />
      <ViewGroup title="Shared with you" views={shared} {...group} />
    </div>
  );
}
