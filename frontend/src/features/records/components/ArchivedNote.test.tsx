import { act, screen, waitFor } from "@testing-library/react";

import { recordKeys } from "../api";
import { ArchivedNote } from "./ArchivedNote";
import { entity, mockRecordApi, recordIn, renderOnPage, tool } from "./recordPageTesting";

const serve = mockRecordApi();

function renderNote(status: string) {
  return renderOnPage(status, ({ record }) => (
    <ArchivedNote tool={tool} entity={entity} record={record} />
  ));
}

describe("ArchivedNote", () => {
  it("says nothing of a record that is not archived", () => {
    serve({ status: "ACTIVE" });
    renderNote("ACTIVE");
    expect(screen.getByRole("status")).toBeEmptyDOMElement();
  });

  it("says the record is archived, that saving keeps it so, and links to its page to restore it", () => {
    serve({ status: "ARCHIVED" });
    renderNote("ARCHIVED");
    expect(screen.getByRole("status")).toHaveTextContent(
      "CMP-0007 is archived. Saving changes its fields and it stays archived, out of the list of components; restore it on its page to bring it back.",
    );
    expect(screen.getByRole("link", { name: "restore it on its page" })).toHaveAttribute(
      "href",
      "/tools/components/components/CMP-0007",
    );
  });

  it("says so when an archive lands while the page is open", async () => {
    serve({ status: "ACTIVE" });
    const client = renderNote("ACTIVE");
    await waitFor(() => expect(client.isFetching()).toBe(0)); // the page's read, done
    act(() =>
      client.setQueryData(recordKeys.detail(entity, "CMP-0007"), {
        record: recordIn("ARCHIVED"),
        etag: '"7-4"',
      }),
    );
    await waitFor(() =>
      expect(screen.getByRole("status")).toHaveTextContent("CMP-0007 is archived."),
    );
  });
});
