import { renderHook } from "@testing-library/react";

import { useSingleFlight } from "./useSingleFlight";

describe("useSingleFlight", () => {
  it("drops a task started while another runs, and runs the next one after", async () => {
    const { result } = renderHook(() => useSingleFlight());
    let finish = () => {};
    const task = vi.fn(() => new Promise<void>((resolve) => (finish = resolve)));

    const first = result.current(task);
    await result.current(task);
    expect(task).toHaveBeenCalledTimes(1);

    finish();
    await first;
    const third = result.current(task);
    finish();
    await third;
    expect(task).toHaveBeenCalledTimes(2);
  });

  it("is free again after a task fails", async () => {
    const { result } = renderHook(() => useSingleFlight());
    await expect(result.current(() => Promise.reject(new Error("no")))).rejects.toThrow("no");
    const task = vi.fn(async () => undefined);
    await result.current(task);
    expect(task).toHaveBeenCalledTimes(1);
  });
});
