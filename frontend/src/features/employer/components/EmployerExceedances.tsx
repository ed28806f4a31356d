import { fr } from "@codegouvfr/react-dsfr";
import { CallOut } from "@codegouvfr/react-dsfr/CallOut";

import { ConnectionTable } from "../../../components/ConnectionTable";
import { limitLabels } from "../../../lib/dose";
import { anomalyStatusLabels } from "../../../lib/anomaly";
import { formatDate, formatDateTime, plural } from "../../../lib/format";
import { useEmployerExceedances } from "../api/get-declarations";

/**
 * The limit exceedances of the employer's workers: who and which limit, never
 * the dose (R.4451-69: the employer is told that a limit was exceeded, not by how much).
 */
export function EmployerExceedances({ refreshKey }: { refreshKey?: number }) {
  const [{ data, error }] = useEmployerExceedances();
  void refreshKey;
  return (
    <>
      <CallOut title="Informations sans valeur de dose" className={fr.cx("fr-mb-4w")}>
        En tant qu'employeur, vous êtes informé qu'une limite a été dépassée et pour quel travailleur. Les valeurs de dose
        ne sont communiquées qu'au médecin du travail et au conseiller en radioprotection.
      </CallOut>
      <h2 className={fr.cx("fr-h4")}>Limites dépassées sur 12 mois glissants</h2>
      <ConnectionTable
        error={error}
        connection={data?.exposureSummaries}
        caption={(n) => plural(n, "dépassement en cours", "dépassements en cours")}
        empty="Aucun dépassement de limite en cours."
        headers={["Travailleur", "Limite", "Fenêtre", "Situation"]}
        row={(s) => [
          `${s.worker.firstNames} ${s.worker.lastName}`,
          limitLabels[s.limitCode],
          `${formatDate(s.windowStart)} – ${formatDate(s.windowEnd)}`,
          "Limite dépassée",
        ]}
      />
      <h2 className={fr.cx("fr-h4", "fr-mt-4w")}>Alertes de dépassement</h2>
      <ConnectionTable
        error={error}
        connection={data?.anomalies}
        caption={(n) => plural(n, "alerte de dépassement", "alertes de dépassement")}
        empty="Aucune alerte de dépassement."
        headers={["Signalée le", "Travailleur", "Établissement", "Période", "Suivi"]}
        row={(a) => [
          formatDateTime(a.createdAt),
          `${a.worker.firstNames} ${a.worker.lastName}`,
          a.establishment?.name ?? "—",
          `${formatDate(a.periodStart)} – ${formatDate(a.periodEnd)}`,
          anomalyStatusLabels[a.status] ?? a.status,
        ]}
      />
    </>
  );
}
