import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Link } from "react-router";

import type { LiveAlert } from "../hooks/useLiveAlerts";
import { anomalyKindLabel } from "../../../lib/anomaly";

/**
 * The toasts of live anomalies: DSFR alerts in a polite live region at the
 * bottom right. DSFR has no toast component, so only the placement is styled here.
 */
export function AlertToasts({ toasts, onClose }: { toasts: LiveAlert[]; onClose: (id: string) => void }) {
  return (
    <div
      aria-live="polite"
      style={{ position: "fixed", bottom: "1rem", right: "1rem", width: "min(28rem, calc(100vw - 2rem))", zIndex: 1000 }}
    >
      {toasts.map((t) => (
        <Alert
          key={t.id}
          className={fr.cx("fr-mb-1w")}
          style={{ backgroundColor: fr.colors.decisions.background.default.grey.default }}
          severity={t.severity === "HIGH" || t.severity === "CRITICAL" ? "error" : "warning"}
          small
          closable
          onClose={() => onClose(t.id)}
          title={`Nouvelle anomalie : ${t.workerName}`}
          description={
            <>
              {anomalyKindLabel(t.kind)}
              {t.establishmentName ? ` — ${t.establishmentName}` : ""}.{" "}
              <Link to="/anomalies">Voir les anomalies</Link>
            </>
          }
        />
      ))}
    </div>
  );
}
