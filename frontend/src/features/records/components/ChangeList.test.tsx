import { render, screen } from "@testing-library/react";

import type { EntityManifest } from "@/api/types";
import { fieldManifest } from "@/test/manifest";

import { ChangeList } from "./ChangeList";

const entity = {
  fields: [fieldManifest("supplier", "string", { label: "Supplier" })],
  statuses: [],
} as unknown as EntityManifest;

describe("ChangeList", () => {
  it("names fields by their label, and a Linear issue's changes in words, their values as text", () => {
    render(
      <ChangeList
        entity={entity}
        tools={[]}
        changes={{
          supplier: { old: "Mouser", new: "Digi-Key" },
          linear_issue: { old: null, new: "ENG-42" },
          linear_issue_state: { old: "Todo", new: "Done" },
        }}
      />,
    );
    const rows = screen.getAllByRole("row").slice(1);
    expect(rows.map((row) => row.textContent)).toEqual([
      "SupplierMouserDigi-Key",
      "Linear issue—ENG-42",
      "Linear stateTodoDone",
    ]);
  });

  it("shows a key it does not know as it is, its values as JSON", () => {
    render(<ChangeList entity={null} tools={[]} changes={{ legacy: { old: "a", new: 2 } }} />);
    expect(screen.getByRole("rowheader")).toHaveTextContent("legacy");
    expect(screen.getAllByRole("cell").map((cell) => cell.textContent)).toEqual(['"a"', "2"]);
  });
});
