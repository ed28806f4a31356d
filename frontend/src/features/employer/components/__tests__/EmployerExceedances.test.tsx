import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { mockClient, renderWithProviders } from "../../../../testing/render";
import { EmployerExceedances } from "../EmployerExceedances";

const worker = { __typename: "Worker", id: "7", lastName: "Léger", firstNames: "Adrien" };

describe("EmployerExceedances", () => {
  it("names the worker and the limit, never a dose value", async () => {
    const client = mockClient((name) =>
      name === "EmployerExceedances"
        ? {
            data: {
              exposureSummaries: {
                totalCount: 1,
                edges: [
                  {
                    node: {
                      __typename: "ExposureSummary",
                      id: "1",
                      limitCode: "EFFECTIVE",
                      status: "EXCEEDED",
                      windowStart: "2025-11-01",
                      windowEnd: "2026-10-31",
                      limitMsv: 20,
                      worker,
                    },
                  },
                ],
              },
              anomalies: {
                totalCount: 1,
                edges: [
                  {
                    node: {
                      __typename: "Anomaly",
                      id: "2",
                      createdAt: "2026-11-02T10:00:00Z",
                      kind: "LIMIT_EXCEEDED",
                      status: "OPEN",
                      periodStart: "2026-10-01",
                      periodEnd: "2026-10-31",
                      worker,
                      establishment: { __typename: "Establishment", name: "Atelier Nord" },
                    },
                  },
                ],
              },
            },
          }
        : undefined,
    );
    renderWithProviders(<EmployerExceedances />, { client });
    const table = await screen.findByRole("table", { name: "1 dépassement en cours" });
    expect(within(table).getByText("Adrien Léger")).toBeInTheDocument();
    expect(within(table).getByText("Dose efficace (12 mois glissants)")).toBeInTheDocument();
    const alerts = screen.getByRole("table", { name: "1 alerte de dépassement" });
    expect(`${table.textContent}${alerts.textContent}`).not.toMatch(/mSv|\d+,\d+/);
  });
});
