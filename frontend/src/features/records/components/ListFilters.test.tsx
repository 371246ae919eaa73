import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { ApiError } from "@/api/client";
import { json, mockFetch } from "@/test/api";
import type { ToolManifest } from "@/api/types";
import { componentEntity, componentsTool, fieldManifest } from "@/test/manifest";

import { ListFilters } from "./ListFilters";
import { ListRefusal } from "./ListRefusal";

const fetchMock = mockFetch();

const entity = {
  ...componentEntity([
    fieldManifest("created_at", "datetime", { label: "Created", read_only: true }),
    fieldManifest("created_by", "user", { label: "Created by", filter_lookups: ["exact"] }),
    fieldManifest("unit_cost", "decimal", {
      label: "Unit cost",
      min: "0",
      decimal_places: 2,
      filter_lookups: ["exact", "gte", "lte"],
    }),
    fieldManifest("supplier", "string", { label: "Supplier", filter_lookups: ["icontains"] }),
    fieldManifest("datasheet_url", "url", { label: "Datasheet", filter_lookups: ["icontains"] }),
  ]),
  filters: ["created_by", "tag", "created_after", "created_before"],
};

function renderFilters(query = "", refused?: Record<string, string[]>) {
  fetchMock.mockImplementation(async () => json(200, { id: 1, name: "Dev User" }));
  const update = vi.fn();
  render(
    <QueryClientProvider client={new QueryClient()}>
      <ListFilters
        entity={entity}
        params={new URLSearchParams(query)}
        update={update}
        refused={refused}
      />
    </QueryClientProvider>,
  );
  return update;
}

async function openPanel(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByRole("button", { name: /^Filters/ }));
}

describe("a filter's value, checked before it is sent", () => {
  it.each([
    ["abc", "Enter a number like 1234.50, without thousands separators."],
    ["1e400", "Enter a number like 1234.50, without thousands separators."],
    ["-1", "Ensure this value is greater than or equal to 0."],
    ["0.125", "Ensure that there are no more than 2 decimal places."],
  ])("does not send %s and says why beside the input", async (typed, reason) => {
    const user = userEvent.setup();
    const update = renderFilters();
    await openPanel(user);
    const from = screen.getByLabelText("Unit cost from");
    await user.type(from, typed);
    expect(await screen.findByText(reason)).toBeInTheDocument();
    expect(from).toHaveAttribute("aria-invalid", "true");
    expect(from).toHaveAccessibleDescription(reason);
    expect(update).not.toHaveBeenCalled();
  });

  it("sends a valid value, and a corrected one clears the message", async () => {
    const user = userEvent.setup();
    const update = renderFilters();
    await openPanel(user);
    const from = screen.getByLabelText("Unit cost from");
    await user.type(from, "abc");
    await screen.findByText("Enter a number like 1234.50, without thousands separators.");
    await user.clear(from);
    await user.type(from, "2.5");
    await waitFor(() => expect(update).toHaveBeenCalledWith({ unit_cost__gte: "2.5" }));
    expect(
      screen.queryByText("Enter a number like 1234.50, without thousands separators."),
    ).toBeNull();
    expect(from).toHaveAttribute("aria-invalid", "false");
  });

  it("takes any text for a text field's contains, a URL's included", async () => {
    const user = userEvent.setup();
    const update = renderFilters();
    await openPanel(user);
    await user.type(screen.getByLabelText("Datasheet contains"), "example");
    await waitFor(() =>
      expect(update).toHaveBeenCalledWith({ datasheet_url__icontains: "example" }),
    );
  });

  it("shows a range's ends labelled on screen, not by a placeholder", async () => {
    const user = userEvent.setup();
    renderFilters();
    await openPanel(user);
    const from = screen.getByLabelText("Unit cost from");
    expect(from).not.toHaveAttribute("placeholder");
    expect(document.querySelector(`label[for="${from.id}"]`)).toHaveTextContent("from");
  });

  it("shows the API's refusal of the value sent under its filter", async () => {
    renderFilters("unit_cost__lte=1" + "0".repeat(60), {
      unit_cost__lte: ["Ensure this value is less than or equal to 1e+50."],
    });
    const to = screen.getByLabelText("Unit cost to");
    expect(to).toHaveAttribute("aria-invalid", "true");
    expect(to).toHaveAccessibleDescription("Ensure this value is less than or equal to 1e+50.");
  });
});

describe("the search box", () => {
  it("says which fields search looks in, as the manifest lists them", () => {
    renderFilters();
    expect(screen.getByRole("searchbox", { name: "Search" })).toHaveAttribute(
      "placeholder",
      "Search public id, name, description, part number, supplier",
    );
  });

  it("keeps an abbreviation's capitals", () => {
    fetchMock.mockImplementation(async () => json(200, { id: 1, name: "Dev User" }));
    const searched = { ...entity, searched_fields: [{ name: "datasheet_url", label: "URL" }] };
    render(
      <QueryClientProvider client={new QueryClient()}>
        <ListFilters entity={searched} params={new URLSearchParams()} update={vi.fn()} />
      </QueryClientProvider>,
    );
    expect(screen.getByRole("searchbox", { name: "Search" })).toHaveAttribute(
      "placeholder",
      "Search URL",
    );
  });
});

describe("the Filters button's count", () => {
  it("counts each value the panel's filters hold: both ends, each tag, a person picked", () => {
    renderFilters(
      "unit_cost__gte=1&unit_cost__lte=2&tag=a&tag=b&created_by=7&search=x&status=ACTIVE&include_archived=true",
    );
    expect(screen.getByRole("button", { name: "Filters (5)" })).toBeInTheDocument();
  });

  it("leaves out created by me, which its checkbox shows", async () => {
    renderFilters("created_by=1&supplier__icontains=mou");
    expect(await screen.findByRole("checkbox", { name: "Created by me" })).toBeChecked();
    expect(screen.getByRole("button", { name: "Filters (1)" })).toBeInTheDocument();
  });
});

describe("the list's refusal", () => {
  const refusal = new ApiError(
    400,
    {
      detail: "Invalid input: unit_cost__gte.",
      code: "invalid",
      errors: { unit_cost__gte: ["Ensure this value is less than or equal to 1e+50."] },
    },
    null,
  );

  it("names the filter by its label, not its parameter, and clears it", async () => {
    const user = userEvent.setup();
    const update = vi.fn();
    render(
      <ListRefusal
        entity={entity}
        error={refusal}
        params={new URLSearchParams("unit_cost__gte=1e400")}
        update={update}
      />,
    );
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent(
      "Unit cost from: Ensure this value is less than or equal to 1e+50.",
    );
    expect(alert).not.toHaveTextContent("unit_cost__gte");
    await user.click(screen.getByRole("button", { name: "Clear this filter: Unit cost from" }));
    expect(update).toHaveBeenCalledWith({ unit_cost__gte: "" });
  });
});

describe("a link the list is filtered to any of (`__in`)", () => {
  const COMPONENTS = "/api/v1/components/components/";
  const linked = componentEntity([
    fieldManifest("executed_by", "user", { label: "Executed by", filter_lookups: ["exact", "in"] }),
    fieldManifest("instruments", "relation", {
      label: "Instruments",
      filter_lookups: ["exact", "in"],
      relation: { entity: "components.component", api_path: COMPONENTS, many: true },
    }),
  ]);
  const people: Record<string, string> = { "2": "Ada Lovelace", "3": "Bob Builder" };

  function renderLinked(query: string) {
    fetchMock.mockImplementation(async (url) => {
      const { pathname } = new URL(String(url), window.location.origin);
      const [, kind, id = ""] =
        /^\/api\/v1\/(users|components\/components)\/(\d+)\/$/.exec(pathname) ?? [];
      if (kind === "users") return json(200, { id: Number(id), name: people[id] ?? "" });
      if (id === "403") return json(403, { detail: "Not yours.", code: "permission_denied" });
      if (kind) return json(200, { id: Number(id), public_id: `CMP-000${id}`, name: `Part ${id}` });
      return json(200, { id: 1, name: "Dev User" });
    });
    const update = vi.fn();
    // A refused read is not tried again, as the app's client does not (`shouldRetry`).
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(
      <QueryClientProvider client={client}>
        <ListFilters entity={linked} params={new URLSearchParams(query)} update={update} />
      </QueryClientProvider>,
    );
    return update;
  }

  it("names the records and the people in a chip each, which removes the filter", async () => {
    const user = userEvent.setup();
    const update = renderLinked("instruments__in=2,6&executed_by__in=2&executed_by__in=3");
    expect(
      await screen.findByText("Instruments: CMP-0002 Part 2, CMP-0006 Part 6"),
    ).toBeInTheDocument();
    expect(await screen.findByText("Executed by: Ada Lovelace, Bob Builder")).toBeInTheDocument();
    // Shown as chips, they leave the panel closed.
    expect(screen.getByRole("button", { name: "Filters (3)" })).toHaveAttribute(
      "aria-expanded",
      "false",
    );

    await user.click(
      screen.getByRole("button", {
        name: "Remove the filter Instruments: CMP-0002 Part 2, CMP-0006 Part 6",
      }),
    );
    expect(update).toHaveBeenCalledWith({ instruments__in: "" });
  });

  it("says which of them the caller cannot see, when reading it is refused", async () => {
    renderLinked("instruments__in=2,403");
    expect(
      await screen.findByText("Instruments: CMP-0002 Part 2, a record you cannot see (id 403)"),
    ).toBeInTheDocument();
  });
});

describe("a link to a tool the caller may not read", () => {
  const COMPONENTS = "/api/v1/components/components/";
  const runs = {
    ...componentEntity([
      fieldManifest("component", "relation", {
        label: "Component",
        filter_lookups: ["exact"],
        relation: { entity: "components.component", api_path: COMPONENTS, many: false },
      }),
    ]),
    name: "testing.testrun",
  };

  function renderWith(tools: ToolManifest[], query = "") {
    fetchMock.mockImplementation(async () => json(200, { id: 1, name: "Dev User" }));
    const client = new QueryClient();
    client.setQueryData(["manifest"], { tools, integrations: { linear: false } });
    render(
      <QueryClientProvider client={client}>
        <ListFilters entity={runs} params={new URLSearchParams(query)} update={vi.fn()} />
      </QueryClientProvider>,
    );
  }

  it("names a record the list is filtered by (a shared view's) as one the caller cannot see", () => {
    renderWith([], "component=4");
    expect(
      screen.getByRole("button", {
        name: "Remove the filter Component: a record you cannot see (id 4)",
      }),
    ).toBeInTheDocument();
    const asked = fetchMock.mock.calls.map(([url]) => String(url));
    expect(asked.filter((url) => url.includes(COMPONENTS))).toEqual([]);
  });

  it("is no filter of the panel: the manifest lists only the tools the caller may read", async () => {
    const user = userEvent.setup();
    renderWith([]);
    await user.click(screen.getByRole("button", { name: /^Filters/ }));
    expect(screen.queryByRole("combobox", { name: /Component/ })).toBeNull();
  });

  it("is one when the caller may read the linked tool", async () => {
    const user = userEvent.setup();
    renderWith([componentsTool([componentEntity()])]);
    await user.click(screen.getByRole("button", { name: /^Filters/ }));
    expect(screen.getByRole("combobox", { name: /Component/ })).toBeInTheDocument();
  });
});
