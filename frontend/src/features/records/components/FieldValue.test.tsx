/** The record's page and its list show a value in the words every other place uses. */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import { MemoryRouter } from "react-router";

import { json, mockFetch } from "@/test/api";
import { componentsTool } from "@/test/manifest";
import { SHOWN, personAnswer, shownEntity } from "@/test/shownValues";

import { FieldValue } from "./FieldValue";

const fetchMock = mockFetch();
const tools = [componentsTool([shownEntity])];

function renderValue(props: Omit<Parameters<typeof FieldValue>[0], "statuses" | "tools">) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter>
        <p data-testid="value">
          <FieldValue statuses={[]} tools={tools} {...props} />
        </p>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe("FieldValue", () => {
  beforeEach(() =>
    fetchMock.mockImplementation(async (url) => {
      const person = personAnswer(String(url));
      return person ? json(200, person) : json(404, { detail: "Not found.", code: "not_found" });
    }),
  );

  it.each(SHOWN)("shows a $field.type ($field.name) as $shown", ({ field, record, shown }) => {
    renderValue({ field, value: record, inline: true });
    expect(screen.getByTestId("value")).toHaveTextContent(shown, { normalizeWhitespace: false });
  });

  it("links each linked record by its public id and name, one a line on the record's page", () => {
    const [, , , , , , spares] = SHOWN;
    renderValue({ field: spares!.field, value: spares!.record });
    const capacitor = screen.getByRole("link", { name: "CMP-0002 Ceramic capacitor" });
    expect(capacitor).toHaveAttribute("href", expect.stringMatching(/\/CMP-0002$/));
    expect(capacitor.parentElement).toHaveClass("flex-col");
    expect(screen.getByRole("link", { name: "CMP-0007 Buck converter" })).toBeVisible();
  });

  it("underlines a linked record's link, which its colour alone does not set apart from text", () => {
    const [, , , , , , spares] = SHOWN;
    renderValue({ field: spares!.field, value: spares!.record, inline: true });
    expect(screen.getByRole("link", { name: "CMP-0002 Ceramic capacitor" })).toHaveClass(
      "underline",
    );
  });

  it("names a person an audit entry holds by id, once read", async () => {
    const [, , ada] = SHOWN;
    renderValue({ field: ada!.field, value: 7 });
    expect(await screen.findByText("Ada Lovelace")).toBeVisible();
  });

  it("marks a deactivated person in words and muted, held by a record or by id", async () => {
    const [, , ada] = SHOWN;
    const left = { id: 9, name: "Alan Turing", is_active: false };
    fetchMock.mockImplementation(async () => json(200, left));
    renderValue({ field: ada!.field, value: left });
    expect(screen.getByTestId("value")).toHaveTextContent("Alan Turing (deactivated)");
    expect(screen.getByText(/Alan Turing/)).toHaveClass("text-slate-500");
    renderValue({ field: ada!.field, value: 9 });
    await waitFor(() => expect(screen.getAllByText("(deactivated)")).toHaveLength(2));
  });

  it("shows an empty value as a dash", () => {
    renderValue({ field: SHOWN[0]!.field, value: null });
    expect(screen.getByTestId("value")).toHaveTextContent("—");
  });
});
