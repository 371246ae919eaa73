import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import { mockFetch } from "@/test/api";
import { testRunWorkflowEntity } from "@/test/manifest";

import type { Ticked } from "../bulk";
import { BulkActions } from "./BulkActions";

const entity = testRunWorkflowEntity();

const run = (id: number, status: string): Ticked => ({
  id,
  public_id: `TST-000${id}`,
  name: `Run ${id}`,
  status,
});

const fetchMock = mockFetch();

function renderActions(records: Ticked[], admin = false) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <BulkActions entity={entity} records={records} admin={admin} onDone={() => {}} />
    </QueryClientProvider>,
  );
  return screen.getByRole("button", { name: "Archive selected" });
}

describe("Archive selected", () => {
  it("is not offered a writer for records only admins may archive, and says why", async () => {
    const button = renderActions([run(1, "PASS"), run(2, "RUNNING")]);
    expect(button).toBeDisabled();
    expect(button).toHaveAccessibleDescription(
      "Archiving test runs in Pass needs 'testing:admin'.",
    );
    await userEvent.setup().click(button);
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("asks a writer to confirm archiving records they may archive", async () => {
    const button = renderActions([run(1, "PENDING"), run(2, "RUNNING")]);
    expect(button).toBeEnabled();
    expect(button).not.toHaveAccessibleDescription();
    await userEvent.setup().click(button);
    expect(screen.getByRole("dialog", { name: "Archive 2 test runs?" })).toBeInTheDocument();
  });

  it("is offered an admin for records in a final status", () => {
    expect(renderActions([run(1, "PASS"), run(2, "FAIL")], true)).toBeEnabled();
  });

  it("is not offered for records archived already", () => {
    const button = renderActions([run(1, "ARCHIVED"), run(2, "PENDING")], true);
    expect(button).toBeDisabled();
    expect(button).toHaveAccessibleDescription(
      "Some selected test runs are archived already: restore them from their own pages.",
    );
  });
});
