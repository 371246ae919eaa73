import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import type { EntityManifest, ToolManifest } from "@/api/types";
import { json, mockFetch } from "@/test/api";
import { componentEntity, componentsTool, fieldManifest, testingTool } from "@/test/manifest";
import { RECORD_PAGES, renderRoutes } from "@/test/routes";

const API_PATH = "/api/v1/testing/test-runs/";
const COMPONENTS = "/api/v1/components/components/";

const entity = {
  name: "testing.testrun",
  label: "Test run",
  label_plural: "Test runs",
  api_path: API_PATH,
  fields: [
    fieldManifest("name", "string", { label: "Name", required: true }),
    fieldManifest("status", "choice", { label: "Status", read_only: true }),
    fieldManifest("component", "relation", {
      label: "Component",
      relation: { entity: "components.component", api_path: COMPONENTS, many: false },
      filter_lookups: ["exact", "in"],
    }),
    fieldManifest("result", "choice", {
      label: "Result",
      choices: [
        { value: "PASS", label: "Pass" },
        { value: "FAIL", label: "Fail" },
      ],
      filter_lookups: ["exact", "in"],
    }),
    fieldManifest("operator", "user", { label: "Operator", filter_lookups: ["exact"] }),
    fieldManifest("measured_value", "decimal", {
      label: "Measured value",
      filter_lookups: ["gte", "lte"],
    }),
  ],
  filters: [],
  searched_fields: [{ name: "name", label: "Name" }],
  statuses: [],
  transitions: [],
  default_ordering: ["-created_at"],
} as unknown as EntityManifest;

const tool = testingTool([entity]);

/** The components tool, which the caller may read: a test run's component is theirs to pick. */
const components = componentsTool([componentEntity()]);

const fetchMock = mockFetch();

/** The API: component 4 is CMP-0004 Probe, person 7 Ada; a create answers with its body. */
function serve(): Record<string, unknown>[] {
  const created: Record<string, unknown>[] = [];
  fetchMock.mockImplementation(async (url, init) => {
    const { pathname } = new URL(String(url), window.location.origin);
    if (pathname === `${COMPONENTS}4/`)
      return json(200, { id: 4, public_id: "CMP-0004", name: "Probe" });
    if (pathname === "/api/v1/users/7/") return json(200, { id: 7, name: "Ada" });
    if (pathname === API_PATH && init?.method === "POST") {
      const body = JSON.parse(String(init.body)) as Record<string, unknown>;
      created.push(body);
      return json(201, { id: 1, public_id: "TST-0001", ...body });
    }
    if (pathname === API_PATH) {
      return json(200, {
        count: 0,
        count_is_estimate: false,
        next: null,
        previous: null,
        results: [],
      });
    }
    return json(404, { detail: "Not found.", code: "not_found" });
  });
  return created;
}

function renderAt(path: string, tools: ToolManifest[] = [tool, components]) {
  return renderRoutes(path, tools, [
    RECORD_PAGES.list,
    RECORD_PAGES.create,
    { path: "/tools/:tool/:entity/:id", element: <p>The record&apos;s page</p> },
  ]);
}

describe("a new record from a filtered list", () => {
  it("is reached by a New link carrying the list's plain equality filters on a link, a person or a choice", async () => {
    serve();
    const router = renderAt(
      "/tools/testing/test-runs?component=4&result=PASS&operator=7&search=probe&measured_value__gte=1&result__in=PASS,FAIL&ordering=name",
    );
    await screen.findByText("No records match these filters.");
    const link = screen.getByRole("link", { name: "New test run" });
    const target = new URL(link.getAttribute("href") ?? "", "http://app");
    expect(target.pathname).toBe("/tools/testing/test-runs/new");
    expect([...target.searchParams]).toEqual([
      ["component", "4"],
      ["result", "PASS"],
      ["operator", "7"],
    ]);
    await userEvent.setup().click(link);
    expect(router.state.location.search).toBe("?component=4&result=PASS&operator=7");
  });

  it("starts with those values, which the user can change, and sends them", async () => {
    const user = userEvent.setup();
    const created = serve();
    renderAt("/tools/testing/test-runs/new?component=4&result=PASS&operator=7");
    const chips = await screen.findByRole("list", { name: "Component" });
    expect(within(chips).getByText("CMP-0004 Probe")).toBeInTheDocument();
    expect(screen.getByLabelText("Result")).toHaveDisplayValue("Pass");
    expect(await screen.findByText("Ada")).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText("Result"), "FAIL");
    await user.type(screen.getByLabelText(/Name/), "Probe check");
    await user.click(screen.getByRole("button", { name: "Create test run" }));
    await screen.findByText("The record's page");
    expect(created).toEqual([{ name: "Probe check", component: 4, result: "FAIL", operator: 7 }]);
  });

  it("starts empty where a filter is not a plain value of a field it may set", async () => {
    serve();
    renderAt("/tools/testing/test-runs/new?component=99&result=MAYBE&measured_value__gte=1");
    expect(await screen.findByLabelText("Result")).toHaveDisplayValue("—");
    expect(screen.queryByRole("list", { name: "Component" })).not.toBeInTheDocument();
    expect(screen.getByLabelText("Measured value")).toHaveValue("");
  });
});

describe("a record that must link a tool the caller may not read", () => {
  /** Testing, whose test runs each need a component, for a caller who may not read Components. */
  const needingComponents = {
    ...tool,
    entities: [
      {
        ...entity,
        fields: entity.fields.map((field) =>
          field.name === "component" ? { ...field, required: true } : field,
        ),
      },
    ],
  };
  const refusal =
    "Creating test runs also needs 'components:read': each links Component, whose records " +
    "you may not read.";

  it("is not offered on the list: its New link gives way to the permission it needs", async () => {
    serve();
    renderAt("/tools/testing/test-runs", [needingComponents]);
    await screen.findByText("No test runs yet.");
    expect(screen.queryByRole("link", { name: "New test run" })).toBeNull();
    expect(screen.getByText(refusal)).toBeInTheDocument();
  });

  it("has no form, but a page saying so, with the way back to the list", async () => {
    serve();
    const router = renderAt("/tools/testing/test-runs/new", [needingComponents]);
    expect(await screen.findByText("You may not create test runs.")).toBeInTheDocument();
    expect(screen.getByText(refusal)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Create test run" })).toBeNull();
    await userEvent.setup().click(screen.getByRole("link", { name: "Back to test runs" }));
    expect(router.state.location.pathname).toBe("/tools/testing/test-runs");
  });

  it("is offered when the link is optional: its value is shown read only", async () => {
    serve();
    renderAt("/tools/testing/test-runs/new", [tool]);
    expect(await screen.findByRole("button", { name: "Create test run" })).toBeInTheDocument();
  });
});
