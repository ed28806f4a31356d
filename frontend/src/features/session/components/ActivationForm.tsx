import { useState, type FormEvent } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";

import { Loading } from "../../../components/Loading";
import { apiError } from "../../../lib/errors";
import { useActivateAccount, useActivation } from "../api/activation";

/** The shortest password the server accepts. */
export const minPasswordLength = 12;

type FormErrors = { password?: string; confirmation?: string; alert?: string };

/** Checks the password and its confirmation before asking the server. */
export function validateNewPassword(password: string, confirmation: string): FormErrors {
  const errors: FormErrors = {};
  if ([...password].length < minPasswordLength)
    errors.password = `Le mot de passe doit comporter au moins ${minPasswordLength} caractères.`;
  if (confirmation !== password) errors.confirmation = "Les deux mots de passe ne sont pas identiques.";
  return errors;
}

/**
 * Activates an account through its one-time link: shows whose account it is,
 * then asks for a password and its confirmation.
 */
export function ActivationForm({ token, onActivated }: { token: string; onActivated: () => void }) {
  const [{ data, error, fetching }] = useActivation(token);
  const [state, activate] = useActivateAccount();
  const [password, setPassword] = useState("");
  const [confirmation, setConfirmation] = useState("");
  const [errors, setErrors] = useState<FormErrors>({});

  if (fetching && !data) return <Loading />;
  if (error || !data) {
    return (
      <Alert
        severity="error"
        title="Lien d'activation inutilisable"
        description={error ? apiError(error).message : "Ce lien d'activation n'est pas valide."}
      />
    );
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const local = validateNewPassword(password, confirmation);
    setErrors(local);
    if (local.password || local.confirmation) return;
    const res = await activate(token, password);
    if (!res.error) {
      onActivated();
      return;
    }
    const e = apiError(res.error);
    if (e.code === "BAD_USER_INPUT" && e.field?.endsWith("password")) setErrors({ password: e.message });
    else setErrors({ alert: e.message });
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Activation du compte">
      <p>
        Compte de <strong>{data.activation.displayName}</strong> ({data.activation.email}). Choisissez votre mot de passe
        pour l'activer.
      </p>
      {errors.alert && <Alert className={fr.cx("fr-mb-4w")} severity="error" title="Activation impossible" description={errors.alert} />}
      <Input
        label="Mot de passe"
        hintText={`Au moins ${minPasswordLength} caractères.`}
        state={errors.password ? "error" : "default"}
        stateRelatedMessage={errors.password}
        nativeInputProps={{
          type: "password",
          name: "password",
          autoComplete: "new-password",
          value: password,
          onChange: (e) => setPassword(e.target.value),
        }}
      />
      <Input
        label="Confirmation du mot de passe"
        state={errors.confirmation ? "error" : "default"}
        stateRelatedMessage={errors.confirmation}
        nativeInputProps={{
          type: "password",
          name: "confirmation",
          autoComplete: "new-password",
          value: confirmation,
          onChange: (e) => setConfirmation(e.target.value),
        }}
      />
      <Button type="submit" disabled={state.fetching}>
        Activer mon compte
      </Button>
    </form>
  );
}
