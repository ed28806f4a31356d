import { fireEvent, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { AppRoutes } from "../../../app/AppRoutes";
import { mockClient, renderWithProviders } from "../../../testing/render";
import { CertificateDownload } from "../components/CertificateDownload";

describe("Certificate", () => {
  it("links the worker to their signed PDF and says they choose whom to give it to", () => {
    renderWithProviders(<CertificateDownload workerID="42" holder="self" />, { client: mockClient(() => undefined) });
    expect(screen.getByRole("link", { name: /Télécharger l'attestation signée/ })).toHaveAttribute("href", "/certificats/42");
    expect(screen.getByText(/Vous choisissez à qui le transmettre/)).toBeInTheDocument();
  });

  it("opens the verification page without a session, with a labelled upload that asks for a file", () => {
    // No Viewer answer: whoever scans the QR code is not signed in.
    renderWithProviders(<AppRoutes />, { client: mockClient(() => undefined), route: "/verification" });
    expect(screen.getByRole("heading", { level: 1, name: "Vérifier une attestation d'historique dosimétrique" })).toBeInTheDocument();
    expect(screen.queryByRole("navigation", { name: "Menu principal" })).not.toBeInTheDocument();
    const input = screen.getByLabelText(/Attestation au format PDF/);
    expect(input).toHaveAttribute("accept", ".pdf,application/pdf");
    fireEvent.click(screen.getByRole("button", { name: "Vérifier le fichier" }));
    expect(screen.getByText("Choisissez le fichier PDF de l'attestation.")).toBeInTheDocument();
  });
});
