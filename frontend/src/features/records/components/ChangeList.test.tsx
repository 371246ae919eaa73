import { render, screen } from "@testing-library/react";

import type { EntityManifest } from "@/api/types";
import { fieldManifest } from "@/test/manifest";

import { ChangeList, EntryComment } from "./ChangeList";

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

  it("names the record's files, one after another, none as a dash", () => {
    render(
      <ChangeList
        entity={entity}
        tools={[]}
        changes={{ attachments: { old: [], new: ["Datasheet.pdf", "Quote.pdf"] } }}
      />,
    );
    expect(screen.getAllByRole("row")[1]).toHaveTextContent("Attachments—Datasheet.pdf, Quote.pdf");
  });

  it("shows a key it does not know as it is, its values as JSON", () => {
    render(<ChangeList entity={null} tools={[]} changes={{ legacy: { old: "a", new: 2 } }} />);
    expect(screen.getByRole("rowheader")).toHaveTextContent("legacy");
    expect(screen.getAllByRole("cell").map((cell) => cell.textContent)).toEqual(['"a"', "2"]);
  });
});

describe("EntryComment", () => {
  it("quotes an entry's comment", () => {
    render(<EntryComment entry={{ comment: "Reviewed by QA", reverted: null }} />);
    expect(screen.getByText("“Reviewed by QA”")).toBeInTheDocument();
  });

  it("says a revert's reverted change in the reader's zone, not the API's UTC", () => {
    const reverted = { id: 9, timestamp: "2026-12-06T21:12:00Z", actor_label: "Dev User" };
    const comment = "Reverted the change of 6 Dec 2026, 21:12 UTC by Dev User.";
    render(<EntryComment entry={{ comment, reverted }} />);
    // The tests run in Berlin's zone: 22:12 there.
    expect(
      screen.getByText("“Reverted the change of Dec 6, 2026, 10:12 PM by Dev User.”"),
    ).toBeInTheDocument();
  });

  it("names no one for a change made by no one", () => {
    const reverted = { id: 9, timestamp: "2026-12-06T21:12:00Z", actor_label: "" };
    render(<EntryComment entry={{ comment: "Reverted the change of …", reverted }} />);
    expect(screen.getByText("“Reverted the change of Dec 6, 2026, 10:12 PM.”")).toBeInTheDocument();
  });

  it("shows nothing for an entry with no comment", () => {
    const { container } = render(<EntryComment entry={{ comment: "", reverted: null }} />);
    expect(container).toBeEmptyDOMElement();
  });
});
