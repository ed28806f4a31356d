import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { useNavigate, useSearchParams } from "react-router";

import { SignInForm } from "../../features/session/components/SignInForm";
import { SignInProviders } from "../../features/session/components/SignInProviders";
import { signInErrorMessage } from "../../features/session/oidc-errors";

/** Keeps only same-site paths, so that `retour` cannot send users elsewhere. */
function safeReturnPath(value: string | null): string {
  return value && value.startsWith("/") && !value.startsWith("//") && !value.startsWith("/connexion") ? value : "/";
}

/**
 * `/connexion`: the sign-in page, with the reason that brought the user here
 * (an expired session, a sign-out, or the code of a refused OpenID Connect
 * sign-in in `?erreur=`), the configured providers and the password form.
 */
export function SignInRoute() {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const expired = params.get("session") === "expiree";
  const signedOut = params.has("deconnexion");
  const error = params.get("erreur");
  const activated = params.get("compte") === "active";

  return (
    <div className={fr.cx("fr-grid-row", "fr-grid-row--center")}>
      <div className={fr.cx("fr-col-12", "fr-col-md-8", "fr-col-lg-6")}>
        <h1>Connexion à SISERI</h1>
        {expired && (
          <Alert
            className={fr.cx("fr-mb-4w")}
            severity="warning"
            title="Votre session a expiré"
            description="Votre session a expiré. Reconnectez-vous pour continuer."
          />
        )}
        {activated && (
          <Alert
            className={fr.cx("fr-mb-4w")}
            severity="success"
            small
            description="Votre compte est activé. Connectez-vous avec votre adresse électronique et votre nouveau mot de passe."
          />
        )}
        {signedOut && (
          <Alert
            className={fr.cx("fr-mb-4w")}
            severity="success"
            small
            description="Vous êtes déconnecté. À bientôt sur SISERI."
          />
        )}
        {error && (
          <Alert
            className={fr.cx("fr-mb-4w")}
            severity="error"
            title="Connexion impossible"
            description={signInErrorMessage(error)}
          />
        )}
        <SignInProviders />
        <SignInForm onSignedIn={() => navigate(safeReturnPath(params.get("retour")), { replace: true })} />
      </div>
    </div>
  );
}
