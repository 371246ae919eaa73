import { render, screen } from "@testing-library/react";

import { ApiError } from "@/api/client";

import { ErrorPanel } from "./Feedback";

describe("ErrorPanel", () => {
  it("says a 412 in plain words, not the API's, which name the record's ETag", () => {
    const stale = new ApiError(
      412,
      {
        detail: 'The record has changed since you read it (its ETag is now "242-3").',
        code: "precondition_failed",
        errors: {},
      },
      new Headers({ ETag: '"242-3"' }),
    );
    render(<ErrorPanel error={stale} />);
    const panel = screen.getByRole("alert");
    expect(panel).toHaveTextContent(
      "Changed by someone elseSomeone changed this record after you opened it.",
    );
    expect(panel).not.toHaveTextContent("ETag");
  });
});
