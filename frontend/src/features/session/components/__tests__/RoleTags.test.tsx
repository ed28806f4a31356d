import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { RoleTags } from "../RoleTags";

describe("RoleTags", () => {
  it("shows each role with its French label", () => {
    render(<RoleTags roles={["ADMIN", "OCCUPATIONAL_PHYSICIAN"]} />);
    const list = screen.getByRole("list", { name: "Vos rôles" });
    expect(within(list).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "Administrateur",
      "Médecin du travail",
    ]);
  });

  it("shows a role held through several grants once", () => {
    render(<RoleTags roles={["EMPLOYER_CORRESPONDENT", "EMPLOYER_CORRESPONDENT"]} />);
    expect(screen.getAllByRole("listitem")).toHaveLength(1);
  });

  it("says so when the account has no role", () => {
    render(<RoleTags roles={[]} />);
    expect(screen.getByText("Aucun rôle ne vous est attribué pour le moment.")).toBeInTheDocument();
  });
});
