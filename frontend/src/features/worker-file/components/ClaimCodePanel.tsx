import { useState } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";

import { apiError } from "../../../lib/errors";
import { formatDateTime } from "../../../lib/format";
import { useIssueWorkerClaimCode } from "../api/issue-claim-code";

/**
 * The physician's button that issues a worker's claim code: when the
 * worker's FranceConnect+ identity matched no single record, the worker types
 * it after signing in. The code is shown once.
 */
export function ClaimCodePanel({ workerID }: { workerID: string }) {
  const [{ fetching }, issue] = useIssueWorkerClaimCode();
  const [issued, setIssued] = useState<{ code: string; expiresAt: string } | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function onIssue() {
    setError(null);
    const result = await issue({ workerID });
    if (result.error) {
      setError(apiError(result.error).message);
      return;
    }
    if (result.data) setIssued(result.data.issueWorkerClaimCode);
  }

  return (
    <section aria-labelledby="code-rattachement-titre" className={fr.cx("fr-mt-6w")}>
      <h2 id="code-rattachement-titre" className={fr.cx("fr-h4")}>
        Code de rattachement FranceConnect+
      </h2>
      <p>
        Si ce travailleur n'est pas reconnu automatiquement lors de sa connexion FranceConnect+, remettez-lui
        en main propre un code de rattachement. Il est valable 7 jours et ne sert qu'une fois.
      </p>
      {issued ? (
        <Alert
          severity="success"
          title={`Code : ${issued.code}`}
          description={`Notez-le maintenant : il ne sera plus affiché. Valable jusqu'au ${formatDateTime(issued.expiresAt)}.`}
        />
      ) : (
        <Button priority="secondary" onClick={onIssue} disabled={fetching}>
          Émettre un code de rattachement
        </Button>
      )}
      {error && <Alert className={fr.cx("fr-mt-2w")} severity="error" small description={error} />}
    </section>
  );
}
