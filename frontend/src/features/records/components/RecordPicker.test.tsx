import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { mockFetch, searching } from "@/test/api";

import { RecordPicker } from "./RecordPicker";

const COMPONENTS = [
  { id: 1, public_id: "CMP-0001", name: "Thin film resistor" },
  { id: 2, public_id: "CMP-0002", name: "Thick film resistor" },
];

/** The picker, in a form whose submits `onSubmit` is told of. */
function renderPicker(onPick: (record: { id: number }) => void, onSubmit = () => {}) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onSubmit();
        }}
      >
        <label htmlFor="component">Component</label>
        <RecordPicker id="component" apiPath="/api/v1/components/components/" onPick={onPick} />
        <button type="submit">Save</button>
      </form>
    </QueryClientProvider>,
  );
  return screen.getByRole("combobox", { name: "Component" });
}

describe("RecordPicker", () => {
  const fetchMock = mockFetch();
  beforeEach(() => fetchMock.mockImplementation(searching(COMPONENTS)));

  it("searches the entity by the text typed, and picks a match with the keyboard", async () => {
    const user = userEvent.setup();
    const picked: { id: number }[] = [];
    const input = renderPicker((record) => picked.push(record));

    await user.type(input, "thick");
    // The first matches (of no text) show at once; the typed text's once the user pauses.
    await waitFor(() => expect(screen.getAllByRole("option")).toHaveLength(1));
    expect(screen.getByRole("option")).toHaveTextContent("CMP-0002 Thick film resistor");
    const [url] = fetchMock.mock.calls.at(-1)!;
    expect(String(url)).toContain("search=thick");
    expect(String(url)).toContain("fields=id%2Cpublic_id%2Cname");

    // Nothing is taken until the arrows reach a match.
    await user.keyboard("{Enter}");
    expect(picked).toEqual([]);
    await user.keyboard("{ArrowDown}");
    expect(input).toHaveAttribute("aria-activedescendant", screen.getByRole("option").id);
    await user.keyboard("{Enter}");
    expect(picked).toEqual([COMPONENTS[1]]);
    expect(input).toHaveValue("");
    expect(input).toHaveAttribute("aria-expanded", "false");
  });

  it("is left by Tab for the next control, its open list no tab stop of its own", async () => {
    const user = userEvent.setup();
    const input = renderPicker(() => {});
    await user.click(input);
    await waitFor(() => expect(screen.getAllByRole("option")).toHaveLength(2));
    expect(screen.getByRole("listbox")).toHaveAttribute("tabindex", "-1");
    await user.tab();
    expect(screen.getByRole("button", { name: "Save" })).toHaveFocus();
    expect(input).toHaveAttribute("aria-expanded", "false");
  });

  it("offers no match of an older text while the one typed is searched for", async () => {
    const user = userEvent.setup();
    const picked: { id: number }[] = [];
    const submitted = vi.fn();
    const input = renderPicker((record) => picked.push(record), submitted);
    await user.click(input);
    // The first matches, of no text, show at once.
    await waitFor(() => expect(screen.getAllByRole("option")).toHaveLength(2));

    // Typed, and taken before the search of what was typed: nothing is taken, nor submitted.
    await user.type(input, "thick{ArrowDown}{Enter}");
    expect(picked).toEqual([]);
    expect(submitted).not.toHaveBeenCalled();
    expect(screen.queryAllByRole("option")).toEqual([]);
    expect(screen.getByRole("listbox")).toHaveTextContent("Searching…");
    await waitFor(() => expect(screen.getAllByRole("option")).toHaveLength(1));
  });

  it("wraps around the matches, picks one by a click, and says when none match", async () => {
    const user = userEvent.setup();
    const picked: { id: number }[] = [];
    const input = renderPicker((record) => picked.push(record));

    await user.type(input, "film");
    await screen.findAllByRole("option", { name: /film/ });
    await user.keyboard("{ArrowUp}");
    expect(screen.getByRole("option", { selected: true })).toHaveTextContent("CMP-0002");
    await user.keyboard("{ArrowDown}");
    expect(screen.getByRole("option", { selected: true })).toHaveTextContent("CMP-0001");
    await user.click(screen.getByRole("option", { name: /CMP-0002/ }));
    expect(picked).toEqual([COMPONENTS[1]]);

    await user.type(input, "capacitor");
    expect(await screen.findByText("No match")).toBeInTheDocument();
    await user.keyboard("{Escape}");
    expect(input).toHaveAttribute("aria-expanded", "false");
  });

  it("says when the search failed, and tries again", async () => {
    const user = userEvent.setup();
    const search = fetchMock.getMockImplementation()!;
    let failing = true;
    fetchMock.mockImplementation(async (url, init) =>
      failing ? new Response("{}", { status: 500 }) : search(url, init),
    );
    const input = renderPicker(() => {});

    await user.type(input, "thick");
    // The failure of the typed term's search, not of the first one (of no text).
    await waitFor(() =>
      expect(fetchMock.mock.calls.some(([url]) => String(url).includes("search=thick"))).toBe(true),
    );
    const retry = await screen.findByRole("button", { name: "Try again" });
    expect(retry.closest("li")).toHaveTextContent("The search failed. Try again");
    expect(screen.queryByText("No match")).not.toBeInTheDocument();
    failing = false;
    await user.click(retry);
    expect(await screen.findByRole("option", { name: /CMP-0002/ })).toBeInTheDocument();
    expect(input).toHaveFocus();
  });
});
