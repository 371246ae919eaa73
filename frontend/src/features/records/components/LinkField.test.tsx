import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";

import { mockFetch, searching } from "@/test/api";
import type { EntityReference } from "@/api/types";

import { LinkField } from "./LinkField";

const COMPONENTS = [
  { id: 1, public_id: "CMP-0001", name: "Bench meter" },
  { id: 2, public_id: "CMP-0002", name: "Current probe" },
  { id: 3, public_id: "CMP-0003", name: "Voltage probe" },
];

/**
 * The field holding its value, as a form does; `changes` records each value it is given.
 * By default a many-to-many link named Instruments; `single` makes it one record at most.
 */
function renderPicker(
  initial: EntityReference[],
  changes: EntityReference[][] = [],
  { single = false, required = false, label = "Instruments" } = {},
) {
  function Holder() {
    const [value, setValue] = useState(initial);
    return (
      <LinkField
        id="instruments"
        apiPath="/api/v1/components/components/"
        label={label}
        many={!single}
        required={required}
        value={value}
        onChange={(next) => {
          changes.push(next);
          setValue(next);
        }}
      />
    );
  }
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <label htmlFor="instruments">{label}</label>
      <Holder />
    </QueryClientProvider>,
  );
  return screen.getByRole("combobox", { name: label });
}

/** The chips' text, in order. */
function chips(label = "Instruments"): (string | null)[] {
  const list = screen.queryByRole("list", { name: label });
  return list
    ? within(list)
        .getAllByRole("listitem")
        .map((item) => item.textContent)
    : [];
}

describe("LinkField, a many-to-many link", () => {
  const fetchMock = mockFetch();
  beforeEach(() => fetchMock.mockImplementation(searching(COMPONENTS)));

  it("shows the linked records by public id and name", () => {
    renderPicker([COMPONENTS[0]!, COMPONENTS[1]!]);
    expect(chips()).toEqual(["CMP-0001 Bench meter", "CMP-0002 Current probe"]);
    expect(screen.getByRole("button", { name: "Remove CMP-0002 Current probe" })).toBeVisible();
  });

  it("adds a record found by search with the keyboard, offering none chosen already", async () => {
    const user = userEvent.setup();
    const input = renderPicker([COMPONENTS[1]!]);

    await user.type(input, "probe");
    await waitFor(() =>
      expect(fetchMock.mock.calls.some(([url]) => String(url).includes("search=probe"))).toBe(true),
    );
    // Both probes match; the one linked already is not offered again.
    await waitFor(() => expect(screen.getAllByRole("option")).toHaveLength(1));
    expect(screen.getByRole("option")).toHaveTextContent("CMP-0003 Voltage probe");
    await user.keyboard("{ArrowDown}{Enter}");

    expect(chips()).toEqual(["CMP-0002 Current probe", "CMP-0003 Voltage probe"]);
    expect(input).toHaveValue("");
    expect(input).toHaveFocus();
    await user.keyboard("{ArrowDown}");
    await user.keyboard("{Escape}");
    expect(input).toHaveAttribute("aria-expanded", "false");
  });

  it("keeps the records in the order picked, not by id or name", async () => {
    const user = userEvent.setup();
    const changes: EntityReference[][] = [];
    const input = renderPicker([], changes);

    for (const term of ["voltage", "bench", "current"]) {
      await user.type(input, term);
      await waitFor(() => expect(screen.getAllByRole("option")).toHaveLength(1));
      await user.keyboard("{ArrowDown}{Enter}");
    }
    expect(chips()).toEqual([
      "CMP-0003 Voltage probe",
      "CMP-0001 Bench meter",
      "CMP-0002 Current probe",
    ]);
    await user.click(screen.getByRole("button", { name: "Remove CMP-0001 Bench meter" }));
    expect(chips()).toEqual(["CMP-0003 Voltage probe", "CMP-0002 Current probe"]);
    expect(changes.map((value) => value.map((record) => record.id))).toEqual([
      [3],
      [3, 1],
      [3, 1, 2],
      [3, 2],
    ]);
  });

  it("removes a record by its button or by Backspace or Delete, keeping the focus nearby", async () => {
    const user = userEvent.setup();
    const changes: EntityReference[][] = [];
    const input = renderPicker([...COMPONENTS], changes);

    await user.click(screen.getByRole("button", { name: "Remove CMP-0001 Bench meter" }));
    expect(chips()).toEqual(["CMP-0002 Current probe", "CMP-0003 Voltage probe"]);
    // The focus moves to the next record's button, where Delete removes that one.
    const next = screen.getByRole("button", { name: "Remove CMP-0002 Current probe" });
    expect(next).toHaveFocus();
    await user.keyboard("{Delete}");
    expect(chips()).toEqual(["CMP-0003 Voltage probe"]);
    expect(screen.getByRole("button", { name: "Remove CMP-0003 Voltage probe" })).toHaveFocus();
    await user.keyboard("{Backspace}");
    // The last one gone, the focus returns to the search.
    expect(chips()).toEqual([]);
    expect(input).toHaveFocus();
    expect(changes.map((value) => value.map((record) => record.id))).toEqual([[2, 3], [3], []]);
  });
});

describe("LinkField, a single link", () => {
  const fetchMock = mockFetch();
  beforeEach(() => fetchMock.mockImplementation(searching(COMPONENTS)));
  const single = { single: true, label: "Component" };

  it("shows the linked record by public id and name", () => {
    renderPicker([COMPONENTS[0]!], [], single);
    expect(chips("Component")).toEqual(["CMP-0001 Bench meter"]);
    expect(screen.getByRole("combobox", { name: "Component" })).toHaveAttribute(
      "placeholder",
      "Choose another: type a name or id",
    );
  });

  it("replaces the record with one found by typing its name, by the keyboard", async () => {
    const user = userEvent.setup();
    const changes: EntityReference[][] = [];
    const input = renderPicker([COMPONENTS[0]!], changes, single);

    await user.type(input, "current");
    await waitFor(() => expect(screen.getAllByRole("option")).toHaveLength(1));
    await user.keyboard("{ArrowDown}");
    expect(input).toHaveAttribute("aria-activedescendant", screen.getByRole("option").id);
    await user.keyboard("{Enter}");

    expect(chips("Component")).toEqual(["CMP-0002 Current probe"]);
    expect(changes.map((value) => value.map((record) => record.id))).toEqual([[2]]);
    expect(input).toHaveValue("");
    expect(input).toHaveFocus();
  });

  it("closes the matches on Escape, keeping the record", async () => {
    const user = userEvent.setup();
    const changes: EntityReference[][] = [];
    const input = renderPicker([COMPONENTS[0]!], changes, single);
    await user.type(input, "probe");
    await waitFor(() => expect(screen.getAllByRole("option")).toHaveLength(2));
    await user.keyboard("{Escape}");
    expect(input).toHaveAttribute("aria-expanded", "false");
    expect(chips("Component")).toEqual(["CMP-0001 Bench meter"]);
    expect(changes).toEqual([]);
  });

  it("removes an optional link's record, the focus back on the search", async () => {
    const user = userEvent.setup();
    const changes: EntityReference[][] = [];
    const input = renderPicker([COMPONENTS[0]!], changes, single);
    await user.click(screen.getByRole("button", { name: "Remove CMP-0001 Bench meter" }));
    expect(chips("Component")).toEqual([]);
    expect(changes).toEqual([[]]);
    expect(input).toHaveFocus();
  });

  it("offers no removal of a required link's record, only another", () => {
    renderPicker([COMPONENTS[0]!], [], { ...single, required: true });
    expect(chips("Component")).toEqual(["CMP-0001 Bench meter"]);
    expect(screen.queryByRole("button", { name: /Remove/ })).not.toBeInTheDocument();
  });
});
