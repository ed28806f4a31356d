import { fr } from "@codegouvfr/react-dsfr";
import { useNavigate, useParams } from "react-router";

import { ActivationForm } from "../../features/session/components/ActivationForm";
import { signInPath } from "../sign-in-redirect";

/** `/activation/:token`: the page an activation link opens, then sign-in with a notice. */
export function ActivationRoute() {
  const { token = "" } = useParams();
  const navigate = useNavigate();
  return (
    <div className={fr.cx("fr-grid-row", "fr-grid-row--center")}>
      <div className={fr.cx("fr-col-12", "fr-col-md-8", "fr-col-lg-6")}>
        <h1>Activation de votre compte SISERI</h1>
        <ActivationForm token={token} onActivated={() => navigate(`${signInPath}?compte=active`, { replace: true })} />
      </div>
    </div>
  );
}
