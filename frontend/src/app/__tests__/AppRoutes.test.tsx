import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { mockClient, renderWithProviders, viewerData } from "../../testing/render";
import type { Role } from "../../graphql/graphql";
import { AppRoutes } from "../AppRoutes";

/** Renders the app at `route` for a caller holding `roles`, with `openConflicts` conflicts to decide. */
function renderAt(route: string, roles: Role[], openConflicts = 0) {
  const client = mockClient((name) => {
    if (name === "Viewer") return { data: viewerData(roles) };
    if (name === "OpenDoseConflictCount") return { data: { doseConflicts: { __typename: "DoseConflictConnection", totalCount: openConflicts } } };
    return undefined;
  });
  renderWithProviders(<AppRoutes />, { client, route });
}

describe("AppRoutes", () => {
  it("shows only the second-factor screen to a session that waits for it, whatever the page", () => {
    const pending = viewerData([]);
    pending.me.secondFactor = "REQUIRED";
    const client = mockClient((name) => (name === "Viewer" ? { data: pending } : undefined));
    renderWithProviders(<AppRoutes />, { client, route: "/etablissements" });
    expect(screen.getByRole("heading", { level: 1, name: "Vérification en deux étapes" })).toBeInTheDocument();
    expect(screen.getByLabelText(/Code de vérification/)).toBeInTheDocument();
    expect(screen.queryByRole("navigation", { name: "Menu principal" })).not.toBeInTheDocument();
    expect(screen.queryByRole("heading", { name: "Établissements" })).not.toBeInTheDocument();
  });

  it("shows « Sécurité du compte » to an account without an authenticator app", () => {
    renderAt("/compte/securite", ["OCCUPATIONAL_PHYSICIAN"]);
    expect(screen.getByRole("heading", { level: 1, name: "Sécurité du compte" })).toBeInTheDocument();
    expect(screen.getByText(/n'utilise pas d'application d'authentification/)).toBeInTheDocument();
  });

  it("greets the user on the account page with their roles", () => {
    renderAt("/compte", ["ADMIN"]);
    expect(screen.getByRole("heading", { level: 1, name: "Bonjour Camille Martin" })).toBeInTheDocument();
    expect(within(screen.getByRole("list", { name: "Vos rôles" })).getByText("Administrateur")).toBeInTheDocument();
  });

  it("shows the administration dashboard and menu to an administrator", () => {
    renderAt("/", ["ADMIN"]);
    expect(screen.getByRole("heading", { level: 1, name: "Administration de SISERI" })).toBeInTheDocument();
    const nav = screen.getByRole("navigation", { name: "Menu principal" });
    expect(within(nav).getByRole("link", { name: "Travailleurs" })).toHaveAttribute("href", "/travailleurs");
    expect(within(nav).getByRole("link", { name: "Établissements" })).toHaveAttribute("href", "/etablissements");
    expect(screen.getAllByRole("button", { name: "Se déconnecter" }).length).toBeGreaterThan(0);
    expect(screen.getAllByText("Registre national de l'exposition des travailleurs aux rayonnements ionisants").length).toBeGreaterThan(0);
  });

  it("shows a worker their own menu and no registry link", () => {
    renderAt("/", ["WORKER"]);
    const nav = screen.getByRole("navigation", { name: "Menu principal" });
    expect(within(nav).getByRole("link", { name: "Mon suivi dosimétrique" })).toHaveAttribute("href", "/");
    expect(screen.queryByRole("link", { name: "Travailleurs" })).not.toBeInTheDocument();
    expect(screen.queryByRole("link", { name: /Notifications/ })).not.toBeInTheDocument();
  });

  it("gives an adviser the anomalies menu and the notification centre", () => {
    renderAt("/", ["RADIATION_PROTECTION_ADVISER"]);
    const nav = screen.getByRole("navigation", { name: "Menu principal" });
    expect(within(nav).getByRole("link", { name: "Anomalies" })).toHaveAttribute("href", "/anomalies");
    expect(screen.getAllByRole("link", { name: "Notifications" }).length).toBeGreaterThan(0);
    expect(screen.getByRole("heading", { level: 1, name: "Tableau de bord de radioprotection" })).toBeInTheDocument();
  });

  it("opens the adviser's worker file to the adviser only, with the worker's anomalies", () => {
    renderAt("/conseiller/travailleurs/42", ["RADIATION_PROTECTION_ADVISER"]);
    expect(screen.getByText("Chargement du dossier…")).toBeInTheDocument();
    expect(screen.getByRole("heading", { level: 2, name: "Anomalies de ce travailleur" })).toBeInTheDocument();
  });

  it("refuses the adviser's worker file to a physician", () => {
    renderAt("/conseiller/travailleurs/42", ["OCCUPATIONAL_PHYSICIAN"]);
    expect(screen.getByText("Vos rôles ne vous donnent pas accès à cette page.")).toBeInTheDocument();
    expect(screen.queryByRole("heading", { name: "Anomalies de ce travailleur" })).not.toBeInTheDocument();
  });

  it("gives the physician the conflicts inbox with the count of open conflicts", () => {
    renderAt("/conflits-correction", ["OCCUPATIONAL_PHYSICIAN"], 2);
    const nav = screen.getByRole("navigation", { name: "Menu principal" });
    expect(within(nav).getByRole("link", { name: "Conflits de correction 2 à trancher" })).toHaveAttribute("href", "/conflits-correction");
    expect(screen.getByRole("heading", { level: 1, name: "Conflits de correction" })).toBeInTheDocument();
    expect(screen.queryByText(/Seul le médecin du travail tranche ces conflits/)).not.toBeInTheDocument();
  });

  it("opens the conflicts inbox read-only to a physician's delegate", () => {
    renderAt("/conflits-correction", ["PHYSICIAN_DELEGATE"]);
    const nav = screen.getByRole("navigation", { name: "Menu principal" });
    expect(within(nav).getByRole("link", { name: "Conflits de correction" })).toHaveAttribute("href", "/conflits-correction");
    expect(screen.getByText(/Seul le médecin du travail tranche ces conflits/)).toBeInTheDocument();
  });

  it("refuses the conflicts inbox to a laboratory", () => {
    renderAt("/conflits-correction", ["LABORATORY"]);
    expect(screen.getByText("Accès refusé")).toBeInTheDocument();
  });

  it("refuses the anomalies page to an employer correspondent", () => {
    renderAt("/anomalies", ["EMPLOYER_CORRESPONDENT"]);
    expect(screen.getByText("Accès refusé")).toBeInTheDocument();
  });

  it("refuses the workers page to a non-admin", () => {
    renderAt("/travailleurs", ["OCCUPATIONAL_PHYSICIAN"]);
    expect(screen.getByText("Accès refusé")).toBeInTheDocument();
  });

  it("shows the 404 page in French", () => {
    renderAt("/nulle-part", ["ADMIN"]);
    expect(screen.getByRole("heading", { level: 1, name: "Page non trouvée" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Page d'accueil" })).toHaveAttribute("href", "/");
  });

  it("tells a user whose session expired why they are on the sign-in page", () => {
    renderAt("/connexion?session=expiree", []);
    expect(screen.getByText("Votre session a expiré. Reconnectez-vous pour continuer.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Se connecter" })).toBeInTheDocument();
  });

  it("shows no alert on a plain visit of the sign-in page", () => {
    renderAt("/connexion", []);
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
    expect(screen.getByRole("heading", { level: 1, name: "Connexion à SISERI" })).toBeInTheDocument();
  });
});
