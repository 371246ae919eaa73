/** What a reader of a tool (`<tool>:read` alone) is told where a writer gets its controls. */
import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { json, mockFetch } from "@/test/api";
import { componentEntity, componentsTool, fieldManifest } from "@/test/manifest";
import { RECORD_PAGES, renderRoutes } from "@/test/routes";

const API_PATH = "/api/v1/components/components/";
const entity = {
  ...componentEntity([fieldManifest("name", "string", { label: "Name" })]),
  transitions: [],
  default_ordering: ["-created_at"],
};
const reader = componentsTool([entity]);
const record = { id: 7, public_id: "CMP-0007", name: "Probe", status: "DRAFT" };
const NOTE = "You can view Components but not change it (ask for 'components:write').";

const fetchMock = mockFetch();

function renderAt(path: string, tools = [reader]) {
  fetchMock.mockImplementation(async (url) => {
    const { pathname } = new URL(String(url), window.location.origin);
    if (pathname === `${API_PATH}CMP-0007/`) return json(200, record);
    const results = pathname === API_PATH ? [record] : [];
    return json(200, {
      count: results.length,
      count_is_estimate: false,
      next: null,
      previous: null,
      results,
    });
  });
  return renderRoutes(path, tools, Object.values(RECORD_PAGES));
}

describe("a reader", () => {
  it("is told on the list why it offers no New, and which permission would", async () => {
    renderAt("/tools/components/components");
    expect(await screen.findByRole("link", { name: "Probe" })).toBeInTheDocument();
    expect(screen.getByText(NOTE)).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: /New component/ })).toBeNull();
  });

  it("is told on a record's page why it offers no Edit", async () => {
    renderAt("/tools/components/components/CMP-0007");
    expect(await screen.findByRole("heading", { name: /Probe/ })).toBeInTheDocument();
    expect(screen.getByText(NOTE)).toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "Edit" })).toBeNull();
  });

  it.each([
    ["create", "/new", "Creating", "Back to components", ""],
    ["edit", "/CMP-0007/edit", "Editing", "Back to CMP-0007", "/CMP-0007"],
  ])(
    "opening a %s page is told they may not, why, and led back",
    async (verb, page, doing, back, backTo) => {
      const router = renderAt(`/tools/components/components${page}`);
      expect(screen.getByText(`You may not ${verb} components.`)).toBeInTheDocument();
      expect(
        screen.getByText(`${doing} components needs 'components:write'; you may only read them.`),
      ).toBeInTheDocument();
      await userEvent.setup().click(screen.getByRole("link", { name: back }));
      expect(router.state.location.pathname).toBe(`/tools/components/components${backTo}`);
    },
  );

  it("is not a writer: a writer gets no such line", async () => {
    renderAt("/tools/components/components", [{ ...reader, permissions: ["read", "write"] }]);
    expect(await screen.findByRole("link", { name: "Probe" })).toBeInTheDocument();
    expect(screen.queryByText(NOTE)).toBeNull();
  });
});
