/**
 * The list toolbar's saved views: "Views" opens the entity's views (ViewList), "Save view…"
 * keeps the list as it is now. "Views" is a disclosure, not a WAI-ARIA menu, as a view's row
 * holds several buttons (open, update, rename, delete): opened, the focus goes to the first
 * view, the arrows, Home and End move among the views, Tab through every button, and Escape
 * closes it, the focus back on "Views". Every write ends in a notice saying what was done, or the
 * API's refusal: in the dialog that made it, else under the toolbar.
 */
import { Bookmark, ChevronDown } from "lucide-react";
import { useEffect, useRef, useState, type KeyboardEvent } from "react";

import type { EntityManifest, SavedView, ToolManifest } from "@/api/types";
import { Button } from "@/components/Button";
import { ConfirmDialog } from "@/components/ConfirmDialog";
import { ErrorPanel, Notice } from "@/components/Feedback";
import { usePopover } from "@/lib/usePopover";

import { useSavedViews, useUpdateView } from "../api";
import { currentView, normalisedQuery } from "../query";
import { DeleteViewDialog } from "./DeleteViewDialog";
import { EditViewDialog } from "./EditViewDialog";
import { SaveViewDialog } from "./SaveViewDialog";
import { QueryReasons } from "./ViewQuery";
import { ViewList, type ViewActions } from "./ViewList";

type OpenDialog = { kind: "save" } | { kind: "edit" | "delete" | "refresh"; view: SavedView };

/** The keys that move among the views, and where each goes from the view at `at` of `count`. */
const VIEW_KEYS: Record<string, (at: number, count: number) => number> = {
  ArrowDown: (at, count) => (at + 1) % count,
  ArrowUp: (at, count) => (at <= 0 ? count : at) - 1,
  Home: () => 0,
  End: (_at, count) => count - 1,
};

/**
 * Arrows move the focus from view to view (wrapping round), Home and End to the first and the
 * last; from a view's own buttons they move from its row. Tab still reaches every button.
 */
function moveAmongViews(event: KeyboardEvent<HTMLElement>) {
  const move = VIEW_KEYS[event.key];
  if (!move) return;
  const views = [...event.currentTarget.querySelectorAll<HTMLElement>("[data-view]")];
  if (views.length === 0) return;
  event.preventDefault();
  const row = (event.target as HTMLElement).closest("li");
  const at = views.findIndex((view) => row?.contains(view));
  views[move(at, views.length)]?.focus();
}

export function ViewsMenu({
  tool,
  entity,
  params,
  onOpen,
}: {
  tool: ToolManifest;
  entity: EntityManifest;
  /** The list's query, as its URL holds it. */
  params: URLSearchParams;
  /** Show the list a view keeps: its query in place of the URL's. */
  onOpen: (query: string) => void;
}) {
  const views = useSavedViews(entity.name);
  const refresh = useUpdateView(entity.name);
  const query = normalisedQuery(params);
  const current = views.data ? currentView(views.data, params) : null;
  const { open, close, root, button, trigger, panelId } = usePopover();
  const panel = useRef<HTMLDivElement>(null);
  // Opened, the focus goes to the first view once the views are read (once each opening).
  const entered = useRef(false);
  useEffect(() => {
    if (!open) entered.current = false;
    if (!open || entered.current) return;
    const first = panel.current?.querySelector<HTMLElement>("[data-view]");
    if (!first) return;
    entered.current = true;
    first.focus();
  }, [open, views.data]);
  const [dialog, setDialog] = useState<OpenDialog | null>(null);
  const [done, setDone] = useState<string | null>(null);
  // What was done is said for a few seconds, or until the list changes.
  const [doneFor, setDoneFor] = useState(query);
  if (doneFor !== query) {
    setDoneFor(query);
    setDone(null);
  }
  useEffect(() => {
    if (!done) return;
    const timer = setTimeout(() => setDone(null), 6000);
    return () => clearTimeout(timer);
  }, [done]);

  const finish = (message: string) => {
    setDialog(null);
    setDone(message);
  };
  /** Give `view` the list's query; a refusal shows below the toolbar. */
  const update = (view: SavedView) =>
    refresh.mutateAsync({ view, changes: { query } }).then(
      (updated) => finish(`Updated “${updated.name}” with the current filters.`),
      () => setDialog(null),
    );
  /**
   * A choice in the menu closes it and puts the focus on "Views": a dialog gives it back
   * there when it closes, and the view's own buttons may be gone by then.
   */
  const choose = (then: () => void) => {
    close();
    setDone(null);
    refresh.reset();
    button.current?.focus();
    then();
  };
  const actions: ViewActions = {
    onOpen: (view) => choose(() => onOpen(view.query)),
    // A shared view changes for everyone who opens it: that is asked first.
    onRefresh: (view) =>
      choose(() => (view.shared ? setDialog({ kind: "refresh", view }) : update(view))),
    onEdit: (view) => choose(() => setDialog({ kind: "edit", view })),
    onDelete: (view) => choose(() => setDialog({ kind: "delete", view })),
  };

  return (
    <>
      <div ref={root} className="relative">
        <Button {...trigger}>
          <Bookmark className="size-4" aria-hidden="true" /> Views
          <ChevronDown className="size-4 text-slate-500" aria-hidden="true" />
        </Button>
        {open && (
          <div
            ref={panel}
            id={panelId}
            onKeyDown={moveAmongViews}
            className="absolute left-0 z-10 mt-1 w-80 max-w-[90vw] sm:right-0 sm:left-auto rounded-md bg-white p-2 shadow-lg ring-1 ring-slate-200"
          >
            <ViewList
              entity={entity}
              views={views}
              current={current}
              query={query}
              actions={actions}
            />
          </div>
        )}
      </div>
      {query !== "" && (
        <Button
          onClick={() => {
            setDone(null);
            setDialog({ kind: "save" });
          }}
        >
          Save view…
        </Button>
      )}
      {done && <Notice>{done}</Notice>}
      {/* A refusal stands while the list is the one refused. */}
      {refresh.error && refresh.variables?.changes.query === query && (
        <div className="order-last basis-full">
          <ErrorPanel error={refresh.error}>
            <QueryReasons error={refresh.error} />
          </ErrorPanel>
        </div>
      )}
      {dialog?.kind === "save" && (
        <SaveViewDialog
          tool={tool}
          entity={entity}
          query={query}
          onSaved={(view) => finish(`Saved the view “${view.name}”.`)}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === "edit" && (
        <EditViewDialog
          tool={tool}
          view={dialog.view}
          onSaved={(view) => finish(`Saved the view “${view.name}”.`)}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === "refresh" && (
        <ConfirmDialog
          title={`Update the shared view “${dialog.view.name}”?`}
          description="Everyone who opens it will see the list as it is now, with its search, filters and order."
          confirmLabel="Update view"
          busyLabel="Updating…"
          busy={refresh.isPending}
          error={null}
          onConfirm={() => update(dialog.view)}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === "delete" && (
        <DeleteViewDialog
          view={dialog.view}
          onDeleted={(view) => finish(`Deleted the view “${view.name}”.`)}
          onClose={() => setDialog(null)}
        />
      )}
    </>
  );
}
