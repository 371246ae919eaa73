import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { createMemoryRouter, RouterProvider } from "react-router";

import { ApiError } from "@/api/client";
import type { EntityManifest, ErrorBody, ToolManifest } from "@/api/types";
import { json, mockFetch, searching } from "@/test/api";
import { componentEntity, componentsTool, fieldManifest } from "@/test/manifest";

import { RecordForm, useRecordForm } from "./RecordForm";

const entity = {
  name: "components.component",
  label: "Component",
  fields: [
    fieldManifest("name", "string", { label: "Name", required: true }),
    fieldManifest("part_number", "string", { label: "Part number", required: true }),
  ],
} as unknown as EntityManifest;

function renderForm(
  error: unknown,
  onSubmit: (body: Record<string, unknown>) => Promise<unknown> = async () => undefined,
  shape: EntityManifest = entity,
  tools: ToolManifest[] = [],
) {
  /** The form as a page holds it: `error` at first, then what the last submit was refused. */
  function Form() {
    const [refusal, setRefusal] = useState(error);
    return (
      <RecordForm
        state={useRecordForm(shape)}
        submitLabel="Create component"
        onSubmit={(body) =>
          onSubmit(body).catch((failure: unknown) => {
            setRefusal(failure);
            throw failure;
          })
        }
        onCancel={() => undefined}
        error={refusal}
      />
    );
  }
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  client.setQueryData(["manifest"], { tools, integrations: { linear: false } });
  render(
    <QueryClientProvider client={client}>
      <RouterProvider router={createMemoryRouter([{ path: "/", element: <Form /> }])} />
    </QueryClientProvider>,
  );
}

describe("the form's banner for a refusal", () => {
  it("names the fields at fault by their labels, their reasons under them", () => {
    renderForm(
      new ApiError(
        400,
        {
          detail: "Invalid input: part_number.",
          code: "invalid",
          errors: { part_number: ["Component with this part number already exists."] },
        },
        null,
      ),
    );
    const banner = screen.getByRole("alert");
    expect(banner).toHaveTextContent("Check Part number.");
    expect(banner).not.toHaveTextContent("part_number");
    expect(screen.getByText("Component with this part number already exists.")).toBeInTheDocument();
  });

  it("keeps the API's words for a refusal no field explains", () => {
    renderForm(new ApiError(503, { detail: "Try again later.", code: "unavailable" }, null));
    expect(screen.getByRole("alert")).toHaveTextContent("Try again later.");
  });
});

describe("a time the clocks skip or show twice (Berlin's, as the tests run)", () => {
  const released = {
    ...entity,
    fields: [fieldManifest("released_at", "datetime", { label: "Released at", required: true })],
  } as EntityManifest;

  it("is refused under its field, not moved an hour, and nothing is sent", async () => {
    const user = userEvent.setup();
    const sent = vi.fn(async () => undefined);
    renderForm(null, sent, released);
    const input = screen.getByLabelText(/Released at/);
    fireEvent.change(input, { target: { value: "2026-03-29T02:30" } });
    await user.click(screen.getByRole("button", { name: "Create component" }));

    const reason =
      "02:30 does not exist on Mar 29, 2026 in your time zone (clocks go forward); pick another time.";
    expect(await screen.findByText(reason)).toBeVisible();
    expect(input).toHaveAttribute("aria-invalid", "true");
    expect(input).toHaveAccessibleDescription(expect.stringContaining(reason));
    expect(sent).not.toHaveBeenCalled();

    fireEvent.change(input, { target: { value: "2026-03-29T03:30" } });
    await user.click(screen.getByRole("button", { name: "Create component" }));
    expect(sent).toHaveBeenCalledWith({ released_at: "2026-03-29T01:30:00.000Z" });
  });

  it("says which of a time shown twice it takes, and sends that one", async () => {
    const user = userEvent.setup();
    const sent = vi.fn(async () => undefined);
    renderForm(null, sent, released);
    const input = screen.getByLabelText(/Released at/);
    fireEvent.change(input, { target: { value: "2026-10-25T02:30" } });

    expect(input).toHaveAccessibleDescription(
      expect.stringContaining(
        "02:30 comes twice on Oct 25, 2026 in your time zone (clocks go back): this is the first, at UTC+2, before the second, at UTC+1.",
      ),
    );
    await user.click(screen.getByRole("button", { name: "Create component" }));
    expect(sent).toHaveBeenCalledWith({ released_at: "2026-10-25T00:30:00.000Z" });
  });
});

describe("text typed in a picker and never picked", () => {
  const fetchMock = mockFetch();
  const COMPONENTS = "/api/v1/components/components/";
  const linked = {
    ...entity,
    fields: [
      fieldManifest("name", "string", { label: "Name", required: true }),
      fieldManifest("supplier", "relation", {
        label: "Supplier",
        relation: { entity: "components.component", api_path: COMPONENTS, many: false },
      }),
      fieldManifest("instruments", "relation", {
        label: "Instruments",
        relation: { entity: "components.component", api_path: COMPONENTS, many: true },
      }),
      fieldManifest("operator", "user", { label: "Operator" }),
    ],
  } as EntityManifest;
  const tools = [{ ...componentsTool([componentEntity()]) }];
  const PICK = "Choose a component from the list, or clear the text.";

  function renderLinked(sent: (body: Record<string, unknown>) => Promise<unknown>) {
    fetchMock.mockImplementation(async (url) =>
      String(url).includes("/users/")
        ? json(200, { count: 0, results: [] })
        : searching([{ id: 4, public_id: "CMP-0004", name: "Weller station" }])(url),
    );
    renderForm(null, sent, linked, tools);
  }

  it("is said under its field when the user leaves it, and the form sends nothing until it is cleared", async () => {
    const user = userEvent.setup();
    const sent = vi.fn(async () => undefined);
    renderLinked(sent);
    await user.type(screen.getByLabelText(/Name/), "Probe check");
    const supplier = screen.getByLabelText("Supplier");
    await user.type(supplier, "wellr");
    expect(await screen.findByText("No match")).toBeVisible();
    await user.tab();
    expect(await screen.findByText(PICK)).toBeVisible();
    expect(supplier).toHaveAttribute("aria-invalid", "true");
    expect(supplier).toHaveAccessibleDescription(expect.stringContaining(PICK));

    await user.click(screen.getByRole("button", { name: "Create component" }));
    expect(sent).not.toHaveBeenCalled();
    expect(supplier).toHaveFocus();

    await user.clear(supplier);
    expect(screen.queryByText(PICK)).toBeNull();
    await user.click(screen.getByRole("button", { name: "Create component" }));
    expect(sent).toHaveBeenCalledWith({ name: "Probe check" });
  });

  it("marks a many-to-many link's record the API refused by position, its reason beside its chip", async () => {
    const user = userEvent.setup();
    fetchMock.mockImplementation(
      searching([
        { id: 4, public_id: "CMP-0004", name: "Weller station" },
        { id: 5, public_id: "CMP-0005", name: "Scope" },
      ]),
    );
    const reason = "Component CMP-0005 is archived.";
    const sent = vi.fn(async () => {
      throw new ApiError(
        400,
        // As `LinksField` names them: by position in the list sent.
        {
          detail: "Invalid input.",
          code: "invalid",
          errors: { instruments: { "1": [reason] } },
        } as unknown as Partial<ErrorBody>,
        null,
      );
    });
    renderForm(null, sent, linked, tools);
    await user.type(screen.getByLabelText(/Name/), "Probe check");
    const search = screen.getByLabelText("Instruments");
    for (const term of ["weller", "scope"]) {
      await user.type(search, term);
      await user.click(await screen.findByRole("option", { name: new RegExp(term, "i") }));
    }
    await user.click(screen.getByRole("button", { name: "Create component" }));
    expect(sent).toHaveBeenCalledWith({ name: "Probe check", instruments: [4, 5] });

    const chips = screen.getByRole("list", { name: "Instruments" });
    const [weller, scope] = within(chips).getAllByRole("listitem");
    await waitFor(() => expect(scope).toHaveTextContent(`CMP-0005 Scope: ${reason}`));
    expect(weller).toHaveTextContent(/^CMP-0004 Weller station$/); // unmarked
    expect(search).toHaveAttribute("aria-invalid", "true");
    expect(search).toHaveAccessibleDescription(
      expect.stringContaining(`CMP-0005 Scope: ${reason}`),
    );
    expect(screen.getByRole("alert")).toHaveTextContent("Check Instruments.");

    // Its place changes when the first goes: the reason stays with the record it is about.
    await user.click(screen.getByRole("button", { name: "Remove CMP-0004 Weller station" }));
    expect(within(chips).getByRole("listitem")).toHaveTextContent(`CMP-0005 Scope: ${reason}`);
  });

  it("is said on submit for a many-to-many link's and a person's picker, and gone once a match is picked", async () => {
    const user = userEvent.setup();
    const sent = vi.fn(async () => undefined);
    renderLinked(sent);
    await user.type(screen.getByLabelText(/Name/), "Probe check");
    await user.type(screen.getByLabelText("Instruments"), "weller");
    await user.type(screen.getByLabelText("Operator"), "nobody");
    // Enter amid a search never submits; the button does, and is refused.
    await user.click(screen.getByRole("button", { name: "Create component" }));
    expect(await screen.findByText(PICK)).toBeVisible();
    expect(screen.getByText("Choose a person from the list, or clear the text.")).toBeVisible();
    expect(sent).not.toHaveBeenCalled();

    await user.click(screen.getByLabelText("Instruments"));
    await user.click(await screen.findByRole("option", { name: /Weller station/ }));
    expect(screen.queryByText(PICK)).toBeNull();
    await user.clear(screen.getByLabelText("Operator"));
    await user.click(screen.getByRole("button", { name: "Create component" }));
    expect(sent).toHaveBeenCalledWith({ name: "Probe check", instruments: [4] });
  });
});
