import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { mockClient, renderWithProviders } from "../../../../testing/render";
import { DoseForm, parseDecimal } from "../DoseForm";

describe("parseDecimal", () => {
  it.each([
    ["0,45", 0.45],
    ["1.5", 1.5],
    [" 12 ", 12],
    ["", NaN],
    ["-1", NaN],
    ["1,2,3", NaN],
  ])("parseDecimal(%j) = %s", (text, want) => {
    expect(parseDecimal(text)).toBe(want);
  });
});

describe("DoseForm", () => {
  it("asks for a value and a reason before sending a correction", async () => {
    const client = mockClient(() => undefined);
    renderWithProviders(<DoseForm target={{ mode: "correct", doseRecordID: "1", description: "Hp(10) janvier" }} onDone={() => {}} />, { client });
    await userEvent.click(screen.getByRole("button", { name: "Enregistrer la correction" }));
    expect(screen.getByText("Saisissez une dose positive, par exemple 0,45.")).toBeInTheDocument();
    expect(screen.getByText("Le motif est obligatoire.")).toBeInTheDocument();
    expect(client.executeMutation).not.toHaveBeenCalled();
  });

  it("shows the server's French message on the field it names", async () => {
    const client = mockClient((name) =>
      name === "CorrectDose"
        ? { errors: [{ message: "La dose corrigée dépasse 1 Sv : vérifiez l'unité.", extensions: { code: "BAD_USER_INPUT", field: "input.value" } }] }
        : undefined,
    );
    renderWithProviders(<DoseForm target={{ mode: "correct", doseRecordID: "1", description: "Hp(10) janvier" }} onDone={() => {}} />, { client });
    await userEvent.type(screen.getByLabelText(/Nouvelle valeur/), "2000");
    await userEvent.type(screen.getByLabelText(/Motif de la correction/), "Erreur de saisie");
    await userEvent.click(screen.getByRole("button", { name: "Enregistrer la correction" }));
    expect(await screen.findByText("La dose corrigée dépasse 1 Sv : vérifiez l'unité.")).toBeInTheDocument();
  });
});
