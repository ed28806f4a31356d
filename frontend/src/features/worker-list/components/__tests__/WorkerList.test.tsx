import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { mockClient, renderWithProviders } from "../../../../testing/render";
import { WorkerList } from "../WorkerList";

/** A page of `count` workers named after `prefix`, as the server returns it. */
function workerPage(prefix: string, count: number, { totalCount = 45, hasNextPage = true } = {}) {
  return {
    data: {
      workers: {
        __typename: "WorkerConnection",
        totalCount,
        edges: Array.from({ length: count }, (_, i) => ({
          __typename: "WorkerEdge",
          node: {
            __typename: "Worker",
            id: `${prefix}-${i}`,
            lastName: `${prefix}${i}`,
            usageName: null,
            firstNames: "Jeanne Marie",
            birthDate: "1984-03-07",
            sex: "F",
            identifierKind: "NIR",
          },
        })),
        pageInfo: { __typename: "PageInfo", hasNextPage, endCursor: `cursor-${prefix}` },
      },
    },
  };
}

describe("WorkerList", () => {
  it("shows a page of workers and goes to the next one", async () => {
    const client = mockClient((name, vars) => {
      if (name !== "WorkerList") return undefined;
      return vars.after === "cursor-DURAND" ? workerPage("MARTIN", 20) : workerPage("DURAND", 20);
    });
    renderWithProviders(<WorkerList name="" />, { client });

    const table = screen.getByRole("table", { name: "45 travailleurs" });
    const rows = within(table).getAllByRole("row");
    expect(rows).toHaveLength(21); // header + 20
    expect(within(rows[1]!).getAllByRole("cell").map((c) => c.textContent)).toEqual([
      "DURAND0",
      "—",
      "Jeanne Marie",
      "07/03/1984",
      "Femme",
      "NIR",
    ]);
    expect(screen.getByText("Page 1 sur 3")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Page précédente" })).toBeDisabled();

    await userEvent.click(screen.getByRole("button", { name: "Page suivante" }));

    expect(screen.getByRole("cell", { name: "MARTIN0" })).toBeInTheDocument();
    expect(screen.getByText("Page 2 sur 3")).toBeInTheDocument();
    expect(client.executeQuery).toHaveBeenLastCalledWith(
      expect.objectContaining({ variables: { first: 20, after: "cursor-DURAND", where: undefined } }),
      expect.anything(),
    );

    await userEvent.click(screen.getByRole("button", { name: "Page précédente" }));
    expect(screen.getByRole("cell", { name: "DURAND0" })).toBeInTheDocument();
  });

  it("searches by birth name, with no pager for a single page", () => {
    const client = mockClient(() => workerPage("DUPONT", 2, { totalCount: 2, hasNextPage: false }));
    renderWithProviders(<WorkerList name=" dupont " />, { client });

    expect(screen.getByRole("table", { name: "2 travailleurs trouvés pour « dupont »" })).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Page suivante" })).not.toBeInTheDocument();
    expect(client.executeQuery).toHaveBeenCalledWith(
      expect.objectContaining({ variables: { first: 20, after: null, where: { lastNameContainsFold: "dupont" } } }),
      expect.anything(),
    );
  });

  it("says when no worker matches", () => {
    const client = mockClient(() => workerPage("X", 0, { totalCount: 0, hasNextPage: false }));
    renderWithProviders(<WorkerList name="Zzz" />, { client });
    expect(screen.getByText("Aucun travailleur dont le nom contient « Zzz ».")).toBeInTheDocument();
    expect(screen.queryByRole("table")).not.toBeInTheDocument();
  });

  it("shows the server's message when the query is refused", () => {
    const client = mockClient(() => ({
      errors: [
        { message: "Vous n'avez pas accès à cette information ou à cette opération.", extensions: { code: "FORBIDDEN" } },
      ],
    }));
    renderWithProviders(<WorkerList name="" />, { client });
    expect(screen.getByText("Accès refusé")).toBeInTheDocument();
    expect(screen.getByText("Vous n'avez pas accès à cette information ou à cette opération.")).toBeInTheDocument();
  });
});
