import { render, screen } from "@testing-library/react";
import { createElement, Suspense } from "react";

import { createToolPages, type EntityPageProps, type ToolPages } from "./registry";

function Generic() {
  return <p>generic list</p>;
}

function OwnList({ entity }: EntityPageProps) {
  return <p>own list of {entity.name}</p>;
}

const pages: ToolPages = { "inventory.item": { list: OwnList } };
const load = vi.fn(async () => ({ default: pages }));
const { pageFor } = createToolPages({ "./inventory/pages.tsx": load });

function show(page: ReturnType<typeof pageFor>, entityName: string) {
  const props = { entity: { name: entityName } } as unknown as EntityPageProps;
  return render(
    <Suspense fallback={<p>loading</p>}>{page && createElement(page, props)}</Suspense>,
  );
}

describe("a tool's own pages", () => {
  beforeEach(() => load.mockClear());

  it("gives a tool without pages.tsx the generic page, and nothing where nothing is generic", () => {
    expect(pageFor({ slug: "components" }, { name: "components.component" }, "list", Generic)).toBe(
      Generic,
    );
    expect(
      pageFor({ slug: "components" }, { name: "components.component" }, "recordSection", null),
    ).toBeNull();
    expect(load).not.toHaveBeenCalled();
  });

  it("loads the tool's module on first render and shows its page for the entity it names", async () => {
    const page = pageFor({ slug: "inventory" }, { name: "inventory.item" }, "list", Generic);
    expect(load).not.toHaveBeenCalled();
    show(page, "inventory.item");
    expect(await screen.findByText("own list of inventory.item")).toBeInTheDocument();
    expect(pageFor({ slug: "inventory" }, { name: "inventory.item" }, "list", Generic)).toBe(page);
  });

  it("falls back for the tool's other entities and slots", async () => {
    show(
      pageFor({ slug: "inventory" }, { name: "inventory.location" }, "list", Generic),
      "inventory.location",
    );
    expect(await screen.findByText("generic list")).toBeInTheDocument();

    const { container } = show(
      pageFor({ slug: "inventory" }, { name: "inventory.item" }, "recordSection", null),
      "inventory.item",
    );
    await vi.waitFor(() => expect(load).toHaveBeenCalled());
    await vi.waitFor(() => expect(container).toBeEmptyDOMElement());
  });
});
