import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { mockClient, renderWithProviders } from "../../../../testing/render";
import { BatchFindings } from "../BatchFindings";

const finding = {
  __typename: "BatchFinding",
  id: "7",
  createdAt: "2026-12-05T10:00:00Z",
  importBatchID: "42",
  kind: "BATCH_ZERO_SHARE",
  contextLabel: "du secteur Radiologie interventionnelle, corps entier (dosimétrie passive), port mensuel",
  direction: "UP",
  pValue: 2.3e-32,
  explanation: "Dans ce lot, 68 % des 300 résultats du secteur Radiologie interventionnelle sont nuls contre 20 % dans les 6 lots précédents du laboratoire.",
  status: "OPEN",
  laboratory: { __typename: "Laboratory", id: "3", name: "Laboratoire de dosimétrie" },
};

function answer(name: string | undefined) {
  return name === "BatchFindings"
    ? {
        data: {
          batchFindings: {
            totalCount: 1,
            edges: [{ node: finding }],
            pageInfo: { __typename: "PageInfo", hasNextPage: false, endCursor: null },
          },
        },
      }
    : undefined;
}

describe("BatchFindings", () => {
  it("shows the laboratory its atypical batch, the departure and the explanation", async () => {
    renderWithProviders(<BatchFindings />, { client: mockClient(answer) });
    const table = await screen.findByRole("table", { name: "1 lot atypique" });
    expect(within(table).getByText("n° 42")).toBeInTheDocument();
    expect(within(table).getByText("Part de résultats nuls")).toBeInTheDocument();
    expect(within(table).getByText("en hausse")).toBeInTheDocument();
    expect(within(table).getByText(/68 % des 300 résultats/)).toBeInTheDocument();
    expect(within(table).getByText("Ouvert")).toBeInTheDocument();
    expect(within(table).queryByText("Laboratoire de dosimétrie")).not.toBeInTheDocument();
  });

  it("names the laboratory for the agency", async () => {
    renderWithProviders(<BatchFindings showLaboratory />, { client: mockClient(answer) });
    const table = await screen.findByRole("table", { name: "1 lot atypique" });
    expect(within(table).getByText("Laboratoire de dosimétrie")).toBeInTheDocument();
  });
});
