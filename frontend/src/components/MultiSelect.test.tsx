import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";

import { MultiSelect, summary } from "./MultiSelect";

const STATUSES = [
  { value: "DRAFT", label: "Draft" },
  { value: "ACTIVE", label: "Active" },
  { value: "ARCHIVED", label: "Archived" },
];

/** A parent that keeps what is chosen, as the list keeps it in the URL. */
function StatusFilter({ onChange }: { onChange: (chosen: string[]) => void }) {
  const [chosen, setChosen] = useState<string[]>([]);
  return (
    <MultiSelect
      label="Status"
      none="Any status"
      options={STATUSES}
      chosen={chosen}
      onChange={(next) => {
        onChange(next);
        setChosen(next);
      }}
    />
  );
}

describe("MultiSelect", () => {
  it("names what is chosen in the options' order", () => {
    expect(summary(STATUSES, [], "Any status")).toBe("Any status");
    expect(summary(STATUSES, ["ARCHIVED", "DRAFT"], "Any")).toBe("Draft, Archived");
    expect(summary(STATUSES, ["GONE"], "Any")).toBe("Any");
  });

  it("reports the options chosen, in their order, and clears them", async () => {
    const user = userEvent.setup();
    const changes: string[][] = [];
    render(<StatusFilter onChange={(chosen) => changes.push(chosen)} />);

    await user.click(screen.getByRole("button", { name: "Status: Any status" }));
    await user.click(screen.getByRole("checkbox", { name: "Archived" }));
    await user.click(screen.getByRole("checkbox", { name: "Draft" }));
    await user.click(screen.getByRole("checkbox", { name: "Archived" }));
    expect(changes).toEqual([["ARCHIVED"], ["DRAFT", "ARCHIVED"], ["DRAFT"]]);
    expect(screen.getByRole("button", { name: "Status: Draft" })).toHaveAttribute(
      "aria-expanded",
      "true",
    );

    await user.click(screen.getByRole("button", { name: "Clear" }));
    expect(changes.at(-1)).toEqual([]);
  });

  it("closes on Escape, giving the focus back, and on a click elsewhere", async () => {
    const user = userEvent.setup();
    render(
      <>
        <StatusFilter onChange={() => {}} />
        <p>Elsewhere</p>
      </>,
    );
    const button = screen.getByRole("button", { name: "Status: Any status" });

    await user.click(button);
    await user.click(screen.getByRole("checkbox", { name: "Active" }));
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("checkbox")).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Status: Active" })).toHaveFocus();

    await user.click(screen.getByRole("button", { name: "Status: Active" }));
    expect(screen.getAllByRole("checkbox")).toHaveLength(3);
    await user.click(screen.getByText("Elsewhere"));
    expect(screen.queryByRole("checkbox")).not.toBeInTheDocument();
  });

  it("closes when the focus moves out of it, by Tab past its last control", async () => {
    const user = userEvent.setup();
    render(
      <>
        <StatusFilter onChange={() => {}} />
        <button type="button">Next control</button>
      </>,
    );
    await user.click(screen.getByRole("button", { name: "Status: Any status" }));
    await user.tab(); // Draft
    await user.tab(); // Active
    await user.tab(); // Archived
    expect(screen.getByRole("checkbox", { name: "Archived" })).toHaveFocus();
    await user.tab();
    expect(screen.getByRole("button", { name: "Next control" })).toHaveFocus();
    expect(screen.queryByRole("checkbox")).not.toBeInTheDocument();
  });
});
