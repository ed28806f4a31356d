import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { mockClient, renderWithProviders, type MockAnswer } from "../../../../testing/render";
import { ConflictInbox } from "../ConflictInbox";

const conflict = {
  __typename: "DoseConflict",
  id: "51",
  status: "OPEN",
  createdAt: "2026-11-20T09:00:00Z",
  resolvedAt: null,
  resolutionReason: null,
  worker: { __typename: "Worker", id: "7", lastName: "Roy", firstNames: "Claire" },
  establishment: { __typename: "Establishment", name: "Hôpital Nord" },
  laboratory: { __typename: "Laboratory", name: "Dosilab" },
  correction: {
    __typename: "DoseRecord",
    id: "100",
    valueMsv: 0.8,
    correctionReason: "Dosimètre porté par erreur par un collègue",
    periodStart: "2026-09-01",
    periodEnd: "2026-09-30",
    monitoringKind: "PASSIVE_WHOLE_BODY",
    quantity: "HP10",
    version: 2,
    receivedAt: "2026-11-02T10:00:00Z",
  },
  resend: { __typename: "DoseRecord", id: "101", valueMsv: 1.5, receivedAt: "2026-11-20T09:00:00Z", version: 3 },
  resolvedBy: null,
};

const decided = {
  ...conflict,
  id: "52",
  status: "ACCEPTED_LABORATORY",
  resolvedAt: "2026-11-21T14:30:00Z",
  resolutionReason: "Relecture du dosimètre confirmée",
  resolvedBy: { __typename: "Account", displayName: "Dr Paul Lenoir" },
};

/** A page of conflicts as the list query answers it. */
function page(nodes: object[]) {
  return {
    data: {
      doseConflicts: {
        __typename: "DoseConflictConnection",
        totalCount: nodes.length,
        edges: nodes.map((node) => ({ __typename: "DoseConflictEdge", node })),
        pageInfo: { __typename: "PageInfo", hasNextPage: false, endCursor: null },
      },
    },
  };
}

/** A client answering the open list with `open` (read at each query), the decided one, and the decision with `decide`. */
function client(open: object[] | (() => object[]), decide?: () => MockAnswer) {
  return mockClient((name, variables) => {
    if (name === "DoseConflictList") {
      const where = variables.where as { status?: string };
      return where.status === "OPEN" ? page(typeof open === "function" ? open() : open) : page([decided]);
    }
    if (name === "ResolveDoseConflict") return decide?.();
    return undefined;
  });
}

describe("ConflictInbox", () => {
  it("shows the correction and the laboratory's re-send side by side", async () => {
    renderWithProviders(<ConflictInbox canDecide />, { client: client([conflict]) });
    const card = await screen.findByRole("region", { name: "Claire Roy" });
    expect(within(card).getByText(/Dosimétrie passive corps entier, Hp\(10\), du 01\/09\/2026 au 30\/09\/2026/)).toBeInTheDocument();
    const values = within(card).getByRole("table", { name: "Valeurs en conflit pour Claire Roy" });
    const [correction, resend] = within(values).getAllByRole("row").slice(1);
    expect(correction).toHaveTextContent("Correction du médecin du travail (version 2)");
    expect(correction).toHaveTextContent("0,8 mSv");
    expect(correction).toHaveTextContent("Dosimètre porté par erreur par un collègue");
    expect(resend).toHaveTextContent("Renvoi du laboratoire Dosilab (version 3)");
    expect(resend).toHaveTextContent("1,5 mSv");
    expect(within(card).getByText(/reçu le 20\/11\/2026/)).toBeInTheDocument();
    expect(within(card).getByRole("link", { name: "Voir le dossier de Claire Roy" })).toHaveAttribute("href", "/travailleurs-suivis/7");
    expect(within(card).getByRole("radio", { name: /Conserver ma correction/ })).toBeInTheDocument();
    expect(within(card).getByRole("radio", { name: /Accepter la valeur du laboratoire/ })).toBeInTheDocument();
  });

  it("lists the decided conflicts with the decision, its reason, who and when", async () => {
    renderWithProviders(<ConflictInbox canDecide />, { client: client([conflict]) });
    const table = await screen.findByRole("table", { name: "1 conflit tranché" });
    const row = within(table).getAllByRole("row")[1]!;
    expect(row).toHaveTextContent("Claire Roy");
    expect(row).toHaveTextContent("Valeur du laboratoire acceptée");
    expect(row).toHaveTextContent("Relecture du dosimètre confirmée");
    expect(row).toHaveTextContent("Dr Paul Lenoir");
    expect(row).toHaveTextContent("21/11/2026");
  });

  it("asks for a decision and a reason before sending anything", async () => {
    const c = client([conflict]);
    renderWithProviders(<ConflictInbox canDecide />, { client: c });
    const card = await screen.findByRole("region", { name: "Claire Roy" });
    await userEvent.click(within(card).getByRole("button", { name: "Valider la décision" }));
    expect(within(card).getByText("Choisissez une décision.")).toBeInTheDocument();
    expect(within(card).getByText("Le motif de la décision est obligatoire.")).toBeInTheDocument();
    await userEvent.click(within(card).getByRole("radio", { name: /Conserver ma correction/ }));
    await userEvent.type(within(card).getByLabelText(/Motif de la décision/), "   ");
    await userEvent.click(within(card).getByRole("button", { name: "Valider la décision" }));
    expect(within(card).queryByText("Choisissez une décision.")).not.toBeInTheDocument();
    expect(within(card).getByText("Le motif de la décision est obligatoire.")).toBeInTheDocument();
    expect(c.executeMutation).not.toHaveBeenCalled();
  });

  it("shows the server's refusal of the reason under the reason", async () => {
    const message = "Le motif compte 612 caractères : 500 au plus.";
    renderWithProviders(<ConflictInbox canDecide />, {
      client: client([conflict], () => ({ errors: [{ message, extensions: { code: "BAD_USER_INPUT", field: "reason" } }] })),
    });
    const card = await screen.findByRole("region", { name: "Claire Roy" });
    await userEvent.click(within(card).getByRole("radio", { name: /Accepter la valeur du laboratoire/ }));
    await userEvent.type(within(card).getByLabelText(/Motif de la décision/), "Trop long");
    await userEvent.click(within(card).getByRole("button", { name: "Valider la décision" }));
    const reason = within(card).getByLabelText(/Motif de la décision/);
    expect(await within(card).findByText(message)).toBeInTheDocument();
    expect(reason).toHaveAttribute("aria-invalid", "true");
    expect(reason).toHaveAccessibleDescription(expect.stringContaining(message));
  });

  it("records the decision and takes the conflict out of the open list", async () => {
    let open = [conflict];
    const c = client(
      () => open,
      () => {
        open = [];
        return { data: { resolveDoseConflict: { __typename: "DoseConflict", id: "51", status: "KEPT_CORRECTION", resolvedAt: "2026-11-21T14:30:00Z", resolutionReason: "Correction confirmée", resolvedBy: null } } };
      },
    );
    renderWithProviders(<ConflictInbox canDecide />, { client: c });
    const card = await screen.findByRole("region", { name: "Claire Roy" });
    await userEvent.click(within(card).getByRole("radio", { name: /Conserver ma correction/ }));
    await userEvent.type(within(card).getByLabelText(/Motif de la décision/), "Correction confirmée");
    await userEvent.click(within(card).getByRole("button", { name: "Valider la décision" }));
    expect(await screen.findByText("La décision a été enregistrée.")).toBeInTheDocument();
    expect(c.executeMutation.mock.calls[0]![0].variables).toEqual({ id: "51", decision: "KEEP_CORRECTION", reason: "Correction confirmée" });
    expect(await screen.findByText("Aucun conflit de correction en attente de décision.")).toBeInTheDocument();
    expect(screen.queryByRole("region", { name: "Claire Roy" })).not.toBeInTheDocument();
  });

  it("lets a delegate read the conflicts without deciding", async () => {
    renderWithProviders(<ConflictInbox canDecide={false} />, { client: client([conflict]) });
    const card = await screen.findByRole("region", { name: "Claire Roy" });
    expect(screen.getByText(/Seul le médecin du travail tranche ces conflits/)).toBeInTheDocument();
    expect(within(card).getByText("1,5 mSv")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Valider la décision" })).not.toBeInTheDocument();
    expect(screen.queryByRole("radio")).not.toBeInTheDocument();
    expect(screen.queryByLabelText(/Motif de la décision/)).not.toBeInTheDocument();
  });
});
