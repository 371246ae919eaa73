/**
 * The attachments panel on a record's page: the files listed, uploading (chosen or dropped), a
 * file refused before it is sent or by the server, in words, downloading, deleting after asking,
 * and nothing to change for readers or in a locked status.
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";

import type { Attachment, EntityManifest, EntityRecord, ToolManifest } from "@/api/types";
import { json, mockFetch } from "@/test/api";
import { componentEntity, componentsTool } from "@/test/manifest";

import { AttachmentsPanel } from "./AttachmentsPanel";

const PATH = "/api/v1/components/components/7/attachments/";
const ETAG = '"7-3"';
const HISTORY_KEY = ["records", "/api/v1/components/components/", "history", "CMP-0007", 0];

const DATASHEET: Attachment = {
  id: 1,
  name: "Datasheet.pdf",
  size: 2_500_000,
  content_type: "application/pdf",
  sha256: "ab".repeat(32),
  uploaded_by: { id: 3, name: "Ada Lovelace", is_active: true },
  created_at: "2026-05-01T09:30:00Z",
};

const entity = {
  ...componentEntity(),
  statuses: [
    { value: "DRAFT", label: "Draft", color: "gray" },
    { value: "ACTIVE", label: "Approved", color: "green", locked: true },
  ],
} as EntityManifest;

interface Sent {
  method: string;
  url: string;
  body: BodyInit | null | undefined;
  ifMatch: string | null;
}

const fetchMock = mockFetch();

/** Plays the attachments endpoint, keeping its files; `upload` answers each POST. */
function serve({
  files = [DATASHEET],
  upload,
}: {
  files?: Attachment[];
  upload?: (file: File) => Response;
} = {}): Sent[] {
  const sent: Sent[] = [];
  let kept = [...files];
  fetchMock.mockImplementation(async (url, init) => {
    const method = init?.method ?? "GET";
    sent.push({
      method,
      url: String(url),
      body: init?.body,
      ifMatch: new Headers(init?.headers).get("If-Match"),
    });
    const path = new URL(String(url), window.location.origin).pathname;
    if (path === PATH && method === "GET") return json(200, kept);
    if (path === PATH && method === "POST") {
      const file = (init?.body as FormData).get("file") as File;
      const answer = upload?.(file);
      if (answer) return answer;
      const added = { ...DATASHEET, id: kept.length + 10, name: file.name, size: file.size };
      kept = [...kept, added];
      return json(201, added);
    }
    const one = /attachments\/(\d+)\/$/.exec(path);
    if (one && method === "DELETE") {
      kept = kept.filter((attachment) => attachment.id !== Number(one[1]));
      return new Response(null, { status: 204 });
    }
    if (one) {
      return new Response("%PDF", {
        headers: {
          "Content-Type": "application/pdf",
          "Content-Disposition":
            "attachment; filename=\"Gre.pdf\"; filename*=UTF-8''Gr%C3%B6%C3%9Fe.pdf",
        },
      });
    }
    return json(404, { detail: "Not found.", code: "not_found", errors: {} });
  });
  return sent;
}

function renderPanel({
  permissions = ["read", "write"],
  status = "DRAFT",
  maxBytes = 20_000_000,
}: {
  permissions?: ToolManifest["permissions"];
  status?: string;
  maxBytes?: number;
} = {}) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const tool = { ...componentsTool([entity]), permissions };
  client.setQueryData(["manifest"], {
    tools: [tool],
    integrations: { linear: false },
    attachments: { max_bytes: maxBytes, max_per_record: 50 },
  });
  client.setQueryData(HISTORY_KEY, { results: [] });
  const record = { id: 7, public_id: "CMP-0007", name: "Resistor 10k", status } as EntityRecord;
  render(
    <QueryClientProvider client={client}>
      <AttachmentsPanel tool={tool} entity={entity} loaded={{ record, etag: ETAG }} />
    </QueryClientProvider>,
  );
  return { client, panel: screen.getByRole("region", { name: "Attachments" }) };
}

const pdf = (name: string, size: number) =>
  new File([new Uint8Array(size)], name, { type: "application/pdf" });

describe("AttachmentsPanel", () => {
  it("lists each file with its size, who uploaded it and when; a reader changes nothing", async () => {
    serve();
    const { panel } = renderPanel({ permissions: ["read"] });
    const name = await within(panel).findByRole("button", { name: "Datasheet.pdf" });
    expect(name.closest("li")).toHaveTextContent("2.5 MB · Ada Lovelace · May 1, 2026");
    expect(within(panel).queryByRole("button", { name: /Upload/ })).not.toBeInTheDocument();
    expect(within(panel).queryByRole("button", { name: /Delete/ })).not.toBeInTheDocument();
    expect(within(panel).queryByLabelText("Files to upload")).not.toBeInTheDocument();
  });

  it("shows a failure to read the files, and reads them again", async () => {
    const user = userEvent.setup();
    serve();
    const working = fetchMock.getMockImplementation()!;
    fetchMock.mockImplementation(async () =>
      json(500, { detail: "Boom.", code: "server_error", errors: {} }),
    );
    const { panel } = renderPanel();
    expect(await within(panel).findByRole("alert")).toHaveTextContent(
      "The attachments could not be read: Boom.",
    );
    fetchMock.mockImplementation(working);
    await user.click(within(panel).getByRole("button", { name: "Try again" }));
    expect(await within(panel).findByRole("button", { name: "Datasheet.pdf" })).toBeInTheDocument();
  });

  it("says so when the record has no files", async () => {
    serve({ files: [] });
    const { panel } = renderPanel();
    expect(await within(panel).findByText("No files.")).toBeInTheDocument();
  });

  it("uploads the files chosen, one request each with the record's ETag, and says so", async () => {
    const user = userEvent.setup();
    const sent = serve({ files: [] });
    const { panel, client } = renderPanel();
    await within(panel).findByText("No files.");
    await user.upload(within(panel).getByLabelText("Files to upload"), [
      pdf("Quote.pdf", 1_000),
      pdf("Drawing.pdf", 2_000),
    ]);
    expect(await within(panel).findByRole("status")).toHaveTextContent("Uploaded 2 files.");
    const posts = sent.filter((request) => request.method === "POST");
    expect(posts.map((request) => [request.url, request.ifMatch])).toEqual([
      [PATH, ETAG],
      [PATH, ETAG],
    ]);
    expect(((posts[0]?.body as FormData).get("file") as File).name).toBe("Quote.pdf");
    expect(await within(panel).findByRole("button", { name: "Drawing.pdf" })).toBeInTheDocument();
    expect(client.getQueryState(HISTORY_KEY)?.isInvalidated).toBe(true);
  });

  it("refuses a file larger than the limit before sending it, in words", async () => {
    const user = userEvent.setup();
    const sent = serve({ files: [] });
    const { panel } = renderPanel({ maxBytes: 20_000 });
    await within(panel).findByText("No files.");
    await user.upload(
      within(panel).getByLabelText("Files to upload"),
      pdf("Datasheet.pdf", 31_000),
    );
    expect(await within(panel).findByRole("alert")).toHaveTextContent(
      "Datasheet.pdf is 31 KB; the limit is 20 KB.",
    );
    expect(sent.filter((request) => request.method === "POST")).toEqual([]);
  });

  it("shows the server's refusal of a file, which names it", async () => {
    const user = userEvent.setup();
    serve({
      files: [],
      upload: (file) =>
        json(400, {
          detail: "Invalid input: file.",
          code: "invalid",
          errors: { file: [`${file.name} is empty.`] },
        }),
    });
    const { panel } = renderPanel();
    await within(panel).findByText("No files.");
    await user.upload(within(panel).getByLabelText("Files to upload"), pdf("Empty.pdf", 0));
    expect(await within(panel).findByRole("alert")).toHaveTextContent("Empty.pdf is empty.");
  });

  it("uploads files dropped on the panel", async () => {
    const sent = serve({ files: [] });
    const { panel } = renderPanel();
    await within(panel).findByText("No files.");
    const files = [pdf("Dropped.pdf", 500)];
    fireEvent.dragOver(panel, { dataTransfer: { types: ["Files"], files } });
    fireEvent.drop(panel, { dataTransfer: { types: ["Files"], files } });
    expect(await within(panel).findByRole("status")).toHaveTextContent("Uploaded Dropped.pdf.");
    expect(sent.filter((request) => request.method === "POST")).toHaveLength(1);
  });

  it("downloads a file under the name the server gives it", async () => {
    const user = userEvent.setup();
    const sent = serve();
    const saved: string[] = [];
    // jsdom makes no object URLs: the blob's is stood in for.
    Object.assign(URL, { createObjectURL: () => "blob:x", revokeObjectURL: () => undefined });
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      saved.push(this.download);
    });
    const { panel } = renderPanel({ permissions: ["read"] });
    await user.click(await within(panel).findByRole("button", { name: "Datasheet.pdf" }));
    await waitFor(() => expect(saved).toEqual(["Größe.pdf"]));
    expect(sent.at(-1)?.url).toBe(`${PATH}1/`);
    click.mockRestore();
  });

  it("deletes a file after asking, with the record's ETag, and says so", async () => {
    const user = userEvent.setup();
    const sent = serve();
    const { panel } = renderPanel();
    await user.click(await within(panel).findByRole("button", { name: "Delete Datasheet.pdf" }));
    const dialog = screen.getByRole("dialog", { name: "Delete Datasheet.pdf?" });
    expect(dialog).toHaveAccessibleDescription(
      "The file is removed from CMP-0007 for everyone; its name stays in the record's history.",
    );
    await user.click(within(dialog).getByRole("button", { name: "Delete" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(sent.filter((request) => request.method === "DELETE")).toEqual([
      { method: "DELETE", url: `${PATH}1/`, body: undefined, ifMatch: ETAG },
    ]);
    expect(within(panel).getByRole("status")).toHaveTextContent("Deleted Datasheet.pdf.");
    expect(await within(panel).findByText("No files.")).toBeInTheDocument();
  });

  it("offers a writer nothing to change in a locked status, and says why", async () => {
    serve();
    const { panel } = renderPanel({ status: "ACTIVE" });
    await within(panel).findByRole("button", { name: "Datasheet.pdf" });
    expect(within(panel).queryByRole("button", { name: /Upload|Delete/ })).not.toBeInTheDocument();
    expect(panel).toHaveTextContent(
      "Approved records are locked: only admins may change their files.",
    );
  });

  it("lets an admin change the files of a locked record", async () => {
    serve();
    const { panel } = renderPanel({ status: "ACTIVE", permissions: ["read", "write", "admin"] });
    expect(
      await within(panel).findByRole("button", { name: "Delete Datasheet.pdf" }),
    ).toBeInTheDocument();
    expect(within(panel).getByRole("button", { name: "Upload files" })).toBeInTheDocument();
  });
});
