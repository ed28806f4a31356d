import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { mockClient, renderWithProviders } from "../../../../testing/render";
import { AdviserWorkerFile } from "../AdviserWorkerFile";

const record = (id: string, periodStart: string, periodEnd: string, valueMsv: number) => ({
  __typename: "DoseRecord",
  id,
  monitoringKind: "PASSIVE_WHOLE_BODY",
  quantity: "HP10",
  valueMsv,
  status: "MEASURED",
  source: "LABORATORY",
  periodStart,
  periodEnd,
  version: 1,
  current: true,
  pending: false,
  supersedesID: null,
  establishment: { __typename: "Establishment", name: "Hôpital cardiologique" },
  laboratory: { __typename: "Laboratory", name: "Landauer Europe" },
});

const workerNode = {
  __typename: "Worker",
  id: "w1",
  lastName: "Martin",
  firstNames: "Léa",
  birthDate: "1990-04-12",
  employments: {
    edges: [
      {
        node: {
          id: "e1",
          startDate: "2025-04-01",
          endDate: null,
          jobCode: "CARDIO",
          classification: "A",
          establishment: { __typename: "Establishment", id: "est1", name: "Hôpital cardiologique" },
        },
      },
    ],
  },
  exposure: [
    {
      __typename: "LimitStatus",
      limitCode: "EFFECTIVE",
      label: "Dose efficace (12 mois glissants)",
      valueMsv: 3,
      limitMsv: 20,
      share: 0.15,
      state: "OK",
      windowStart: "2025-07-01",
      windowEnd: "2026-06-30",
    },
  ],
  doseHistory: [
    { __typename: "MonthlyDose", month: "2025-04", monitoringKind: "PASSIVE_WHOLE_BODY", quantity: "HP10", valueMsv: 1 },
    { __typename: "MonthlyDose", month: "2025-05", monitoringKind: "PASSIVE_WHOLE_BODY", quantity: "HP10", valueMsv: 1 },
    { __typename: "MonthlyDose", month: "2025-06", monitoringKind: "PASSIVE_WHOLE_BODY", quantity: "HP10", valueMsv: 1 },
  ],
  doseRecords: {
    totalCount: 3,
    edges: [record("d1", "2025-04-01", "2025-04-30", 1), record("d2", "2025-05-01", "2025-05-31", 1), record("d3", "2025-06-01", "2025-06-30", 1)].map((node) => ({
      node,
    })),
  },
  operationalDoses: {
    totalCount: 1,
    edges: [{ node: { __typename: "OperationalDose", id: "o1", startAt: "2025-05-05T07:00:00Z", endAt: "2025-05-05T15:00:00Z", valueUsv: 850 } }],
  },
};

describe("AdviserWorkerFile", () => {
  it("shows the contract period's standings, history against the limit, operational and passive doses, and results", async () => {
    const client = mockClient((name, variables) => (name === "AdviserWorkerFile" && variables.id === "w1" ? { data: { node: workerNode } } : undefined));
    renderWithProviders(<AdviserWorkerFile workerID="w1" />, { client });

    expect(await screen.findByRole("heading", { name: "Léa Martin" })).toBeInTheDocument();
    expect(screen.getByText(/Hôpital cardiologique — CARDIO \(catégorie A\), du 01\/04\/2025 à aujourd'hui/)).toBeInTheDocument();

    const standing = screen.getByRole("table", { name: "Cumul par limite réglementaire sur la période de contrat" });
    expect(within(standing).getByText("3,0 mSv")).toBeInTheDocument();
    expect(within(standing).getByText("20,00 mSv")).toBeInTheDocument();

    expect(screen.getByRole("img", { name: /Dose efficace par mois et cumul sur 12 mois glissants de avr\. 2025 à juin 2025, face à la limite de 20,00 mSv/ })).toBeInTheDocument();
    const history = screen.getByRole("table", { name: "Dose efficace par mois et cumul sur 12 mois glissants", hidden: true });
    const juin = within(history).getByText("juin 2025", { selector: "td,th" }).closest("tr")!;
    expect(within(juin).getByText("3,0 mSv")).toBeInTheDocument();

    const op = screen.getByRole("table", { name: "Dosimétrie opérationnelle et passive par mois", hidden: true });
    const mai = within(op).getByText("mai 2025", { selector: "td,th" }).closest("tr")!;
    expect(within(mai).getByText("0,85 mSv")).toBeInTheDocument();
    expect(within(mai).getByText("1,0 mSv")).toBeInTheDocument();

    const results = screen.getByRole("table", { name: "3 résultats de la période de contrat" });
    expect(within(results).getAllByRole("row")).toHaveLength(4);
  });

  it("says when the worker is not one of the adviser's", async () => {
    const client = mockClient((name) => (name === "AdviserWorkerFile" ? { data: { node: null } } : undefined));
    renderWithProviders(<AdviserWorkerFile workerID="w9" />, { client });
    expect(await screen.findByText(/n'est pas employé dans vos établissements/)).toBeInTheDocument();
  });
});
