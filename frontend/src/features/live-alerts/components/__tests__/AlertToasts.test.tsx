import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { mockClient, renderWithProviders } from "../../../../testing/render";
import { AlertToasts } from "../AlertToasts";

describe("AlertToasts", () => {
  it("announces a new anomaly with the worker and a link to triage, and can be closed", async () => {
    const onClose = vi.fn();
    renderWithProviders(
      <AlertToasts
        toasts={[
          {
            id: "9",
            createdAt: "2026-11-02T10:00:00Z",
            kind: "LIMIT_EXCEEDED",
            severity: "CRITICAL",
            workerID: "7",
            workerName: "Pauline Roy",
            establishmentName: "Hôpital cardiologique",
            read: false,
          },
        ]}
        onClose={onClose}
      />,
      { client: mockClient(() => undefined) },
    );
    expect(screen.getByText("Nouvelle anomalie : Pauline Roy")).toBeInTheDocument();
    expect(screen.getByText(/Dépassement de limite réglementaire — Hôpital cardiologique/)).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Voir les anomalies" })).toHaveAttribute("href", "/anomalies");
    await userEvent.click(screen.getByRole("button", { name: /Masquer le message|Fermer/ }));
    expect(onClose).toHaveBeenCalledWith("9");
  });
});
