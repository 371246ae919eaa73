/**
 * A tool's own React pages. Every tool works with the generic pages alone; a tool that
 * wants more writes `src/tools/<slug>/pages.tsx`, whose default export names, per entity
 * (`<tool>.<entity>`), what replaces or adds to the generic pages. Found at build time,
 * loaded the first time one of the tool's pages is shown.
 */
import { createElement, lazy, Suspense, type ComponentType } from "react";

import type { EntityManifest, ToolManifest } from "@/api/types";
import { Spinner } from "@/components/Feedback";
import type { LoadedRecord } from "@/features/records/api";

export interface EntityPageProps {
  tool: ToolManifest;
  entity: EntityManifest;
  tools: ToolManifest[];
}

export interface RecordSectionProps extends EntityPageProps {
  loaded: LoadedRecord;
}

export interface EntityPages {
  /** Replaces the entity's list page. */
  list?: ComponentType<EntityPageProps>;
  /** Shown on the generic record page, above its fields. */
  recordSection?: ComponentType<RecordSectionProps>;
}

type SlotProps<Slot extends keyof EntityPages> =
  NonNullable<EntityPages[Slot]> extends ComponentType<infer Props> ? Props : never;

/** A tool's `pages.tsx`: its entities' pages, by entity name (`testing.testrun`). */
export type ToolPages = Record<string, EntityPages>;

type Loader = () => Promise<{ default: ToolPages }>;

function Nothing() {
  return null;
}

export function createToolPages(loaders: Record<string, Loader>) {
  const bySlug = new Map(
    Object.entries(loaders).map(([path, load]) => [path.split("/").at(-2) ?? "", load]),
  );
  const made = new Map<string, unknown>();

  /**
   * The component for `slot` of an entity: the tool's, else `fallback` (null: nothing).
   * The tool's module loads when the component first renders, inside a Suspense.
   */
  function pageFor<Slot extends keyof EntityPages>(
    tool: Pick<ToolManifest, "slug">,
    entity: Pick<EntityManifest, "name">,
    slot: Slot,
    fallback: ComponentType<SlotProps<Slot>> | null,
  ): ComponentType<SlotProps<Slot>> | null {
    type Props = SlotProps<Slot>;
    const load = bySlug.get(tool.slug);
    if (!load) return fallback;
    const key = `${tool.slug}/${entity.name}/${slot}`;
    if (!made.has(key)) {
      made.set(
        key,
        lazy(async () => {
          const own = (await load()).default[entity.name]?.[slot] as
            ComponentType<Props> | undefined;
          return { default: own ?? fallback ?? Nothing };
        }),
      );
    }
    return made.get(key) as ComponentType<Props>;
  }

  return { pageFor };
}

const { pageFor } = createToolPages(import.meta.glob<{ default: ToolPages }>("./*/pages.tsx"));

/** An entity's list page: its tool's own, else the generic one. */
export function ListPage({
  generic,
  ...props
}: EntityPageProps & { generic: ComponentType<EntityPageProps> }) {
  const page = pageFor(props.tool, props.entity, "list", generic) ?? generic;
  return <Suspense fallback={<Spinner />}>{createElement(page, props)}</Suspense>;
}

/** What a tool adds to one of its records' pages; nothing for most tools. */
export function RecordSection(props: RecordSectionProps) {
  const section = pageFor(props.tool, props.entity, "recordSection", null);
  return section && <Suspense fallback={null}>{createElement(section, props)}</Suspense>;
}
