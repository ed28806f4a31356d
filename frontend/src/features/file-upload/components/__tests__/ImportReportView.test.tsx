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
      warningCount: 0,
      problems: [
        { line: 2, column: "nir", value: "1800", severity: "ERROR", code: "NIR_KEY", message: "La clé du NIR est fausse." },
        { line: 4, column: "siret", value: "123", severity: "ERROR", code: "SIRET_LUHN", message: "Le SIRET est invalide." },
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

  it("shows a warning as « Avertissement », apart from errors, on a row that was accepted", () => {
    const report = {
      __typename: "ImportReport",
      reference: "LABO-2",
      format: "LAB_RESULTS",
      status: "PARTIAL",
      dryRun: false,
      replayed: false,
      rowsTotal: 2,
      rowsAccepted: 1,
      rowsRejected: 1,
      problemCount: 2,
      warningCount: 1,
      problems: [
        {
          line: 2,
          column: "resultat",
          value: "0,30",
          severity: "WARNING",
          code: "VALUE_ROUNDED",
          message: "Le résultat 0,30 µSv est plus précis que le µSv, unité de stockage du registre : il est enregistré arrondi à 0 µSv.",
        },
        { line: 3, column: "resultat", value: "--", severity: "ERROR", code: "VALUE_INVALID", message: "La dose « -- mSv » n'est pas un nombre." },
      ],
      doseClasses: [],
      anomaliesRaised: 0,
      workersCreated: 0,
      employmentsCreated: 0,
    };
    render(<ImportReportView report={report as never} />);
    expect(screen.getByText(/2 lignes lues, 1 acceptée, 1 rejetée\. 1 avertissement \(un avertissement ne rejette pas sa ligne\)\./)).toBeInTheDocument();
    const problems = screen.getByRole("table", { name: "Erreurs et avertissements (2 : 1 erreur, 1 avertissement)" });
    const rows = within(problems).getAllByRole("row").slice(1);
    const severities = rows.map((r) => within(r).getAllByRole("cell")[3]!);
    expect(severities.map((c) => c.textContent)).toEqual(["Avertissement", "Erreur"]);
    expect(within(severities[0]!).getByText("Avertissement")).toHaveClass("fr-badge--warning");
    expect(within(severities[1]!).getByText("Erreur")).toHaveClass("fr-badge--error");
    expect(within(rows[0]!).getByText("VALUE_ROUNDED")).toBeInTheDocument();
  });
});
