import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";

import type { EntityManifest, EntityRecord, HistoryEntry, ToolManifest } from "@/api/types";
import { json, mockFetch } from "@/test/api";
import { componentEntity, componentsTool, fieldManifest } from "@/test/manifest";

import { RecordEditPage } from "./RecordEditPage";

const API_PATH = "/api/v1/components/components/";
/** The page reads the record by its public id, and writes it by its id. */
const RECORD_PATH = `${API_PATH}CMP-0007/`;
const WRITE_PATH = `${API_PATH}7/`;

const entity = {
  ...componentEntity([
    fieldManifest("name", "string", { label: "Name", required: true }),
    fieldManifest("status", "choice", { label: "Status", read_only: true }),
    fieldManifest("supplier", "string", { label: "Supplier" }),
    fieldManifest("quantity_on_hand", "integer", { label: "Quantity on hand" }),
  ]),
  transitions: [],
} as EntityManifest;

const tool: ToolManifest = { ...componentsTool([entity]), permissions: ["read", "write"] };

const opened = {
  id: 7,
  public_id: "CMP-0007",
  name: "Resistor",
  status: "ACTIVE",
  supplier: "Mouser",
  quantity_on_hand: 10,
} as unknown as EntityRecord;

/** Ada's save, made after the form was opened: the record's next version and its entry. */
const NOW = new Date().toISOString();
const AT = new Intl.DateTimeFormat(undefined, { timeStyle: "short" }).format(new Date(NOW));

function adaChanged(changes: Record<string, { old: unknown; new: unknown }>): HistoryEntry {
  return {
    id: 41,
    action: "UPDATE",
    actor: { id: 2, name: "Ada", is_active: true },
    actor_label: "Ada",
    timestamp: NOW,
    request_id: null,
    changes,
    comment: "",
    reverted: null,
  };
}

interface Sent {
  body: Record<string, unknown>;
  ifMatch: string | null;
}

const fetchMock = mockFetch();

/**
 * The API as the test plays it: the record reads as `opened` first, then as `latest` once a
 * save was refused (the form's own ETag `"7-2"` is stale from the start); the history lists
 * `history`; a PATCH with the latest ETag succeeds. The PATCHes are noted.
 */
function serve(latest: EntityRecord, history: HistoryEntry[], historyFailures = 0): Sent[] {
  const patches: Sent[] = [];
  let failures = historyFailures;
  let current = { record: opened, etag: '"7-2"' };
  fetchMock.mockImplementation(async (url, init) => {
    const { pathname } = new URL(String(url), window.location.origin);
    const ifMatch = new Headers(init?.headers).get("If-Match");
    if (pathname === `${RECORD_PATH}history/`) {
      if (failures-- > 0) return json(503, { detail: "Try again later.", code: "unavailable" });
      return json(200, { count: history.length, next: null, previous: null, results: history });
    }
    if (pathname === WRITE_PATH && init?.method === "PATCH") {
      const body = JSON.parse(String(init.body)) as Record<string, unknown>;
      patches.push({ body, ifMatch });
      if (ifMatch !== '"7-3"') {
        current = { record: latest, etag: '"7-3"' };
        return new Response(
          JSON.stringify({ detail: 'Its ETag is now "7-3".', code: "precondition_failed" }),
          { status: 412, headers: { ETag: '"7-3"' } },
        );
      }
      return new Response(JSON.stringify({ ...latest, ...body }), { headers: { ETag: '"7-4"' } });
    }
    if (pathname !== RECORD_PATH) return json(404, { detail: "Not found.", code: "not_found" });
    return new Response(JSON.stringify(current.record), { headers: { ETag: current.etag } });
  });
  return patches;
}

/** Ada's save: the supplier Mouser → Digikey, or the quantity 10 → 80. */
function serveAdaSaved(change: "supplier" | "quantity"): Sent[] {
  return change === "supplier"
    ? serve({ ...opened, supplier: "Digikey" }, [
        adaChanged({ supplier: { old: "Mouser", new: "Digikey" } }),
      ])
    : serve({ ...opened, quantity_on_hand: 80 }, [
        adaChanged({ quantity_on_hand: { old: 10, new: 80 } }),
      ]);
}

function renderEditPage() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  client.setQueryData(["manifest"], { tools: [tool], integrations: { linear: false } });
  const router = createMemoryRouter(
    [
      { path: "/tools/:tool/:entity/:id/edit", element: <RecordEditPage /> },
      { path: "/tools/:tool/:entity/:id", element: <p>The record&apos;s page</p> },
    ],
    { initialEntries: ["/tools/components/components/CMP-0007/edit"] },
  );
  render(
    <QueryClientProvider client={client}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
}

async function saveQuantity(user: ReturnType<typeof userEvent.setup>, quantity: string) {
  const input = await screen.findByLabelText("Quantity on hand");
  await user.clear(input);
  await user.type(input, quantity);
  await user.click(screen.getByRole("button", { name: "Save changes" }));
  return screen.findByRole("alert");
}

describe("RecordEditPage after someone else's save", () => {
  it("says who changed what, keeps the user's change, and saves it on top", async () => {
    const user = userEvent.setup();
    const patches = serveAdaSaved("supplier");
    renderEditPage();
    const notice = await saveQuantity(user, "77");
    expect(notice).toHaveTextContent(
      `Ada changed Supplier (Mouser → Digikey) at ${AT} while you were editing.`,
    );
    expect(notice).not.toHaveTextContent("ETag");
    expect(notice).toHaveFocus();
    // The user's 77 stays; the supplier they did not touch shows Ada's.
    expect(screen.getByLabelText("Quantity on hand")).toHaveValue("77");
    expect(screen.getByLabelText("Supplier")).toHaveValue("Digikey");

    await user.click(within(notice).getByRole("button", { name: "Save my changes on top" }));
    expect(await screen.findByText("The record's page")).toBeInTheDocument();
    expect(patches).toEqual([
      { body: { quantity_on_hand: 77 }, ifMatch: '"7-2"' },
      { body: { quantity_on_hand: 77 }, ifMatch: '"7-3"' },
    ]);
  });

  it("makes the user choose where both changed a field, and sends the value chosen", async () => {
    const user = userEvent.setup();
    const patches = serveAdaSaved("quantity");
    renderEditPage();
    const notice = await saveQuantity(user, "77");
    expect(notice).toHaveTextContent("You both changed Quantity on hand");
    const choice = screen.getByRole("group", { name: /Ada also changed Quantity on hand/ });
    expect(within(choice).getByRole("radio", { name: "Your value: 77" })).not.toBeChecked();
    expect(within(choice).getByRole("radio", { name: "Their value: 80" })).not.toBeChecked();
    expect(screen.getByLabelText("Quantity on hand")).toHaveValue("77");

    // No choice made: nothing is sent, and the question is asked.
    await user.click(within(notice).getByRole("button", { name: "Save my changes on top" }));
    expect(within(choice).getByText("Choose your value or theirs.")).toBeInTheDocument();
    expect(within(choice).getByRole("radio", { name: "Your value: 77" })).toHaveFocus();
    expect(patches).toHaveLength(1);

    await user.click(within(choice).getByRole("radio", { name: "Their value: 80" }));
    expect(screen.getByLabelText("Quantity on hand")).toHaveValue("80");
    await user.click(within(choice).getByRole("radio", { name: "Your value: 77" }));
    expect(screen.getByLabelText("Quantity on hand")).toHaveValue("77");
    await user.click(within(notice).getByRole("button", { name: "Save my changes on top" }));
    expect(await screen.findByText("The record's page")).toBeInTheDocument();
    expect(patches[1]).toEqual({ body: { quantity_on_hand: 77 }, ifMatch: '"7-3"' });
  });

  it("takes their value for a field when the user chooses it: nothing of theirs is overwritten", async () => {
    const user = userEvent.setup();
    const patches = serveAdaSaved("quantity");
    renderEditPage();
    await saveQuantity(user, "77");
    await user.type(screen.getByLabelText("Supplier"), " Europe");
    await user.click(screen.getByRole("radio", { name: "Their value: 80" }));
    await user.click(screen.getByRole("button", { name: "Save my changes on top" }));
    expect(await screen.findByText("The record's page")).toBeInTheDocument();
    expect(patches[1]).toEqual({ body: { supplier: "Mouser Europe" }, ifMatch: '"7-3"' });
  });

  it("discards the user's changes for the latest version when asked", async () => {
    const user = userEvent.setup();
    const patches = serveAdaSaved("supplier");
    renderEditPage();
    const notice = await saveQuantity(user, "77");
    await user.click(
      within(notice).getByRole("button", { name: "Discard mine and load the latest" }),
    );
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(await screen.findByLabelText("Quantity on hand")).toHaveValue("10");
    expect(screen.getByLabelText("Supplier")).toHaveValue("Digikey");
    expect(patches).toHaveLength(1);
  });

  it("says a change it finds in no history entry read without naming anyone, and a status change", async () => {
    const user = userEvent.setup();
    serve({ ...opened, status: "DRAFT", supplier: "Digikey" }, []);
    renderEditPage();
    const notice = await saveQuantity(user, "77");
    expect(notice).toHaveTextContent(
      "Status (ACTIVE → DRAFT) and Supplier (Mouser → Digikey) changed while you were editing.",
    );
  });

  it("says why the latest version could not be read, keeps the edit, and tries again on save", async () => {
    const user = userEvent.setup();
    const patches = serve(
      { ...opened, supplier: "Digikey" },
      [adaChanged({ supplier: { old: "Mouser", new: "Digikey" } })],
      1,
    );
    renderEditPage();
    const failure = await saveQuantity(user, "77");
    expect(failure).toHaveTextContent("The server failed");
    expect(screen.getByLabelText("Quantity on hand")).toHaveValue("77");

    await user.click(screen.getByRole("button", { name: "Save changes" }));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      `Ada changed Supplier (Mouser → Digikey) at ${AT} while you were editing.`,
    );
    expect(screen.getByLabelText("Quantity on hand")).toHaveValue("77");
    expect(patches.map((patch) => patch.ifMatch)).toEqual(['"7-2"', '"7-2"']);
  });
});
