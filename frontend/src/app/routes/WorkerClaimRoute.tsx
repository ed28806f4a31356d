import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useSearchParams } from "react-router";

import { signInErrorMessage } from "../../features/session/oidc-errors";

/** The server path that takes the code (a plain form post, bound to this browser's pending sign-in). */
export const claimAction = "/auth/oidc/claim";

/**
 * `/connexion/code-travailleur`: a worker whose FranceConnect+ identity
 * matched no single registry record types the one-time code their
 * occupational physician gave them.
 */
export function WorkerClaimRoute() {
  const [params] = useSearchParams();
  const error = params.get("erreur");
  return (
    <div className={fr.cx("fr-grid-row", "fr-grid-row--center")}>
      <div className={fr.cx("fr-col-12", "fr-col-md-8", "fr-col-lg-6")}>
        <h1>Rattacher votre identité à votre dossier</h1>
        <p>
          Votre identité a bien été vérifiée, mais elle ne permet pas de retrouver à coup sûr votre dossier
          dans le registre. Saisissez le code de rattachement que votre médecin du travail vous a remis.
        </p>
        <form method="post" action={claimAction} aria-label="Rattachement à votre dossier">
          <Input
            label="Code de rattachement"
            hintText="12 caractères, par exemple ABCD-EFGH-JKLM. Valable 7 jours, une seule fois."
            state={error ? "error" : "default"}
            stateRelatedMessage={error ? signInErrorMessage(error) : undefined}
            nativeInputProps={{ name: "code", required: true, autoComplete: "one-time-code", autoCapitalize: "characters" }}
          />
          <Button type="submit">Valider le code</Button>
        </form>
        {error && error !== "CLAIM_CODE_INVALID" && (
          <Alert className={fr.cx("fr-mt-4w")} severity="error" small description={signInErrorMessage(error)} />
        )}
      </div>
    </div>
  );
}
