import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useForm, useWatch } from "react-hook-form";

import { setTokenSource } from "@/api/client";
import type { FieldManifest } from "@/api/types";
import { fieldManifest } from "@/test/manifest";

import { formValues, requestBody, type FormValues } from "../fields";
import { FieldInput } from "./FieldInput";

const PEOPLE = [
  { id: 7, name: "Ada Lovelace" },
  { id: 8, name: "Grace Hopper" },
];

const borrower = fieldManifest("borrower", "user", { label: "Borrower", nullable: true });

function PersonForm({ field, start }: { field: FieldManifest; start: FormValues }) {
  const { control } = useForm<FormValues>({ defaultValues: start });
  const values = useWatch({ control }) as FormValues;
  return (
    <>
      <FieldInput field={field} control={control} serverErrors={[]} />
      <output data-testid="body">{JSON.stringify(requestBody([field], values))}</output>
    </>
  );
}

function renderForm(field: FieldManifest, record?: Record<string, unknown>) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const start = formValues([field], record as never);
  render(
    <QueryClientProvider client={client}>
      <PersonForm field={field} start={start} />
    </QueryClientProvider>,
  );
}

const body = () => JSON.parse(screen.getByTestId("body").textContent ?? "{}");

describe("FieldInput for a person", () => {
  const fetchMock = vi.fn<typeof fetch>();

  beforeEach(() => {
    fetchMock.mockReset();
    fetchMock.mockImplementation(async (url) => {
      const address = new URL(String(url), "http://app");
      const one = address.pathname.match(/\/users\/(\d+)\/$/);
      const found = one
        ? PEOPLE.find((person) => person.id === Number(one[1]))
        : {
            count: 1,
            results: PEOPLE.filter((person) =>
              person.name.toLowerCase().includes(address.searchParams.get("search") ?? ""),
            ),
          };
      return new Response(JSON.stringify(found), {
        headers: { "Content-Type": "application/json" },
      });
    });
    vi.stubGlobal("fetch", fetchMock);
    setTokenSource(async () => null);
  });

  afterEach(() => vi.unstubAllGlobals());

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

  it("shows the record's person by name, and an optional one can be removed", async () => {
    const user = userEvent.setup();
    renderForm(borrower, { borrower: { id: 7, name: "Ada Lovelace" } });
    expect(await screen.findByText("Ada Lovelace")).toBeInTheDocument();
    expect(body()).toEqual({ borrower: 7 });
    await user.click(screen.getByRole("button", { name: "Remove" }));
    expect(screen.queryByText("Ada Lovelace")).not.toBeInTheDocument();
    expect(body()).toEqual({});
  });

  it("offers no removal of a required person", async () => {
    renderForm(fieldManifest("borrower", "user", { label: "Borrower", required: true }), {
      borrower: { id: 7, name: "Ada Lovelace" },
    });
    expect(await screen.findByText("Ada Lovelace")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Remove" })).not.toBeInTheDocument();
  });
});
