import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter } from "react-router";

import type { EntityRecord } from "@/api/types";
import { componentEntity, componentsTool, fieldManifest } from "@/test/manifest";

import { describeOrdering, RecordTable } from "./RecordTable";

const entity = componentEntity([
  fieldManifest("public_id", "string", { label: "Public id", read_only: true, sortable: true }),
  fieldManifest("name", "string", { label: "Name", sortable: true }),
  fieldManifest("supplier", "string", { label: "Supplier" }),
  fieldManifest("unit_cost", "decimal", { label: "Unit cost", sortable: true, decimal_places: 2 }),
  fieldManifest("created_at", "datetime", { label: "Created", read_only: true, sortable: true }),
]);

const tool = componentsTool([entity]);
const record = {
  id: 1,
  public_id: "CMP-0001",
  name: "Resistor",
  supplier: "Mouser",
  unit_cost: "20000.5",
};

function renderTable(ordering: string) {
  const onOrder = vi.fn();
  render(
    <MemoryRouter>
      <RecordTable
        tool={tool}
        entity={entity}
        tools={[tool]}
        records={[record as unknown as EntityRecord]}
        ordering={ordering}
        onOrder={onOrder}
      />
    </MemoryRouter>,
  );
  return onOrder;
}

const header = (name: string) => screen.getByRole("columnheader", { name });

describe("the table's order", () => {
  it("says the default order, newest first, though its column is not shown", () => {
    renderTable("-created_at");
    expect(screen.getByRole("table")).toHaveAccessibleName("Sorted by Created, newest first");
    expect(header("Name")).toHaveAttribute("aria-sort", "none");
    expect(header("Unit cost")).toHaveAttribute("aria-sort", "none");
  });

  it("marks the sorted column's header, and only sortable headers are buttons", async () => {
    const user = userEvent.setup();
    const onOrder = renderTable("-unit_cost");
    expect(header("Unit cost")).toHaveAttribute("aria-sort", "descending");
    expect(header("Supplier")).not.toHaveAttribute("aria-sort");
    expect(screen.queryByRole("button", { name: "Supplier" })).toBeNull();
    expect(screen.getByRole("table")).toHaveAccessibleName("Sorted by Unit cost, highest first");
    await user.click(screen.getByRole("button", { name: "Name" }));
    expect(onOrder).toHaveBeenCalledWith("name");
  });

  it("words each type's direction", () => {
    expect(describeOrdering(entity, "name")).toBe("Sorted by Name, A to Z");
    expect(describeOrdering(entity, "-name")).toBe("Sorted by Name, Z to A");
    expect(describeOrdering(entity, "created_at")).toBe("Sorted by Created, oldest first");
    expect(describeOrdering(entity, "unit_cost")).toBe("Sorted by Unit cost, lowest first");
    expect(describeOrdering(entity, "nonsense")).toBeNull();
  });
});

describe("the table's cells", () => {
  it("show a number in the user's grouping with its field's places, right-aligned under its header", () => {
    renderTable("name");
    const cost = screen.getByRole("cell", { name: "20,000.50" });
    expect(cost).toHaveClass("text-right");
    expect(header("Unit cost")).toHaveClass("text-right");
    expect(screen.getByRole("cell", { name: "Mouser" })).not.toHaveClass("text-right");
  });

  it("cut a long name short, its whole value in the link's title and name", () => {
    renderTable("name");
    const name = screen.getByRole("link", { name: "Resistor" });
    expect(name).toHaveClass("truncate");
    expect(name).toHaveAttribute("title", "Resistor");
  });
});
