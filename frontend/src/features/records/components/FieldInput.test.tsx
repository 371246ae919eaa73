import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useForm, useWatch } from "react-hook-form";

import type { FieldManifest, ToolManifest } from "@/api/types";
import { json, mockFetch } from "@/test/api";
import { componentEntity, componentsTool, fieldManifest } from "@/test/manifest";

import { formValues, requestBody, type FormValues } from "../fields";
import { FieldInput } from "./FieldInput";

const PEOPLE = [
  { id: 7, name: "Ada Lovelace" },
  { id: 8, name: "Grace Hopper" },
];

/** Someone who left: named by id, never listed to choose from. */
const LEFT = { id: 9, name: "Alan Turing", is_active: false };

const COMPONENTS = [
  { id: 1, public_id: "CMP-0001", name: "Thin film resistor" },
  { id: 2, public_id: "CMP-0002", name: "M3 standoff" },
];

const borrower = fieldManifest("borrower", "user", { label: "Borrower", nullable: true });
const component = fieldManifest("component", "relation", {
  label: "Component",
  nullable: true,
  relation: {
    entity: "components.component",
    api_path: "/api/v1/components/components/",
    many: false,
  },
});

function FieldForm({
  field,
  start,
  serverErrors,
}: {
  field: FieldManifest;
  start: FormValues;
  serverErrors: string[];
}) {
  const { control } = useForm<FormValues>({ defaultValues: start });
  const values = useWatch({ control }) as FormValues;
  return (
    <>
      <FieldInput field={field} control={control} serverErrors={serverErrors} />
      <output data-testid="body">{JSON.stringify(requestBody([field], values))}</output>
    </>
  );
}

/** The field in a form of its own, holding `record`'s value; the body it would send is shown. */
function renderForm(
  field: FieldManifest,
  record?: Record<string, unknown>,
  serverErrors = [],
  tools?: ToolManifest[],
) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  if (tools) client.setQueryData(["manifest"], { tools, integrations: { linear: false } });
  const start = formValues([field], record as never);
  render(
    <QueryClientProvider client={client}>
      <FieldForm field={field} start={start} serverErrors={serverErrors} />
    </QueryClientProvider>,
  );
}

const body = () => JSON.parse(screen.getByTestId("body").textContent ?? "{}");

/** The API's people and components: one by id, or those whose name (or public id) holds `search`. */
function directory(url: string | URL | Request): Response {
  const address = new URL(String(url), "http://app");
  const term = (address.searchParams.get("search") ?? "").toLowerCase();
  const one = address.pathname.match(/\/users\/(\d+)\/$/);
  if (one)
    return json(
      200,
      [...PEOPLE, LEFT].find((person) => person.id === Number(one[1])),
    );
  const records: { name: string; public_id?: string }[] = address.pathname.includes("/users/")
    ? PEOPLE
    : COMPONENTS;
  const results = records.filter((record) =>
    `${record.public_id ?? ""} ${record.name}`.toLowerCase().includes(term),
  );
  return json(200, { count: results.length, results });
}

describe("FieldInput for a person", () => {
  const fetchMock = mockFetch();
  beforeEach(() => fetchMock.mockImplementation(async (url) => directory(url)));

  it("picks someone by name from the people directory and sends their id", async () => {
    const user = userEvent.setup();
    renderForm(borrower);
    await user.type(screen.getByRole("combobox", { name: "Borrower" }), "grace");
    await waitFor(() => expect(screen.getAllByRole("option")).toHaveLength(1));
    const [url] = fetchMock.mock.calls.at(-1)!;
    expect(String(url)).toContain("/api/v1/users/?search=grace");
    await user.click(screen.getByRole("option", { name: "Grace Hopper" }));
    expect(body()).toEqual({ borrower: 8 });
    expect(await screen.findByText("Grace Hopper")).toBeInTheDocument();
  });

  it("hints at finding people by name only, as their email is never searched", () => {
    renderForm(borrower);
    expect(screen.getByRole("combobox", { name: "Borrower" })).toHaveAccessibleDescription(
      /^Type part of their name\.\s*$/,
    );
  });

  it("shows the record's person by name, and an optional one can be removed", async () => {
    const user = userEvent.setup();
    renderForm(borrower, { borrower: { id: 7, name: "Ada Lovelace" } });
    expect(await screen.findByText("Ada Lovelace")).toBeInTheDocument();
    expect(body()).toEqual({ borrower: 7 });
    await user.click(screen.getByRole("button", { name: "Remove" }));
    expect(screen.queryByText("Ada Lovelace")).not.toBeInTheDocument();
    expect(body()).toEqual({});
  });

  it("shows a deactivated person the record names, marked, and sends them back unchanged", async () => {
    renderForm(borrower, { borrower: LEFT });
    const mark = await screen.findByText("(deactivated)");
    expect(mark.parentElement).toHaveTextContent("Alan Turing (deactivated)");
    expect(body()).toEqual({ borrower: 9 });
  });

  it("offers no removal of a required person", async () => {
    renderForm(fieldManifest("borrower", "user", { label: "Borrower", required: true }), {
      borrower: { id: 7, name: "Ada Lovelace" },
    });
    expect(await screen.findByText("Ada Lovelace")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Remove" })).not.toBeInTheDocument();
  });
});

describe("FieldInput for a single link", () => {
  const fetchMock = mockFetch();
  beforeEach(() => fetchMock.mockImplementation(async (url) => directory(url)));

  it("picks a record by typing part of its name, shows it, and sends its id", async () => {
    const user = userEvent.setup();
    renderForm(component);
    const picker = screen.getByRole("combobox", { name: "Component" });
    await user.type(picker, "M3 stand");
    await waitFor(() => expect(screen.getAllByRole("option")).toHaveLength(1));
    await user.keyboard("{ArrowDown}{Enter}");
    expect(screen.getByRole("list", { name: "Component" })).toHaveTextContent(
      "CMP-0002 M3 standoff",
    );
    expect(body()).toEqual({ component: 2 });
  });

  it("shows the record's link by public id and name, and an optional one is removed", async () => {
    const user = userEvent.setup();
    renderForm(component, { component: COMPONENTS[0] });
    expect(screen.getByRole("list", { name: "Component" })).toHaveTextContent(
      "CMP-0001 Thin film resistor",
    );
    expect(body()).toEqual({ component: 1 });
    await user.click(screen.getByRole("button", { name: "Remove CMP-0001 Thin film resistor" }));
    expect(screen.queryByRole("list", { name: "Component" })).not.toBeInTheDocument();
    expect(body()).toEqual({});
  });
});

describe("FieldInput's messages", () => {
  mockFetch();
  const quantity = fieldManifest("quantity", "integer", { label: "Quantity" });

  it.each([
    ["a text input", quantity, "textbox"],
    ["a link's search", component, "combobox"],
    ["a person's search", borrower, "combobox"],
  ] as const)("are read with %s, which is marked invalid", (_, field, role) => {
    const reason = "No component with id 'CMP-9999'.";
    renderForm(field, undefined, [reason] as never);
    const input = screen.getByRole(role, { name: field.label });
    expect(input).toHaveAttribute("aria-invalid", "true");
    expect(input).toHaveAccessibleDescription(expect.stringContaining(reason));
  });

  it("leave an input with none unmarked", () => {
    renderForm(component);
    const input = screen.getByRole("combobox", { name: "Component" });
    expect(input).toHaveAttribute("aria-invalid", "false");
    expect(input).toHaveAccessibleDescription(
      /^Type a name or public id, then choose the record\.\s*$/,
    );
  });
});

describe("a link to a tool the caller may not read", () => {
  const fetchMock = mockFetch();

  it("shows the record's value read only, as the record shows it, with no picker, and sends nothing", async () => {
    renderForm(component, { component: COMPONENTS[1] }, [], []);
    const shown = await screen.findByLabelText("Component");
    expect(shown).toHaveValue("CMP-0002 M3 standoff");
    expect(shown).toHaveAttribute("readonly");
    expect(shown).toHaveAccessibleDescription(
      expect.stringContaining("You cannot read these records"),
    );
    expect(screen.queryByRole("combobox")).toBeNull();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("is picked as ever when the caller may read it", async () => {
    renderForm(component, { component: COMPONENTS[1] }, [], [componentsTool([componentEntity()])]);
    expect(await screen.findByRole("combobox", { name: "Component" })).toBeInTheDocument();
  });
});
