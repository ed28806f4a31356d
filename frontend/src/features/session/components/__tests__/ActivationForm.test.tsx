import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";

import { mockClient, renderWithProviders, type MockAnswer } from "../../../../testing/render";
import { ActivationForm, validateNewPassword } from "../ActivationForm";

const whose: MockAnswer = { data: { activation: { displayName: "Dr Hélène Marchand", email: "medecin@chu.fr" } } };

function renderForm(activation: MockAnswer, activate?: MockAnswer) {
  const client = mockClient((name) => (name === "Activation" ? activation : name === "ActivateAccount" ? activate : undefined));
  const onActivated = vi.fn();
  renderWithProviders(<ActivationForm token="act_abc" onActivated={onActivated} />, { client });
  return { client, onActivated };
}

async function choose(password: string, confirmation: string) {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText(/^Mot de passe/), password);
  await user.type(screen.getByLabelText("Confirmation du mot de passe"), confirmation);
  await user.click(screen.getByRole("button", { name: "Activer mon compte" }));
}

describe("ActivationForm", () => {
  it("shows whose account it is and sends the chosen password", async () => {
    const { client, onActivated } = renderForm(whose, { data: { activateAccount: true } });
    expect(await screen.findByText("Dr Hélène Marchand")).toBeInTheDocument();
    await choose("un mot de passe solide", "un mot de passe solide");
    expect(onActivated).toHaveBeenCalledOnce();
    expect(client.executeMutation).toHaveBeenCalledWith(
      expect.objectContaining({ variables: { token: "act_abc", password: "un mot de passe solide" } }),
      expect.objectContaining({ authRedirect: false }),
    );
  });

  it("refuses a short password and a confirmation that differs, in French, before asking the server", async () => {
    const { client, onActivated } = renderForm(whose);
    await screen.findByText("Dr Hélène Marchand");
    await choose("court", "autre");
    expect(screen.getByLabelText(/^Mot de passe/)).toHaveAccessibleDescription(expect.stringContaining("au moins 12 caractères"));
    expect(screen.getByLabelText("Confirmation du mot de passe")).toHaveAccessibleDescription("Les deux mots de passe ne sont pas identiques.");
    expect(client.executeMutation).not.toHaveBeenCalled();
    expect(onActivated).not.toHaveBeenCalled();
  });

  it("says when the link is no longer valid", async () => {
    renderForm({ errors: [{ message: "Ce lien d'activation n'est pas valide : il a expiré.", extensions: { code: "TOKEN_INVALID" } }] });
    expect(await screen.findByText("Ce lien d'activation n'est pas valide : il a expiré.")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Activer mon compte" })).toBeNull();
  });

  it("counts characters, not bytes", () => {
    expect(validateNewPassword("éééééééééééé", "éééééééééééé")).toEqual({});
  });
});
