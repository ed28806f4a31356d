import { fr } from "@codegouvfr/react-dsfr";
import { useNavigate, useParams } from "react-router";

import { ActivationForm } from "../../features/session/components/ActivationForm";
import { SignInProviders } from "../../features/session/components/SignInProviders";
import { signInPath } from "../sign-in-redirect";

/**
 * `/activation/:token`: the page an activation link opens. The person either
 * signs in through a configured identity provider, which links the account
 * (the token is the invitation), or chooses a password, then signs in.
 */
export function ActivationRoute() {
  const { token = "" } = useParams();
  const navigate = useNavigate();
  return (
    <div className={fr.cx("fr-grid-row", "fr-grid-row--center")}>
      <div className={fr.cx("fr-col-12", "fr-col-md-8", "fr-col-lg-6")}>
        <h1>Activation de votre compte SISERI</h1>
        <SignInProviders invitation={token} />
        <ActivationForm token={token} onActivated={() => navigate(`${signInPath}?compte=active`, { replace: true })} />
      </div>
    </div>
  );
}
