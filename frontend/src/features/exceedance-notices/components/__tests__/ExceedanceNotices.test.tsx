import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { mockClient, renderWithProviders } from "../../../../testing/render";
import { ExceedanceNotices } from "../ExceedanceNotices";

describe("ExceedanceNotices", () => {
  it("shows the context and the band of each notice, never a person", async () => {
    const client = mockClient((name) =>
      name === "ExceedanceNotices"
        ? {
            data: {
              exceedanceNotices: {
                totalCount: 1,
                edges: [
                  {
                    node: {
                      __typename: "ExceedanceNotice",
                      id: "1",
                      confirmedOn: "2026-11-20",
                      exceedanceMonth: "2026-10-01",
                      limitCode: "EFFECTIVE",
                      population: "ADULT",
                      band: "FROM_1_TO_1_25",
                      bandLabel: "de 1 à 1,25 fois la limite",
                      bandLowerMsv: 20,
                      bandUpperMsv: 25,
                      sectorCode: "NUC-PREST",
                      sectorLabel: "Logistique et maintenance nucléaire",
                      domainLabel: "Industrie nucléaire",
                      regionCode: "84",
                      regionLabel: "Auvergne-Rhône-Alpes",
                    },
                  },
                ],
                pageInfo: { __typename: "PageInfo", hasNextPage: false, endCursor: null },
              },
            },
          }
        : undefined,
    );
    renderWithProviders(<ExceedanceNotices />, { client });
    const table = await screen.findByRole("table", { name: "1 signalement de dépassement" });
    expect(within(table).getByText("20/11/2026")).toBeInTheDocument();
    expect(within(table).getByText("Dose efficace (12 mois glissants)")).toBeInTheDocument();
    expect(within(table).getByText("Logistique et maintenance nucléaire")).toBeInTheDocument();
    expect(within(table).getByText("Auvergne-Rhône-Alpes")).toBeInTheDocument();
    expect(within(table).getByText(/de 1 à 1,25 fois la limite/)).toBeInTheDocument();
  });
});
