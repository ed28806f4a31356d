import { useState } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";

import { formatDateTime } from "../../../lib/format";

export type IssuedLink = { email: string; displayName: string; activationLink: string; expiresAt: string };

/** An activation link just issued, shown this once with a copy button. */
export function ActivationLinkNotice({ link, title }: { link: IssuedLink; title: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Alert
      severity="success"
      title={title}
      className={fr.cx("fr-mb-4w")}
      description={
        <>
          Transmettez ce lien à {link.displayName} ({link.email}) : il permet de choisir son mot de passe, une seule fois,
          jusqu'au {formatDateTime(link.expiresAt)}. Il ne sera plus affiché.
          <br />
          <code data-testid="activation-link">{link.activationLink}</code>
          <br />
          <Button
            size="small"
            priority="secondary"
            iconId="fr-icon-clipboard-line"
            className={fr.cx("fr-mt-1w")}
            onClick={async () => {
              await navigator.clipboard?.writeText(link.activationLink);
              setCopied(true);
            }}
          >
            {copied ? "Lien copié" : "Copier le lien"}
          </Button>
        </>
      }
    />
  );
}
