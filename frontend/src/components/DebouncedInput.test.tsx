import { act, fireEvent, render, screen } from "@testing-library/react";
import { useState } from "react";

import { DebouncedInput } from "./DebouncedInput";

/** A parent that stores what the input reports, as the list stores it in the URL. */
function Search({ onCommit }: { onCommit: (value: string) => void }) {
  const [value, setValue] = useState("");
  return (
    <DebouncedInput
      aria-label="Search"
      value={value}
      onCommit={(next) => {
        onCommit(next);
        setValue(next);
      }}
    />
  );
}

describe("DebouncedInput", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("reports the trimmed text once the user pauses, and keeps the space being typed", () => {
    const commits: string[] = [];
    render(<Search onCommit={(value) => commits.push(value)} />);
    const input = screen.getByLabelText("Search");

    fireEvent.change(input, { target: { value: "hall " } });
    act(() => vi.advanceTimersByTime(300));
    expect(commits).toEqual(["hall"]);
    expect(input).toHaveValue("hall ");

    fireEvent.change(input, { target: { value: "hall sensor" } });
    act(() => vi.advanceTimersByTime(300));
    expect(commits).toEqual(["hall", "hall sensor"]);
  });

  it("reports nothing while the text says what the value already is", () => {
    const commits: string[] = [];
    render(<Search onCommit={(value) => commits.push(value)} />);
    const input = screen.getByLabelText("Search");
    fireEvent.change(input, { target: { value: "x" } });
    act(() => vi.advanceTimersByTime(300));
    fireEvent.change(input, { target: { value: "x " } });
    act(() => vi.advanceTimersByTime(3000));
    fireEvent.keyDown(input, { key: "Enter" });
    expect(commits).toEqual(["x"]);
  });
});
