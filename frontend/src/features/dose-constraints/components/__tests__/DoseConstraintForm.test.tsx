import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { mockClient, renderWithProviders } from "../../../../testing/render";
import { validateConstraint } from "../constraint-input";
import { DoseConstraintForm } from "../DoseConstraintForm";

describe("validateConstraint", () => {
  const draft = { limit: "EFFECTIVE" as const, jobCode: "", valueMsv: "14", comment: "" };
  it("turns French mSv into µSv", () => {
    expect(validateConstraint({ ...draft, valueMsv: "0,5" })).toEqual({ errors: {}, annualUsv: 500 });
    expect(validateConstraint({ ...draft, valueMsv: "14" }).annualUsv).toBe(14000);
  });
  it("refuses a missing limit, an empty, zero, malformed or above-limit value, a long job code", () => {
    expect(validateConstraint({ ...draft, limit: "" }).errors.limit).toBe("Choisissez la limite concernée.");
    expect(validateConstraint({ ...draft, valueMsv: "" }).errors.valueMsv).toMatch(/Indiquez la valeur/);
    expect(validateConstraint({ ...draft, valueMsv: "0" }).errors.valueMsv).toMatch(/strictement positive/);
    expect(validateConstraint({ ...draft, valueMsv: "-2" }).errors.valueMsv).toMatch(/nombre de mSv/);
    expect(validateConstraint({ ...draft, valueMsv: "20,5" }).errors.valueMsv).toBe(
      "La contrainte de dose ne peut pas dépasser la limite réglementaire (20 mSv sur 12 mois).",
    );
    expect(validateConstraint({ ...draft, limit: "EXTREMITY", valueMsv: "150" }).errors).toEqual({});
    expect(validateConstraint({ ...draft, jobCode: "X".repeat(21) }).errors.jobCode).toMatch(/20 caractères/);
  });
});

describe("DoseConstraintForm", () => {
  it("shows the errors in the fields and sends nothing while the input is invalid", async () => {
    const client = mockClient(() => undefined);
    renderWithProviders(<DoseConstraintForm establishmentId="7" onDone={() => {}} />, { client });
    await userEvent.type(screen.getByLabelText(/Contrainte en mSv/), "25");
    await userEvent.click(screen.getByRole("button", { name: "Enregistrer la contrainte" }));
    expect(await screen.findByText("Choisissez la limite concernée.")).toBeInTheDocument();
    await userEvent.selectOptions(screen.getByLabelText("Limite concernée"), "EFFECTIVE");
    await userEvent.click(screen.getByRole("button", { name: "Enregistrer la contrainte" }));
    expect(await screen.findByText(/ne peut pas dépasser la limite réglementaire \(20 mSv/)).toBeInTheDocument();
    expect(client.executeMutation).not.toHaveBeenCalled();
  });

  it("sends the value in µSv and shows the server's CONSTRAINT_ABOVE_LIMIT in the value's field", async () => {
    const sent: Record<string, unknown>[] = [];
    const client = mockClient((name, variables) => {
      if (name !== "SetDoseConstraint") return undefined;
      sent.push(variables);
      return {
        errors: [
          {
            message: "La contrainte de dose (14 mSv sur 12 mois) dépasse la limite réglementaire (6 mSv sur 12 mois) : elle doit lui être inférieure ou égale.",
            extensions: { code: "CONSTRAINT_ABOVE_LIMIT", field: "input.annualUsv" },
          },
        ],
      };
    });
    const done = vi.fn();
    renderWithProviders(<DoseConstraintForm establishmentId="7" onDone={done} />, { client });
    await userEvent.selectOptions(screen.getByLabelText("Limite concernée"), "EFFECTIVE");
    await userEvent.type(screen.getByLabelText(/Code métier/), " SOUDEUR ");
    await userEvent.type(screen.getByLabelText(/Contrainte en mSv/), "14");
    await userEvent.click(screen.getByRole("button", { name: "Enregistrer la contrainte" }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toEqual({
      input: { establishmentId: "7", limit: "EFFECTIVE", jobCode: "SOUDEUR", annualUsv: 14000, comment: null },
    });
    const message = await screen.findByText(/dépasse la limite réglementaire \(6 mSv/);
    // In the value's own DSFR slot, not in a general alert.
    const group = screen.getByLabelText(/Contrainte en mSv/).closest(".fr-input-group");
    expect(group).toHaveClass("fr-input-group--error");
    expect(group).toContainElement(message);
    expect(screen.queryByRole("alert")).toBeNull();
    expect(done).not.toHaveBeenCalled();
  });
});
