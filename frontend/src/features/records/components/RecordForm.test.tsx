import { fireEvent, render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";

import { ApiError } from "@/api/client";
import type { EntityManifest } from "@/api/types";
import { fieldManifest } from "@/test/manifest";

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
) {
  function Form() {
    return (
      <RecordForm
        state={useRecordForm(shape)}
        submitLabel="Create component"
        onSubmit={onSubmit}
        onCancel={() => undefined}
        error={error}
      />
    );
  }
  render(<RouterProvider router={createMemoryRouter([{ path: "/", element: <Form /> }])} />);
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
