import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { mockClient, renderWithProviders } from "../../../../testing/render";
import { EstablishmentList } from "../EstablishmentList";

describe("EstablishmentList", () => {
  it("shows SIRET, name, city and region name", () => {
    const client = mockClient(() => ({
      data: {
        establishments: {
          __typename: "EstablishmentConnection",
          totalCount: 1,
          edges: [
            {
              __typename: "EstablishmentEdge",
              node: {
                __typename: "Establishment",
                id: "1",
                siret: "73282932000074",
                name: "Centre hospitalier de Lyon",
                postalCode: "69003",
                city: "Lyon",
                region: "84",
                closedAt: null,
              },
            },
          ],
          pageInfo: { __typename: "PageInfo", hasNextPage: false, endCursor: "c1" },
        },
      },
    }));
    renderWithProviders(<EstablishmentList name="" />, { client });

    const table = screen.getByRole("table", { name: "1 établissement" });
    expect(within(table).getAllByRole("columnheader").map((h) => h.textContent)).toEqual([
      "SIRET",
      "Nom",
      "Ville",
      "Région",
    ]);
    expect(within(table).getAllByRole("cell").map((c) => c.textContent)).toEqual([
      "732 829 320 00074",
      "Centre hospitalier de Lyon",
      "Lyon (69003)",
      "Auvergne-Rhône-Alpes",
    ]);
    expect(screen.queryByRole("navigation", { name: "Pagination" })).not.toBeInTheDocument();
  });
});
