import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { ImportReportView } from "../ImportReportView";

describe("ImportReportView", () => {
  it("shows the counts and every problem with its line, and offers the CSV", () => {
    const report = {
      __typename: "ImportReport",
      reference: "LABO-1",
      format: "LAB_RESULTS",
      status: "PARTIAL",
      dryRun: false,
      replayed: false,
      rowsTotal: 3,
      rowsAccepted: 1,
      rowsRejected: 2,
      problemCount: 2,
      problems: [
        { line: 2, column: "nir", value: "1800", code: "NIR_KEY", message: "La clé du NIR est fausse." },
        { line: 4, column: "siret", value: "123", code: "SIRET_LUHN", message: "Le SIRET est invalide." },
      ],
      doseClasses: [{ class: "FROM_0_1_TO_1", label: "0,1 à 1 mSv", count: 1 }],
      anomaliesRaised: 0,
      workersCreated: 0,
      employmentsCreated: 0,
    };
    render(<ImportReportView report={report as never} />);
    expect(screen.getByText("Lot partiellement accepté")).toBeInTheDocument();
    expect(screen.getByText(/3 lignes lues, 1 acceptée, 2 rejetées/)).toBeInTheDocument();
    const problems = screen.getByRole("table", { name: "Erreurs et avertissements (2)" });
    const rows = within(problems).getAllByRole("row").slice(1);
    expect(rows.map((r) => within(r).getAllByRole("cell")[0]!.textContent)).toEqual(["2", "4"]);
    expect(within(problems).getByText("NIR_KEY")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Télécharger le rapport (CSV)" })).toBeInTheDocument();
  });
});
