import { render, screen } from "@testing-library/react";
import { createMemoryRouter, RouterProvider } from "react-router";

import { isStaleBuild, RouteError } from "./RouteError";

function renderFailing(error: unknown) {
  const Failing = () => {
    throw error;
  };
  const router = createMemoryRouter([
    { path: "/", element: <Failing />, errorElement: <RouteError /> },
  ]);
  return render(<RouterProvider router={router} />);
}

describe("RouteError", () => {
  beforeEach(() => vi.spyOn(console, "error").mockImplementation(() => undefined));
  afterEach(() => vi.restoreAllMocks());

  it("tells a page that failed to render, with the reason and a way out", () => {
    renderFailing(new Error("boom"));
    expect(screen.getByRole("alert")).toHaveTextContent("This page could not be shown");
    expect(screen.getByRole("alert")).toHaveTextContent("boom");
    expect(screen.getByRole("button", { name: "Reload" })).toBeInTheDocument();
  });

  it("tells a page whose code a deploy replaced to reload", () => {
    const stale = new TypeError(
      "Failed to fetch dynamically imported module: /static/app/assets/RecordListPage-abc.js",
    );
    expect(isStaleBuild(stale)).toBe(true);
    expect(isStaleBuild(new Error("boom"))).toBe(false);
    renderFailing(stale);
    expect(screen.getByRole("alert")).toHaveTextContent("This page could not be loaded");
    expect(screen.getByRole("alert")).toHaveTextContent("Toolsuite may have been updated");
  });
});
