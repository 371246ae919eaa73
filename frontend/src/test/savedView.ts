/** A saved view for tests: the caller's own, unshared, of the components, unless overridden. */
import type { SavedView } from "@/api/types";

export function savedView(
  id: number,
  name: string,
  query: string,
  overrides: Partial<SavedView> = {},
): SavedView {
  return {
    id,
    entity: "components.component",
    name,
    query,
    shared: false,
    owner: { id: 1, name: "Dev User", is_active: true },
    is_mine: true,
    created_at: "2026-01-01T00:00:00Z",
    updated_at: "2026-01-01T00:00:00Z",
    ...overrides,
  };
}
