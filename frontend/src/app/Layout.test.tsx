import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { act, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useEffect, useState } from "react";
import { createMemoryRouter, RouterProvider, useLocation } from "react-router";

import { json, mockFetch } from "@/test/api";
import { componentEntity, componentsTool } from "@/test/manifest";

import { Layout } from "./Layout";

const fetchMock = mockFetch();

const tool = componentsTool([{ ...componentEntity(), label_plural: "Parts" }]);

function Page() {
  const location = useLocation();
  return <h1>Page at {location.pathname}</h1>;
}

/** A page whose heading comes once its data is read, as a record's does. */
function LoadingPage() {
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    const timer = setTimeout(() => setLoaded(true), 50);
    return () => clearTimeout(timer);
  }, []);
  return loaded ? <h1>Loaded page</h1> : <p>Loading…</p>;
}

/** A page that puts the focus in its first field itself. */
function FieldPage() {
  return (
    <>
      <h1>Field page</h1>
      <input aria-label="Name" autoFocus />
    </>
  );
}

function renderLayout(path = "/activity", tools = [tool]) {
  fetchMock.mockImplementation(async (url) =>
    String(url).includes("/tools/")
      ? json(200, { tools, integrations: { linear: false } })
      : json(200, { id: 1, name: "Dev User" }),
  );
  const router = createMemoryRouter(
    [
      {
        element: <Layout />,
        children: [
          { path: "/loading", element: <LoadingPage /> },
          { path: "/field", element: <FieldPage /> },
          { path: "*", element: <Page /> },
        ],
      },
    ],
    { initialEntries: [path] },
  );
  render(
    <QueryClientProvider client={new QueryClient()}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return router;
}

/** The narrow screen's menu button (the side bar is there too, hidden by CSS jsdom lacks). */
const menuButton = () => screen.getByRole("button", { name: "Menu" });
const menu = () => document.getElementById(menuButton().getAttribute("aria-controls") ?? "");

describe("the narrow screen's menu", () => {
  it("is a button named Menu that says whether it is open, and the brand links home", async () => {
    const user = userEvent.setup();
    renderLayout();
    expect(menuButton()).toHaveAttribute("aria-expanded", "false");
    expect(menu()).toBeNull();
    await user.click(menuButton());
    expect(menuButton()).toHaveAttribute("aria-expanded", "true");
    expect(menu()).toBeInTheDocument();
    const brands = screen.getAllByRole("link", { name: "Toolsuite" });
    expect(brands.map((link) => link.getAttribute("href"))).toEqual(["/", "/"]);
  });

  it("lists what the side bar lists: home, activity and each tool's lists", async () => {
    const user = userEvent.setup();
    renderLayout();
    await user.click(menuButton());
    await within(menu()!).findByRole("link", { name: "Parts" });
    const links = within(menu()!).getAllByRole("link");
    expect(links.map((link) => [link.textContent?.trim(), link.getAttribute("href")])).toEqual([
      ["All tools", "/"],
      ["Activity", "/activity"],
      ["Parts", "/tools/components/components"],
    ]);
  });

  it("closes on Escape and gives the focus back to its button", async () => {
    const user = userEvent.setup();
    renderLayout();
    await user.click(menuButton());
    (await within(menu()!).findByRole("link", { name: "Activity" })).focus();
    await user.keyboard("{Escape}");
    expect(menu()).toBeNull();
    expect(menuButton()).toHaveFocus();
    expect(menuButton()).toHaveAttribute("aria-expanded", "false");
  });

  it("closes on a click outside it", async () => {
    const user = userEvent.setup();
    renderLayout();
    await user.click(menuButton());
    await user.click(screen.getByRole("heading", { name: "Page at /activity" }));
    expect(menu()).toBeNull();
  });

  it("closes once a link in it is followed", async () => {
    const user = userEvent.setup();
    renderLayout();
    await user.click(menuButton());
    await user.click(await within(menu()!).findByRole("link", { name: "Parts" }));
    expect(
      await screen.findByRole("heading", { name: "Page at /tools/components/components" }),
    ).toBeInTheDocument();
    expect(menu()).toBeNull();
  });
});

describe("the side bar of a caller with no tools", () => {
  it("offers no Activity: there is nothing they may read there", async () => {
    renderLayout("/", []);
    expect(await screen.findByText("Dev User")).toBeInTheDocument();
    await vi.waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(2));
    expect(screen.getAllByRole("link", { name: "All tools" })).toHaveLength(1);
    expect(screen.queryByRole("link", { name: "Activity" })).toBeNull();
  });
});

describe("the skip link", () => {
  it("is the first thing Tab reaches, and moves the focus to the page's main landmark", async () => {
    const user = userEvent.setup();
    renderLayout();
    await user.tab();
    const skip = screen.getByRole("link", { name: "Skip to content" });
    expect(skip).toHaveFocus();
    await user.keyboard("{Enter}");
    const main = screen.getByRole("main");
    expect(main).toHaveFocus();
    expect(main).toContainElement(screen.getByRole("heading", { name: "Page at /activity" }));
  });
});

describe("the side bar", () => {
  it("names a tool whose one list is named as it once: its link, with its icon", async () => {
    const purchases = {
      ...componentsTool([
        { ...componentEntity(), label: "Purchase request", label_plural: "Purchase requests" },
      ]),
      slug: "purchasing",
      name: "Purchase requests",
    };
    renderLayout("/activity", [purchases, tool]);
    const nav = (await screen.findAllByRole("navigation", { name: "Tools" }))[0]!;
    await within(nav).findByRole("link", { name: "Purchase requests" });
    expect(within(nav).getAllByText("Purchase requests")).toHaveLength(1);
    // A tool named otherwise keeps its name above its lists.
    expect(within(nav).getByText("Components")).toBeInTheDocument();
    expect(within(nav).getByRole("link", { name: "Parts" })).toBeInTheDocument();
  });
});

describe("the focus after a navigation", () => {
  it("stays where the browser put it on the first load", async () => {
    renderLayout();
    expect(await screen.findByRole("heading", { name: "Page at /activity" })).not.toHaveFocus();
    expect(document.body).toHaveFocus();
  });

  it("moves to the new page's heading, which is no tab stop", async () => {
    const user = userEvent.setup();
    renderLayout("/activity");
    const nav = (await screen.findAllByRole("navigation", { name: "Tools" }))[0]!;
    await user.click(await within(nav).findByRole("link", { name: "Parts" }));
    const heading = screen.getByRole("heading", { name: "Page at /tools/components/components" });
    expect(heading).toHaveFocus();
    expect(heading).toHaveAttribute("tabindex", "-1");
  });

  it("waits for a heading that comes once the page's data is read", async () => {
    const router = renderLayout("/activity");
    await act(() => router.navigate("/loading"));
    expect(await screen.findByRole("heading", { name: "Loaded page" })).toHaveFocus();
  });

  it("stays on the control that changed only the query string, as a list's filters do", async () => {
    const router = renderLayout("/activity");
    menuButton().focus();
    await act(() => router.navigate("/activity?tool=components"));
    expect(menuButton()).toHaveFocus();
  });

  it("is left where the new page put it", async () => {
    const router = renderLayout("/activity");
    await act(() => router.navigate("/field"));
    expect(screen.getByRole("textbox", { name: "Name" })).toHaveFocus();
  });
});
