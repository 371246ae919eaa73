import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { json, mockFetch, searching } from "@/test/api";
import { componentEntity, componentsTool, fieldManifest } from "@/test/manifest";
import { personAnswer } from "@/test/shownValues";

import { BulkEditDialog } from "./BulkEditDialog";

const fetchMock = mockFetch();

const API = "/api/v1/components/components/";

const entity = componentEntity([
  fieldManifest("supplier", "string", { label: "Supplier" }),
  fieldManifest("tags", "tags", { label: "Tags" }),
  fieldManifest("unit_cost", "decimal", { label: "Unit cost", decimal_places: 2 }),
  fieldManifest("successor", "relation", {
    label: "Successor",
    nullable: true,
    relation: { entity: "components.component", api_path: API, many: false },
  }),
  fieldManifest("spares", "relation", {
    label: "Spares",
    relation: { entity: "components.component", api_path: API, many: true },
  }),
  fieldManifest("borrower", "user", { label: "Borrower", nullable: true }),
]);

const ticked = [
  { id: 1, public_id: "CMP-0001", name: "Thin film resistor" },
  { id: 2, public_id: "CMP-0002", name: "Ceramic capacitor" },
];

interface Sent {
  method: string;
  url: string;
  body: unknown;
}

/** The bulk writes answered as the API would (`refuse` answers instead, given); each noted. */
function serve(refuse?: (request: Sent) => Response | undefined): Sent[] {
  const sent: Sent[] = [];
  fetchMock.mockImplementation(async (url, init) => {
    const request = {
      method: init?.method ?? "GET",
      url: String(url),
      body: init?.body ? JSON.parse(String(init.body)) : null,
    };
    sent.push(request);
    const refusal = refuse?.(request);
    if (refusal) return refusal;
    const person = personAnswer(request.url);
    if (person) return json(200, person);
    if (request.url.includes("/users/")) {
      return json(200, { count: 1, results: [{ id: 7, name: "Ada Lovelace" }] });
    }
    if (request.method === "GET") return searching(ticked)(request.url);
    if (request.url.endsWith("bulk/tags/")) {
      return json(200, { changed: ticked, unchanged: [] });
    }
    return json(200, ticked);
  });
  return sent;
}

function renderDialog(tools = [componentsTool([entity])]) {
  const applied = vi.fn();
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  client.setQueryData(["manifest"], { tools, integrations: {} });
  render(
    <QueryClientProvider client={client}>
      <BulkEditDialog entity={entity} records={ticked} onApplied={applied} onClose={() => {}} />
    </QueryClientProvider>,
  );
  return { applied, dialog: screen.getByRole("dialog", { name: "Edit 2 components" }) };
}

async function chooseTags(user: ReturnType<typeof userEvent.setup>, dialog: HTMLElement) {
  await user.selectOptions(within(dialog).getByLabelText(/field to change/i), "Tags");
}

describe("BulkEditDialog's tags", () => {
  it("adds the tags named to each record's, by default, in one request", async () => {
    const user = userEvent.setup();
    const sent = serve();
    const { applied, dialog } = renderDialog();
    await chooseTags(user, dialog);

    expect(within(dialog).getByLabelText("How to change Tags")).toHaveValue("add");
    await user.type(within(dialog).getByLabelText("Tags"), "urgent, new");
    expect(dialog).toHaveTextContent("Add “urgent” and “new” to 2 components.");
    await user.click(within(dialog).getByRole("button", { name: "Apply" }));

    expect(sent).toEqual([
      {
        method: "PATCH",
        url: `${API}bulk/`,
        body: [
          { id: 1, add_tags: ["urgent", "new"] },
          { id: 2, add_tags: ["urgent", "new"] },
        ],
      },
    ]);
    expect(applied).toHaveBeenCalledWith(2);
  });

  it("sets the other fields and removes the tags in one request, when both are chosen", async () => {
    const user = userEvent.setup();
    const sent = serve();
    const { applied, dialog } = renderDialog();
    await user.selectOptions(within(dialog).getByLabelText(/field to change/i), "Supplier");
    await user.type(within(dialog).getByLabelText("Supplier"), "Mouser");
    await chooseTags(user, dialog);
    await user.selectOptions(within(dialog).getByLabelText("How to change Tags"), "remove");
    await user.type(within(dialog).getByLabelText("Tags"), "old");
    expect(dialog).toHaveTextContent(
      "Set Supplier to “Mouser” on 2 components, and remove “old” from them.",
    );
    await user.click(within(dialog).getByRole("button", { name: "Apply" }));

    expect(sent.map(({ method, url }) => `${method} ${url}`)).toEqual([`PATCH ${API}bulk/`]);
    expect(sent[0]!.body).toEqual([
      { id: 1, supplier: "Mouser", remove_tags: ["old"] },
      { id: 2, supplier: "Mouser", remove_tags: ["old"] },
    ]);
    expect(applied).toHaveBeenCalledWith(2);
  });

  it("replaces each record's tags through the bulk update when asked to", async () => {
    const user = userEvent.setup();
    const sent = serve();
    const { dialog } = renderDialog();
    await chooseTags(user, dialog);
    await user.selectOptions(within(dialog).getByLabelText("How to change Tags"), "replace");
    await user.type(within(dialog).getByLabelText("Tags"), "only");
    expect(dialog).toHaveTextContent("Set Tags to “only” on 2 components.");
    await user.click(within(dialog).getByRole("button", { name: "Apply" }));

    expect(sent).toEqual([
      {
        method: "PATCH",
        url: `${API}bulk/`,
        body: [
          { id: 1, tags: ["only"] },
          { id: 2, tags: ["only"] },
        ],
      },
    ]);
  });

  it("asks for a tag to add instead of sending none", async () => {
    const user = userEvent.setup();
    const sent = serve();
    const { applied, dialog } = renderDialog();
    await chooseTags(user, dialog);
    expect(dialog).toHaveTextContent("Tags needs a value.");
    await user.click(within(dialog).getByRole("button", { name: "Apply" }));

    expect(within(dialog).getByText("Name at least one tag.")).toBeVisible();
    expect(within(dialog).getByLabelText("Tags")).toHaveFocus();
    expect(sent).toEqual([]);
    expect(applied).not.toHaveBeenCalled();
  });

  it("names each record the API refused to tag, and why", async () => {
    const user = userEvent.setup();
    serve(({ url }) =>
      url.endsWith("bulk/")
        ? json(400, {
            detail: "1 of 2 failed; nothing was written.",
            code: "invalid",
            errors: [
              {
                index: 1,
                errors: { tags: ["A record holds at most 50 tags; this would make 51."] },
              },
            ],
          })
        : undefined,
    );
    const { applied, dialog } = renderDialog();
    await chooseTags(user, dialog);
    await user.type(within(dialog).getByLabelText("Tags"), "one more");
    await user.click(within(dialog).getByRole("button", { name: "Apply" }));

    const alert = await within(dialog).findByRole("alert");
    expect(alert).toHaveTextContent("1 of 2 failed; nothing was written.");
    const refused = within(alert).getByRole("list", { name: "Records refused" });
    expect(refused).toHaveTextContent("CMP-0002 Ceramic capacitor");
    expect(refused).toHaveTextContent("Tags: A record holds at most 50 tags; this would make 51.");
    expect(applied).not.toHaveBeenCalled();
  });
});

describe("BulkEditDialog's values", () => {
  it("says what to fix in a value refused, and applies nothing until it is fixed", async () => {
    const user = userEvent.setup();
    const sent = serve();
    const { applied, dialog } = renderDialog();
    await user.selectOptions(within(dialog).getByLabelText(/field to change/i), "Unit cost");
    const cost = within(dialog).getByLabelText("Unit cost");
    await user.type(cost, "abc");
    expect(dialog).toHaveTextContent(
      "Unit cost: Enter a number like 1234.50, without thousands separators.",
    );
    expect(dialog).not.toHaveTextContent("abc”");

    await user.click(within(dialog).getByRole("button", { name: "Apply" }));
    expect(cost).toHaveFocus();
    expect(cost).toHaveAttribute("aria-invalid", "true");
    expect(cost).toHaveAccessibleDescription(
      expect.stringContaining("Enter a number like 1234.50, without thousands separators."),
    );
    expect(sent).toEqual([]);

    await user.clear(cost);
    await user.type(cost, "0.25");
    expect(dialog).toHaveTextContent("Set Unit cost to “0.25” on 2 components.");
    await user.click(within(dialog).getByRole("button", { name: "Apply" }));
    await vi.waitFor(() => expect(applied).toHaveBeenCalledWith(2));
    expect(sent.map(({ body }) => body)).toEqual([
      [
        { id: 1, unit_cost: "0.25" },
        { id: 2, unit_cost: "0.25" },
      ],
    ]);
  });

  it("sets a single link picked by name on every record", async () => {
    const user = userEvent.setup();
    const sent = serve();
    const { applied, dialog } = renderDialog();
    await user.selectOptions(within(dialog).getByLabelText(/field to change/i), "Successor");
    const picker = within(dialog).getByRole("combobox", { name: "Successor" });
    expect(picker).toHaveFocus();
    await user.type(picker, "ceramic");
    await within(dialog).findByRole("option", { name: /CMP-0002/ });
    await user.keyboard("{ArrowDown}{Enter}");
    expect(dialog).toHaveTextContent(
      "Set Successor to “CMP-0002 Ceramic capacitor” on 2 components.",
    );
    await user.click(within(dialog).getByRole("button", { name: "Apply" }));
    await vi.waitFor(() => expect(applied).toHaveBeenCalledWith(2));
    expect(sent.filter(({ method }) => method === "PATCH").map(({ body }) => body)).toEqual([
      [
        { id: 1, successor: 2 },
        { id: 2, successor: 2 },
      ],
    ]);
  });

  it("names the person picked in the summary by their name", async () => {
    const user = userEvent.setup();
    const sent = serve();
    const { applied, dialog } = renderDialog();
    await user.selectOptions(within(dialog).getByLabelText(/field to change/i), "Borrower");
    await user.type(within(dialog).getByRole("combobox", { name: "Borrower" }), "ada");
    await within(dialog).findByRole("option", { name: "Ada Lovelace" });
    await user.keyboard("{ArrowDown}{Enter}");
    expect(
      await within(dialog).findByText("Set Borrower to “Ada Lovelace” on 2 components."),
    ).toBeVisible();
    await user.click(within(dialog).getByRole("button", { name: "Apply" }));
    await vi.waitFor(() => expect(applied).toHaveBeenCalledWith(2));
    expect(sent.filter(({ method }) => method === "PATCH").map(({ body }) => body)).toEqual([
      [
        { id: 1, borrower: 7 },
        { id: 2, borrower: 7 },
      ],
    ]);
  });

  it("applies nothing while a person's picker holds text never picked, and says so", async () => {
    const user = userEvent.setup();
    const sent = serve();
    const { applied, dialog } = renderDialog();
    await user.selectOptions(within(dialog).getByLabelText(/field to change/i), "Borrower");
    const borrower = within(dialog).getByRole("combobox", { name: "Borrower" });
    await user.type(borrower, "zed");
    await user.click(within(dialog).getByRole("button", { name: "Apply" }));
    const reason = "Choose a person from the list, or clear the text.";
    expect(await within(dialog).findByText(reason)).toBeVisible();
    expect(borrower).toHaveAccessibleDescription(expect.stringContaining(reason));
    expect(borrower).toHaveFocus();
    expect(sent.filter(({ method }) => method === "PATCH")).toEqual([]);
    expect(applied).not.toHaveBeenCalled();
  });

  it("keeps a many-to-many link's records in the order picked: chips, summary and request", async () => {
    const user = userEvent.setup();
    const sent = serve();
    const { applied, dialog } = renderDialog();
    await user.selectOptions(within(dialog).getByLabelText(/field to change/i), "Spares");
    const picker = within(dialog).getByRole("combobox", { name: "Spares" });
    for (const term of ["ceramic", "thin"]) {
      await user.type(picker, term);
      await within(dialog).findByRole("option", { name: new RegExp(term, "i") });
      await user.keyboard("{ArrowDown}{Enter}");
    }
    const chips = within(within(dialog).getByRole("list", { name: "Spares" })).getAllByRole(
      "listitem",
    );
    expect(chips.map((chip) => chip.textContent)).toEqual([
      "CMP-0002 Ceramic capacitor",
      "CMP-0001 Thin film resistor",
    ]);
    expect(dialog).toHaveTextContent(
      "Set Spares to “CMP-0002 Ceramic capacitor, CMP-0001 Thin film resistor” on 2 components.",
    );
    await user.click(within(dialog).getByRole("button", { name: "Apply" }));
    await vi.waitFor(() => expect(applied).toHaveBeenCalledWith(2));
    expect(sent.filter(({ method }) => method === "PATCH").map(({ body }) => body)).toEqual([
      [
        { id: 1, spares: [2, 1] },
        { id: 2, spares: [2, 1] },
      ],
    ]);
  });
});

describe("BulkEditDialog's fields", () => {
  it("leaves out a link to a tool the caller may not read, which the API would refuse", () => {
    serve();
    const { dialog } = renderDialog([]);
    const choices = within(within(dialog).getByLabelText(/field to change/i)).getAllByRole(
      "option",
    );
    const labels = choices.map((option) => option.textContent);
    expect(labels).toContain("Borrower");
    expect(labels).not.toContain("Successor");
    expect(labels).not.toContain("Spares");
  });
});
