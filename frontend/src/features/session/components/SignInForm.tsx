import { useState, type FormEvent } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";

import { apiError } from "../../../lib/errors";
import { useSignIn } from "../api/sign-in";

type FormErrors = {
  email?: string;
  password?: string;
  /** Both fields are marked: the server does not tell which one was wrong. */
  credentials?: boolean;
  alert?: { title: string; description: string };
};

/** Checks what can be checked before asking the server. */
function validate(email: string, password: string): FormErrors {
  const errors: FormErrors = {};
  if (email.trim() === "") errors.email = "Saisissez votre adresse électronique.";
  if (password === "") errors.password = "Saisissez votre mot de passe.";
  return errors;
}

/** The sign-in form: e-mail address, password and the server's answer. */
export function SignInForm({ onSignedIn }: { onSignedIn: () => void }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<FormErrors>({});
  const [{ fetching }, signIn] = useSignIn();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const local = validate(email, password);
    setErrors(local);
    if (local.email || local.password) return;
    const result = await signIn(email.trim(), password);
    if (!result.error) {
      if (result.data) onSignedIn();
      return;
    }
    const e = apiError(result.error);
    switch (e.code) {
      case "UNAUTHENTICATED":
        setErrors({ credentials: true, password: e.message });
        break;
      case "BAD_USER_INPUT":
        if (e.field?.toLowerCase().endsWith("email")) setErrors({ email: e.message });
        else if (e.field?.toLowerCase().endsWith("password")) setErrors({ password: e.message });
        else setErrors({ alert: { title: "Connexion impossible", description: e.message } });
        break;
      case "TOO_MANY_REQUESTS":
        setErrors({ alert: { title: "Trop de tentatives", description: e.message } });
        break;
      default:
        setErrors({ alert: { title: "Connexion impossible", description: e.message } });
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-label="Connexion à SISERI">
      {errors.alert && (
        <Alert
          className={fr.cx("fr-mb-4w")}
          severity="error"
          title={errors.alert.title}
          description={errors.alert.description}
        />
      )}
      <fieldset className={fr.cx("fr-fieldset")}>
        <legend className={fr.cx("fr-fieldset__legend")}>
          <h2 className={fr.cx("fr-h5")}>Se connecter avec son compte</h2>
        </legend>
        <div className={fr.cx("fr-fieldset__element")}>
          <p className={fr.cx("fr-hint-text")}>Tous les champs sont obligatoires.</p>
        </div>
        <div className={fr.cx("fr-fieldset__element")}>
          <Input
            label="Adresse électronique"
            hintText="Format attendu : nom@domaine.fr"
            state={errors.email || errors.credentials ? "error" : "default"}
            stateRelatedMessage={errors.email}
            nativeInputProps={{
              type: "email",
              name: "email",
              autoComplete: "username",
              value: email,
              onChange: (e) => setEmail(e.target.value),
            }}
          />
        </div>
        <div className={fr.cx("fr-fieldset__element")}>
          <Input
            label="Mot de passe"
            state={errors.password || errors.credentials ? "error" : "default"}
            stateRelatedMessage={errors.password}
            nativeInputProps={{
              type: "password",
              name: "password",
              autoComplete: "current-password",
              value: password,
              onChange: (e) => setPassword(e.target.value),
            }}
          />
        </div>
        <div className={fr.cx("fr-fieldset__element")}>
          <Button type="submit" disabled={fetching}>
            Se connecter
          </Button>
        </div>
      </fieldset>
    </form>
  );
}
