import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { ClaimCodePanel } from "../../features/worker-file/components/ClaimCodePanel";
import { mockClient, renderWithProviders, type MockAnswer } from "../../testing/render";
import { Route, Routes } from "react-router";

import { ActivationRoute } from "../routes/ActivationRoute";
import { SignInRoute } from "../routes/SignInRoute";
import { WorkerClaimRoute, claimAction } from "../routes/WorkerClaimRoute";

const providers: MockAnswer = {
  data: {
    signInProviders: [
      { name: "proconnect", label: "ProConnect", audience: "PROFESSIONAL", loginPath: "/auth/oidc/proconnect/login" },
      { name: "fcplus", label: "FranceConnect+", audience: "WORKER", loginPath: "/auth/oidc/fcplus/login" },
      { name: "annuaire", label: "Annuaire santé", audience: "PROFESSIONAL", loginPath: "/auth/oidc/annuaire/login" },
    ],
  },
};

describe("sign-in through OpenID Connect", () => {
  it("offers each configured provider with its official button", async () => {
    renderWithProviders(<SignInRoute />, { client: mockClient((name) => (name === "SignInProviders" ? providers : undefined)), route: "/connexion" });
    await screen.findByRole("heading", { name: /service public d'identité/ });
    const hrefs = screen.getAllByRole("link").map((a) => a.getAttribute("href"));
    expect(hrefs).toEqual(expect.arrayContaining(["/auth/oidc/proconnect/login", "/auth/oidc/fcplus/login"]));
    // The official buttons link to the services' explanations too.
    expect(hrefs).toEqual(expect.arrayContaining(["https://www.proconnect.gouv.fr/", "https://franceconnect.gouv.fr/france-connect-plus"]));
    expect(screen.getByRole("link", { name: "Se connecter avec Annuaire santé" })).toHaveAttribute("href", "/auth/oidc/annuaire/login");
    // The password form stays.
    expect(screen.getByRole("button", { name: "Se connecter" })).toBeInTheDocument();
  });

  it("lets an invited person link the account through a provider from the activation link", async () => {
    renderWithProviders(
      <Routes>
        <Route path="/activation/:token" element={<ActivationRoute />} />
      </Routes>,
      { client: mockClient((name) => (name === "SignInProviders" ? providers : undefined)), route: "/activation/act_abc-123" },
    );
    expect(await screen.findByRole("link", { name: "Se connecter avec Annuaire santé" })).toHaveAttribute(
      "href",
      "/auth/oidc/annuaire/login?invitation=act_abc-123",
    );
  });

  it("shows no provider section when none is configured", () => {
    renderWithProviders(<SignInRoute />, { client: mockClient((name) => (name === "SignInProviders" ? { data: { signInProviders: [] } } : undefined)), route: "/connexion" });
    expect(screen.queryByRole("heading", { name: /service public d'identité/ })).not.toBeInTheDocument();
  });

  it("explains the error code a refused sign-in brings back", () => {
    renderWithProviders(<SignInRoute />, { client: mockClient(() => undefined), route: "/connexion?erreur=OIDC_ACR_INSUFFICIENT" });
    expect(screen.getByText(/niveau de sécurité de votre connexion est insuffisant/)).toBeInTheDocument();
  });

  it("says no account is linked for OIDC_NO_ACCOUNT", () => {
    renderWithProviders(<SignInRoute />, { client: mockClient(() => undefined), route: "/connexion?erreur=OIDC_NO_ACCOUNT" });
    expect(screen.getByText(/Aucun compte SISERI n'est associé à cette identité/)).toBeInTheDocument();
  });
});

describe("WorkerClaimRoute", () => {
  it("posts the code to the server with a labelled field", () => {
    renderWithProviders(<WorkerClaimRoute />, { client: mockClient(() => undefined), route: "/connexion/code-travailleur" });
    const form = screen.getByRole("form", { name: "Rattachement à votre dossier" });
    expect(form).toHaveAttribute("action", claimAction);
    expect(form).toHaveAttribute("method", "post");
    expect(screen.getByLabelText(/Code de rattachement/)).toHaveAttribute("name", "code");
  });

  it("shows a refused code under the field", () => {
    renderWithProviders(<WorkerClaimRoute />, { client: mockClient(() => undefined), route: "/connexion/code-travailleur?erreur=CLAIM_CODE_INVALID" });
    expect(screen.getByLabelText(/Code de rattachement/)).toHaveAccessibleDescription(expect.stringContaining("Ce code n'est pas valide"));
  });
});

describe("ClaimCodePanel", () => {
  it("issues the code and shows it once", async () => {
    const client = mockClient((name) =>
      name === "IssueWorkerClaimCode"
        ? { data: { issueWorkerClaimCode: { code: "ABCD-EFGH-JKLM", expiresAt: "2026-12-13T10:00:00Z" } } }
        : undefined,
    );
    renderWithProviders(<ClaimCodePanel workerID="42" />, { client });
    await userEvent.setup().click(screen.getByRole("button", { name: "Émettre un code de rattachement" }));
    expect(await screen.findByText("Code : ABCD-EFGH-JKLM")).toBeInTheDocument();
    expect(client.executeMutation).toHaveBeenCalledWith(expect.objectContaining({ variables: { workerID: "42" } }), expect.anything());
    expect(screen.queryByRole("button", { name: "Émettre un code de rattachement" })).not.toBeInTheDocument();
  });

  it("shows the server's refusal", async () => {
    const client = mockClient(() => ({ errors: [{ message: "Ce travailleur n'existe pas ou vous ne le suivez pas.", extensions: { code: "NOT_FOUND" } }] }));
    renderWithProviders(<ClaimCodePanel workerID="42" />, { client });
    await userEvent.setup().click(screen.getByRole("button", { name: "Émettre un code de rattachement" }));
    expect(await screen.findByText("Ce travailleur n'existe pas ou vous ne le suivez pas.")).toBeInTheDocument();
  });
});
