/**
 * An edit conflict in the words of the form: a person by name in the choice of values (the
 * form holds their id), and a many-link's records in the notice's sentence, inline.
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { render, screen, within } from "@testing-library/react";
import { useEffect } from "react";
import { MemoryRouter } from "react-router";

import type {
  EntityManifest,
  EntityRecord,
  FieldManifest,
  HistoryEntry,
  ToolManifest,
} from "@/api/types";
import { json, mockFetch } from "@/test/api";
import { componentEntity, fieldManifest } from "@/test/manifest";
import { SHOWN, SHOWN_FIELDS, personAnswer, shownEntity } from "@/test/shownValues";

import type { FormValue } from "../fields";

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
  executed_by: { id: 2, name: "Ada Lovelace", is_active: true },
  instruments: [
    { id: 3, public_id: "CMP-0003", name: "Probe" },
    { id: 2, public_id: "CMP-0002", name: "Meter" },
  ],
} as unknown as EntityRecord;
const entry = {
  id: 5,
  action: "UPDATE",
  actor: { id: 9, name: "Dev User", is_active: true },
  actor_label: "Dev User",
  timestamp: "2026-12-01T10:00:00Z",
  request_id: null,
  changes: { executed_by: { old: null, new: 2 }, instruments: { old: [], new: [3, 2] } },
  comment: "",
  reverted: null,
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

/**
 * An edit of a component in which the user set `field` to `mine` while someone else saved
 * it as `theirs`, both from `base`: the choice of values under the field.
 */
function ConflictOn(props: {
  field: FieldManifest;
  base: unknown;
  theirs: unknown;
  mine: FormValue;
}) {
  const { field, base, theirs, mine } = props;
  const blank = Object.fromEntries(
    SHOWN_FIELDS.map(({ name, type, relation }) => [
      name,
      relation?.many ? [] : type === "boolean" ? false : null,
    ]),
  );
  const previous = { id: 1, public_id: "CMP-0001", name: "Probe", ...blank, [field.name]: base };
  const latest = { ...previous, [field.name]: theirs };
  const state = useRecordForm(shownEntity, previous as unknown as EntityRecord);
  const conflict = useEditConflict(state);
  useEffect(() => {
    state.form.setValue(field.name, mine, { shouldDirty: true });
    conflict.rebase(previous as unknown as EntityRecord, {
      loaded: { record: latest as unknown as EntityRecord, etag: '"1-2"' },
      history: [],
    });
    // Once, as the edit page does on its 412.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return conflict.conflict ? <ConflictChoice field={field} conflict={conflict} /> : null;
}

function renderConflictOn(props: Parameters<typeof ConflictOn>[0]) {
  render(
    <QueryClientProvider client={new QueryClient()}>
      <ConflictOn {...props} />
    </QueryClientProvider>,
  );
  return screen.findByRole("group", {
    name: `Someone also changed ${props.field.label}. Which value do you keep?`,
  });
}

describe("the choice of values, as the record's page shows them", () => {
  beforeEach(() =>
    fetchMock.mockImplementation(async (url) => {
      const person = personAnswer(String(url));
      return person ? json(200, person) : json(404, { detail: "Not found.", code: "not_found" });
    }),
  );

  // Two booleans that differ from where both started cannot differ from each other.
  const conflicting = SHOWN_FIELDS.filter(({ type }) => type !== "boolean").map((field) => {
    const [mine, theirs] = SHOWN.filter((shown) => shown.field === field);
    return { field, mine: mine!, theirs: theirs! };
  });

  it.each(conflicting)(
    "offers a $field.type ($field.name) as $mine.shown or $theirs.shown",
    async ({ field, mine, theirs }) => {
      const choice = await renderConflictOn({
        field,
        base: field.relation?.many ? [] : null,
        theirs: theirs.record,
        mine: mine.form,
      });
      expect(
        await within(choice).findByRole("radio", { name: `Your value: ${mine.shown}` }),
      ).toBeInTheDocument();
      expect(
        await within(choice).findByRole("radio", { name: `Their value: ${theirs.shown}` }),
      ).toBeInTheDocument();
    },
  );

  it("says a value emptied is empty", async () => {
    const [surface, through] = SHOWN;
    const choice = await renderConflictOn({
      field: surface!.field,
      base: surface!.record,
      theirs: through!.record,
      mine: "",
    });
    expect(within(choice).getByRole("radio", { name: "Your value: (empty)" })).toBeVisible();
    expect(within(choice).getByRole("radio", { name: "Their value: Through hole" })).toBeVisible();
  });
});
