/**
 * An edit conflict in the words of the form: a person by name in the choice of values (the
 * form holds their id), and a many-link's records in the notice's sentence, inline.
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import { useEffect } from "react";
import { MemoryRouter } from "react-router";

import type { EntityManifest, EntityRecord, HistoryEntry, ToolManifest } from "@/api/types";
import { json, mockFetch } from "@/test/api";
import { componentEntity, fieldManifest } from "@/test/manifest";

import { ConflictChoice, ConflictNotice, useEditConflict } from "./EditConflict";
import { useRecordForm } from "./RecordForm";

const COMPONENTS = "/api/v1/components/components/";
const component = componentEntity();
const executedBy = fieldManifest("executed_by", "user", { label: "Executed by" });
const instruments = fieldManifest("instruments", "relation", {
  label: "Instruments",
  relation: { entity: "components.component", api_path: COMPONENTS, many: true },
});
const testRun = {
  name: "testing.testrun",
  label: "Test run",
  label_plural: "Test runs",
  api_path: "/api/v1/testing/test-runs/",
  fields: [fieldManifest("name", "string", { label: "Name" }), executedBy, instruments],
  statuses: [],
} as unknown as EntityManifest;
const tools = [
  { slug: "components", entities: [component] },
  { slug: "testing", entities: [testRun] },
] as unknown as ToolManifest[];

const PEOPLE: Record<string, string> = { "2": "Ada Lovelace", "3": "Bob Builder" };
const fetchMock = mockFetch();

const previous = {
  id: 12,
  public_id: "TST-0012",
  name: "Leakage",
  executed_by: null,
  instruments: [],
} as unknown as EntityRecord;
const latest = {
  ...previous,
  executed_by: { id: 2, name: "Ada Lovelace" },
  instruments: [
    { id: 3, public_id: "CMP-0003", name: "Probe" },
    { id: 2, public_id: "CMP-0002", name: "Meter" },
  ],
} as unknown as EntityRecord;
const entry = {
  id: 5,
  action: "UPDATE",
  actor: { id: 9, name: "Dev User" },
  actor_label: "Dev User",
  timestamp: "2026-12-01T10:00:00Z",
  request_id: null,
  changes: { executed_by: { old: null, new: 2 }, instruments: { old: [], new: [3, 2] } },
  comment: "",
} as HistoryEntry;

/** The edit form of `previous` in which the user picked Bob, when Dev User's save came back. */
function Conflicted() {
  const state = useRecordForm(testRun, previous);
  const conflict = useEditConflict(state);
  useEffect(() => {
    state.form.setValue("executed_by", "3", { shouldDirty: true });
    conflict.rebase(previous, { loaded: { record: latest, etag: '"12-2"' }, history: [entry] });
    // Once, as the edit page does on its 412.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  if (!conflict.conflict) return null;
  return (
    <>
      <ConflictNotice
        entity={testRun}
        tools={tools}
        state={state}
        conflict={conflict.conflict}
        saving={false}
        onDiscard={() => undefined}
      />
      <ConflictChoice field={executedBy} conflict={conflict} />
    </>
  );
}

describe("an edit conflict", () => {
  beforeEach(() => {
    fetchMock.mockImplementation(async (url) => {
      const id = /\/api\/v1\/users\/(\d+)\//.exec(String(url))?.[1];
      return id && PEOPLE[id]
        ? json(200, { id: Number(id), name: PEOPLE[id] })
        : json(404, { detail: "Not found.", code: "not_found" });
    });
    render(
      <QueryClientProvider client={new QueryClient()}>
        <MemoryRouter>
          <Conflicted />
        </MemoryRouter>
      </QueryClientProvider>,
    );
  });

  it("offers the values of a person field by the people's names, not their ids", async () => {
    const choice = await screen.findByRole("group", { name: /Dev User also changed Executed by/ });
    expect(
      await within(choice).findByRole("radio", { name: "Your value: Bob Builder" }),
    ).toBeInTheDocument();
    expect(
      await within(choice).findByRole("radio", { name: "Their value: Ada Lovelace" }),
    ).toBeInTheDocument();
  });

  it("names a many-link's records in the notice's sentence, one after another", async () => {
    const notice = await screen.findByRole("alert");
    expect(notice).toHaveTextContent(
      "Dev User changed Executed by (— → Ada Lovelace) and Instruments (— → CMP-0003 Probe, CMP-0002 Meter)",
    );
    const probe = within(notice).getByRole("link", { name: "CMP-0003 Probe" });
    expect(probe.parentElement).not.toHaveClass("flex-col");
  });
});
