import { render, screen, waitFor, within } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { Provider } from "urql";
import { describe, expect, it } from "vitest";

import { mockClient, renderWithProviders } from "../../../../testing/render";
import { AdviserActions } from "../AdviserActions";

const worker = (id: string, lastName: string) => ({ __typename: "Worker", id, lastName, firstNames: "Léa" });
const finding = (id: string, kind: string, explanation: string, w = worker("w1", "Martin")) => ({
  __typename: "Anomaly",
  id,
  createdAt: "2026-11-02T08:00:00Z",
  kind,
  explanation,
  periodStart: "2026-10-01",
  periodEnd: "2026-10-31",
  worker: w,
});
const list = (nodes: unknown[], totalCount = nodes.length) => ({ totalCount, edges: nodes.map((node) => ({ node })) });

describe("AdviserActions", () => {
  it("lists what needs action with values and links each worker to the adviser's file", async () => {
    const seen: Record<string, unknown>[] = [];
    const client = mockClient((name, variables) => {
      if (name !== "AdviserActions") return undefined;
      seen.push(variables);
      return {
        data: {
          openAnomalies: list([finding("a1", "PROBABLE_UNIT_ERROR", "Valeur 1 000 fois la valeur habituelle.")], 3),
          lateResults: list([finding("a2", "MISSING_RESULT", "Aucun résultat reçu pour octobre.", worker("w2", "Bernard"))]),
          doseConstraintNotices: list([]),
          limitAlerts: list([
            {
              __typename: "LimitAlert",
              limitCode: "EFFECTIVE",
              label: "Dose efficace (12 mois glissants)",
              state: "APPROACHING",
              valueMsv: 17.2,
              limitMsv: 20,
              worker: worker("w3", "Petit"),
            },
          ]),
        },
      };
    });
    renderWithProviders(<AdviserActions />, { client });

    const near = await screen.findByRole("region", { name: "Travailleurs proches d'une limite" });
    expect(within(near).getByText("1 limite atteinte à 80 % ou plus")).toBeInTheDocument();
    expect(within(near).getByText(/17,2 mSv \/ 20,00 mSv/)).toBeInTheDocument();
    expect(within(near).getByRole("link", { name: "Léa Petit" })).toHaveAttribute("href", "/conseiller/travailleurs/w3");

    const open = screen.getByRole("region", { name: "Anomalies ouvertes" });
    expect(within(open).getByText("3 anomalies à traiter")).toBeInTheDocument();
    expect(within(open).getByText(/Valeur 1 000 fois/)).toBeInTheDocument();
    expect(within(open).getByRole("link", { name: "Trier les anomalies" })).toHaveAttribute("href", "/anomalies");

    const late = screen.getByRole("region", { name: "Résultats en retard" });
    expect(within(late).getByText("1 résultat manquant")).toBeInTheDocument();
    expect(within(late).getByRole("link", { name: "Léa Bernard" })).toHaveAttribute("href", "/conseiller/travailleurs/w2");

    const notices = screen.getByRole("region", { name: "Dépassements de contrainte de dose" });
    expect(within(notices).getByText("0 avis ouvert")).toBeInTheDocument();
    expect(within(notices).queryByRole("listitem")).toBeNull();

    // Late results are the missing-result findings, kept out of the open anomalies.
    expect(seen[0]).toEqual({ missing: "MISSING_RESULT" });
  });

  it("asks the server again when a live alert arrives", async () => {
    const client = mockClient((name) =>
      name === "AdviserActions"
        ? { data: { openAnomalies: list([]), lateResults: list([]), doseConstraintNotices: list([]), limitAlerts: list([]) } }
        : undefined,
    );
    const { rerender } = render(
      <Provider value={client}>
        <MemoryRouter>
          <AdviserActions refreshKey={0} />
        </MemoryRouter>
      </Provider>,
    );
    await screen.findByText("0 anomalie à traiter");
    const before = client.executeQuery.mock.calls.length;
    rerender(
      <Provider value={client}>
        <MemoryRouter>
          <AdviserActions refreshKey={1} />
        </MemoryRouter>
      </Provider>,
    );
    await waitFor(() => expect(client.executeQuery.mock.calls.length).toBeGreaterThan(before));
    const last = client.executeQuery.mock.calls.at(-1)!;
    expect(last[1]).toMatchObject({ requestPolicy: "network-only" });
  });

  it("shows the server's error in French", async () => {
    const client = mockClient(() => ({ errors: [{ message: "Vous n'avez pas accès à ces données.", extensions: { code: "FORBIDDEN" } }] }));
    renderWithProviders(<AdviserActions />, { client });
    expect(await screen.findByText(/Vous n'avez pas accès à ces données/)).toBeInTheDocument();
  });
});
