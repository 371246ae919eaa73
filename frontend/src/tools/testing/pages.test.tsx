import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import { MemoryRouter } from "react-router";

import type { EntityManifest, EntityRecord } from "@/api/types";
import type { LoadedRecord } from "@/features/records/api";
import { fieldManifest } from "@/test/manifest";
import type { RecordSectionProps } from "@/tools/registry";

import pages from "./pages";

const entity = {
  name: "testing.testrun",
  fields: [
    fieldManifest("measured_value", "decimal", { label: "Measured value", decimal_places: 4 }),
  ],
  statuses: [{ value: "PASS", label: "Pass", color: "green" }],
} as unknown as EntityManifest;

function renderMeasurement(record: Partial<EntityRecord>) {
  const Measurement = pages["testing.testrun"]!.recordSection!;
  const props = {
    entity,
    tools: [],
    loaded: { record: { status: "PASS", ...record }, etag: '"1-1"' } as unknown as LoadedRecord,
  } as unknown as RecordSectionProps;
  render(
    <QueryClientProvider client={new QueryClient()}>
      <MemoryRouter>
        <Measurement {...props} />
      </MemoryRouter>
    </QueryClientProvider>,
  );
  return screen.getByRole("region", { name: "Measurement" });
}

describe("a test run's measurement", () => {
  it("shows its value as the record's fields and the list do, with its places, and its unit", () => {
    expect(renderMeasurement({ measured_value: "1.2500", unit: "Nm" })).toHaveTextContent(
      "1.2500 Nm",
    );
  });

  it("groups a large value's digits as everywhere else", () => {
    expect(renderMeasurement({ measured_value: "20000.5000", unit: "" })).toHaveTextContent(
      "20,000.5000",
    );
  });

  it("says when nothing was measured", () => {
    expect(renderMeasurement({ measured_value: null })).toHaveTextContent("Not measured");
  });
});
