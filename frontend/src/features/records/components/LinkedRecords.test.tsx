import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import { MemoryRouter } from "react-router";

import type { EntityManifest, EntityRecord, ToolManifest } from "@/api/types";
import { json, mockFetch } from "@/test/api";
import { fieldManifest } from "@/test/manifest";

import { LinkedRecords } from "./LinkedRecords";

const fetchMock = mockFetch();

const component = {
  name: "components.component",
  label: "Component",
  label_plural: "Components",
  api_path: "/api/v1/components/components/",
  fields: [],
} as unknown as EntityManifest;
const testRun = {
  name: "testing.testrun",
  label: "Test run",
  label_plural: "Test runs",
  api_path: "/api/v1/testing/test-runs/",
  fields: [
    fieldManifest("component", "relation", {
      label: "Component",
      filter_lookups: ["exact"],
      relation: { entity: "components.component", api_path: component.api_path, many: false },
    }),
  ],
} as unknown as EntityManifest;
const tools = [
  { slug: "components", permissions: ["read"], entities: [component] },
  { slug: "testing", permissions: ["read"], entities: [testRun] },
] as unknown as ToolManifest[];
/** The same tools, the caller a writer of testing's. */
const writable = tools.map((tool) =>
  tool.slug === "testing" ? { ...tool, permissions: ["read", "write"] } : tool,
) as ToolManifest[];
const record = { id: 12, public_id: "CMP-0012", name: "Resistor" } as EntityRecord;

function renderLinks(count: number | ((url: string) => number), toolList = tools) {
  fetchMock.mockImplementation(async (url: unknown) =>
    json(200, {
      count: typeof count === "number" ? count : count(String(url)),
      count_is_estimate: false,
      next: null,
      previous: null,
      results: [],
    }),
  );
  render(
    <QueryClientProvider client={new QueryClient()}>
      <MemoryRouter>
        <LinkedRecords tools={toolList} entity={component} record={record} />
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe("a record's linked records", () => {
  it("counts them in one row's request, and links to their list by a name of its own", async () => {
    renderLinks(3);
    const link = await screen.findByRole("link", { name: "Test runs naming CMP-0012 (3)" });
    expect(link).toHaveAttribute("href", "/tools/testing/test-runs?component=12");
    expect(String(fetchMock.mock.calls[0]?.[0])).toContain(
      "/api/v1/testing/test-runs/?component=12&limit=1",
    );
  });

  it("says there are none, with no link to an empty list", async () => {
    renderLinks(0);
    expect(await screen.findByText("No test runs")).toBeInTheDocument();
    expect(screen.queryByRole("link")).toBeNull();
  });

  it("offers a writer of the linked tool to start the first, naming this record", async () => {
    renderLinks(0, writable);
    expect(await screen.findByText("No test runs")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "New test run for this component" })).toHaveAttribute(
      "href",
      "/tools/testing/test-runs/new?component=12",
    );
  });

  it("names each of an entity's several links by its field's label, whether it has any", async () => {
    const instruments = fieldManifest("instruments", "relation", {
      label: "Instruments",
      filter_lookups: ["exact", "in"],
      relation: { entity: "components.component", api_path: component.api_path, many: true },
    });
    const twice = { ...testRun, fields: [...testRun.fields, instruments] };
    renderLinks((url) => (url.includes("instruments=") ? 0 : 3), [
      { slug: "testing", permissions: ["read"], entities: [twice] },
    ] as unknown as ToolManifest[]);
    expect(
      await screen.findByRole("link", { name: "Test runs (Component) naming CMP-0012 (3)" }),
    ).toBeInTheDocument();
    expect(await screen.findByText("No test runs (Instruments)")).toBeInTheDocument();
  });
});
