import { useState } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";

import { useRegenerateRecoveryCodes } from "../api/second-factor";
import { useCurrentViewer } from "../hooks/useCurrentViewer";
import { CodeForm, RecoveryCodes, sendCode } from "./SecondFactor";

/** « Sécurité du compte »: the second factor's state and new recovery codes. */
export function AccountSecurity() {
  const { totpEnabled, recoveryCodesLeft } = useCurrentViewer();
  const [, regenerate] = useRegenerateRecoveryCodes();
  const [codes, setCodes] = useState<string[]>();
  const [kept, setKept] = useState(false);

  return (
    <>
      <h1>Sécurité du compte</h1>
      <h2 className={fr.cx("fr-h4")}>Vérification en deux étapes</h2>
      {!totpEnabled ? (
        <p>
          Votre compte n'utilise pas d'application d'authentification : la vérification en deux étapes n'est demandée
          qu'aux comptes qui accèdent aux données de santé ou administrent le registre.
        </p>
      ) : (
        <>
          <p>
            Votre compte est protégé par une application d'authentification. Il vous reste{" "}
            <strong>{recoveryCodesLeft}</strong> code{recoveryCodesLeft > 1 ? "s" : ""} de secours inutilisé
            {recoveryCodesLeft > 1 ? "s" : ""}.
          </p>
          <p>
            Vous avez changé de téléphone ? Demandez à un administrateur de réinitialiser votre vérification en deux
            étapes : vous inscrirez votre nouvelle application à la prochaine connexion.
          </p>
          {kept && (
            <Alert
              className={fr.cx("fr-mb-3w")}
              severity="success"
              small
              description="Vos nouveaux codes de secours remplacent les précédents."
            />
          )}
          {codes ? (
            <RecoveryCodes
              codes={codes}
              onKept={() => {
                setCodes(undefined);
                setKept(true);
              }}
            />
          ) : (
            <>
              <h2 className={fr.cx("fr-h4")}>Nouveaux codes de secours</h2>
              <p>Les nouveaux codes remplacent tous les précédents, utilisés ou non.</p>
              <CodeForm
                legend="Générer de nouveaux codes de secours"
                label="Code de vérification"
                hint="Code à 6 chiffres de votre application d'authentification, ou un code de secours."
                submitLabel="Générer de nouveaux codes de secours"
                onCode={(code) =>
                  sendCode(regenerate({ code }), (data) => {
                    setKept(false);
                    setCodes(data?.regenerateRecoveryCodes ?? []);
                  })
                }
              />
            </>
          )}
        </>
      )}
    </>
  );
}
