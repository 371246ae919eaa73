import { savedView as view } from "@/test/savedView";

import { currentView, groupViews, normalisedQuery, queryPairs, sameQuery } from "./query";

describe("normalisedQuery", () => {
  it("sorts the pairs and drops the page, as the API keeps a view's query", () => {
    // The API's own example (docs/api.md, "Saved views").
    expect(
      normalisedQuery("status=ACTIVE&status=DRAFT&search=sensor&ordering=-name&limit=50"),
    ).toBe("ordering=-name&search=sensor&status=ACTIVE&status=DRAFT");
    expect(normalisedQuery("?offset=50&cursor=abc&format=json&limit=25&tag=i2c")).toBe("tag=i2c");
  });

  it("leaves out blank values and keeps each pair once", () => {
    expect(normalisedQuery("category=&search=%20&status=DRAFT&status=DRAFT")).toBe("status=DRAFT");
    expect(normalisedQuery("")).toBe("");
    expect(normalisedQuery("limit=100&offset=0")).toBe("");
  });

  it("reads URLSearchParams as the list's URL holds them", () => {
    const params = new URLSearchParams([
      ["search", "hall sensor"],
      ["status", "DRAFT"],
    ]);
    expect(normalisedQuery(params)).toBe("search=hall+sensor&status=DRAFT");
  });
});

describe("sameQuery", () => {
  it("takes two spellings of one list as one", () => {
    expect(
      sameQuery(
        "?search=hall%20sensor&status=B&status=A",
        "status=A&search=hall+sensor&status=B&limit=50",
      ),
    ).toBe(true);
    expect(sameQuery("created_after=2026-01-01T00%3A00", "created_after=2026-01-01T00:00")).toBe(
      true,
    );
  });

  it("tells lists apart by any value or order", () => {
    expect(sameQuery("status=A", "status=A&status=B")).toBe(false);
    expect(sameQuery("ordering=name", "ordering=-name")).toBe(false);
    expect(sameQuery("search=Hall", "search=hall")).toBe(false);
  });
});

describe("queryPairs", () => {
  it("gives the pairs a view keeps, decoded", () => {
    expect(queryPairs("status=DRAFT&search=hall+sensor&offset=25")).toEqual([
      ["search", "hall sensor"],
      ["status", "DRAFT"],
    ]);
  });
});

describe("groupViews", () => {
  it("puts the caller's views first, each group by name in any case", () => {
    const others = {
      is_mine: false,
      shared: true,
      owner: { id: 2, name: "Alice Tester", is_active: true },
    };
    const { mine, shared } = groupViews([
      view(1, "zener diodes", ""),
      view(2, "Bob's", "", others),
      view(3, "Active", ""),
      view(4, "archived", "", others),
      view(5, "Sensors 10", ""),
      view(6, "Sensors 9", ""),
    ]);
    expect(mine.map((v) => v.name)).toEqual(["Active", "Sensors 9", "Sensors 10", "zener diodes"]);
    expect(shared.map((v) => v.name)).toEqual(["archived", "Bob's"]);
  });
});

describe("currentView", () => {
  it("is the view whose query the list's is, however spelt", () => {
    const views = [view(1, "Drafts", "status=DRAFT"), view(2, "Sensors", "search=sensor")];
    expect(currentView(views, new URLSearchParams("search=sensor&limit=50"))?.name).toBe("Sensors");
    expect(currentView(views, "status=DRAFT&ordering=name")).toBeNull();
    expect(currentView([], "")).toBeNull();
  });

  it("prefers the caller's own, then the one saved last", () => {
    const views = [
      view(1, "Shared drafts", "status=DRAFT", {
        is_mine: false,
        updated_at: "2026-03-01T00:00:00Z",
      }),
      view(2, "Old drafts", "status=DRAFT", { updated_at: "2026-01-01T00:00:00Z" }),
      view(3, "New drafts", "status=DRAFT", { updated_at: "2026-02-01T00:00:00.5Z" }),
    ];
    expect(currentView(views, "status=DRAFT")?.name).toBe("New drafts");
    expect(currentView(views.slice(0, 1), "status=DRAFT")?.name).toBe("Shared drafts");
  });
});
