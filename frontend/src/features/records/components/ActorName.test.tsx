import { render, screen } from "@testing-library/react";

import { ActorName } from "./ActorName";

describe("ActorName", () => {
  it("names a deactivated actor in words, muted, not by colour alone", () => {
    render(
      <ActorName entry={{ actor: { id: 3, name: "Ada", is_active: false }, actor_label: "Ada" }} />,
    );
    const name = screen.getByText(/^Ada/);
    expect(name).toHaveTextContent("Ada (deactivated)");
    expect(name).toHaveClass("text-slate-500");
    expect(name).toHaveAttribute("title", "Deactivated: no longer uses the suite");
  });

  it("names an active actor plainly, a deleted one by the label kept, a script as System", () => {
    const { rerender } = render(
      <ActorName entry={{ actor: { id: 3, name: "Ada", is_active: true }, actor_label: "Ada" }} />,
    );
    expect(screen.getByText("Ada")).not.toHaveClass("text-slate-500");
    rerender(<ActorName entry={{ actor: null, actor_label: "Grace" }} />);
    expect(screen.getByText("Grace")).toBeInTheDocument();
    rerender(<ActorName entry={{ actor: null, actor_label: "" }} />);
    expect(screen.getByText("System")).toBeInTheDocument();
  });
});
