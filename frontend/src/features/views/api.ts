/** Saved views (`/api/v1/saved-views/`): an entity's lists as people kept them, by name. */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";

import { apiRequest, type QueryParams } from "@/api/client";
import type { CursorPage, SavedView } from "@/api/types";

const VIEWS = "/api/v1/saved-views/";

/** The views of one entity, by its manifest name (`components.component`). */
const viewsKey = (entity: string) => ["saved-views", entity] as const;

function viewPath(view: Pick<SavedView, "id">): string {
  return `${VIEWS}${view.id}/`;
}

/**
 * Every view of `entity` the caller sees: theirs and those shared with them. The API pages
 * them by cursor; a person keeps a handful per entity, so every page is read at once.
 */
export function useSavedViews(entity: string) {
  return useQuery({
    queryKey: viewsKey(entity),
    queryFn: async ({ signal }) => {
      const read = async (path: string, params?: QueryParams) =>
        (await apiRequest<CursorPage<SavedView>>(path, { params, signal })).data;
      let page = await read(VIEWS, { entity, limit: 100 });
      const views = [...page.results];
      while (page.next) {
        page = await read(page.next); // a whole URL, its query included
        views.push(...page.results);
      }
      return views;
    },
  });
}

/**
 * A write to one view. The view the API answers with goes into the list at once, so the
 * menu and the page name it; then, refused or done (a refusal may be that the view is
 * gone), the list is read again.
 */
function useViewWrite<Variables, Result>(
  entity: string,
  write: (variables: Variables) => Promise<Result>,
  apply: (views: SavedView[], result: Result) => SavedView[],
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: (result) =>
      queryClient.setQueryData<SavedView[]>(viewsKey(entity), (views) =>
        views ? apply(views, result) : views,
      ),
    onSettled: () => queryClient.invalidateQueries({ queryKey: viewsKey(entity) }),
  });
}

export interface ViewFields {
  name: string;
  query: string;
  shared: boolean;
}

export function useCreateView(entity: string) {
  return useViewWrite(
    entity,
    async (fields: ViewFields) =>
      (await apiRequest<SavedView>(VIEWS, { method: "POST", body: { entity, ...fields } })).data,
    (views, created) => [...views, created],
  );
}

export interface ViewChanges {
  view: SavedView;
  /** Only what changes is sent. */
  changes: Partial<ViewFields>;
}

export function useUpdateView(entity: string) {
  return useViewWrite(
    entity,
    async ({ view, changes }: ViewChanges) =>
      (await apiRequest<SavedView>(viewPath(view), { method: "PATCH", body: changes })).data,
    (views, updated) => views.map((view) => (view.id === updated.id ? updated : view)),
  );
}

export function useDeleteView(entity: string) {
  return useViewWrite(
    entity,
    async (view: SavedView) => {
      await apiRequest<null>(viewPath(view), { method: "DELETE" });
      return view;
    },
    (views, deleted) => views.filter((view) => view.id !== deleted.id),
  );
}
