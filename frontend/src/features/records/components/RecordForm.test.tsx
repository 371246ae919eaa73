import { render, screen } from "@testing-library/react";
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

function renderForm(error: unknown) {
  function Form() {
    return (
      <RecordForm
        state={useRecordForm(entity)}
        submitLabel="Create component"
        onSubmit={async () => undefined}
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
