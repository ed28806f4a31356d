import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { mockClient, renderWithProviders, type MockAnswer } from "../../../../testing/render";
import { SignInForm } from "../SignInForm";

/** Renders the form with a server that answers the SignIn mutation with `answer`. */
function renderForm(answer: MockAnswer) {
  const client = mockClient((name) => (name === "SignIn" ? answer : undefined));
  const onSignedIn = vi.fn();
  renderWithProviders(<SignInForm onSignedIn={onSignedIn} />, { client });
  return { client, onSignedIn };
}

/** Fills the form and submits it. */
async function signIn(email: string, password: string) {
  const user = userEvent.setup();
  if (email) await user.type(screen.getByLabelText(/Adresse électronique/), email);
  if (password) await user.type(screen.getByLabelText("Mot de passe"), password);
  await user.click(screen.getByRole("button", { name: "Se connecter" }));
}

describe("SignInForm", () => {
  it("sends the credentials and reports success", async () => {
    const { client, onSignedIn } = renderForm({
      data: { login: { expiresAt: "2026-11-27T10:00:00Z", account: { id: "1", displayName: "Admin", email: "a@b.fr" } } },
    });
    await signIn("admin@demo.siseri.fr", "siseri-demo");
    expect(onSignedIn).toHaveBeenCalledOnce();
    expect(client.executeMutation).toHaveBeenCalledWith(
      expect.objectContaining({ variables: { input: { email: "admin@demo.siseri.fr", password: "siseri-demo" } } }),
      expect.objectContaining({ authRedirect: false }),
    );
  });

  it("shows the server's message under the password field for wrong credentials", async () => {
    const { onSignedIn } = renderForm({
      errors: [{ message: "Adresse électronique ou mot de passe incorrect.", extensions: { code: "UNAUTHENTICATED" } }],
    });
    await signIn("admin@demo.siseri.fr", "mauvais");
    const password = screen.getByLabelText("Mot de passe");
    expect(password).toHaveAccessibleDescription("Adresse électronique ou mot de passe incorrect.");
    expect(onSignedIn).not.toHaveBeenCalled();
  });

  it("shows a BAD_USER_INPUT message under the field the server names", async () => {
    renderForm({
      errors: [
        {
          message: "L'adresse électronique « admin » n'est pas valide.",
          extensions: { code: "BAD_USER_INPUT", field: "email", value: "admin" },
        },
      ],
    });
    await signIn("admin", "siseri-demo");
    expect(screen.getByLabelText(/Adresse électronique/)).toHaveAccessibleDescription(
      expect.stringContaining("L'adresse électronique « admin » n'est pas valide."),
    );
    expect(screen.getByLabelText("Mot de passe")).not.toHaveAccessibleDescription();
  });

  it("shows TOO_MANY_REQUESTS in an alert", async () => {
    renderForm({
      errors: [
        {
          message: "Trop de tentatives de connexion. Réessayez dans quelques minutes.",
          extensions: { code: "TOO_MANY_REQUESTS" },
        },
      ],
    });
    await signIn("admin@demo.siseri.fr", "x");
    expect(screen.getByText("Trop de tentatives")).toBeInTheDocument();
    expect(screen.getByText("Trop de tentatives de connexion. Réessayez dans quelques minutes.")).toBeInTheDocument();
  });

  it("asks for both fields before calling the server", async () => {
    const { client } = renderForm({});
    await signIn("", "");
    expect(screen.getByLabelText(/Adresse électronique/)).toHaveAccessibleDescription(
      expect.stringContaining("Saisissez votre adresse électronique."),
    );
    expect(screen.getByLabelText("Mot de passe")).toHaveAccessibleDescription("Saisissez votre mot de passe.");
    expect(client.executeMutation).not.toHaveBeenCalled();
  });
});
