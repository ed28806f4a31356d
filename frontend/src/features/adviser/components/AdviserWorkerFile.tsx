import { useMemo } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Notice } from "@codegouvfr/react-dsfr/Notice";

import { DoseRecordTable, sortRecords } from "../../../components/DoseRecordTable";
import { LimitStandingTable } from "../../../components/LimitStandingTable";
import { Loading } from "../../../components/Loading";
import { QueryErrorAlert } from "../../../components/QueryErrorAlert";
import { connectionNodes } from "../../../lib/connection";
import { formatDate, monthsAgo, plural } from "../../../lib/format";
import { useAdviserWorkerFile } from "../api/get-adviser-worker-file";
import { EffectiveDoseChart } from "./EffectiveDoseChart";
import { OperationalComparison } from "./OperationalComparison";

/** The effective-dose limit of a worker of category A or B, in mSv, when the standing does not give it. */
const defaultEffectiveLimitMsv = 20;

/**
 * A worker's file as the adviser may read it (R.4451-69): the contract
 * periods in the adviser's establishments and, for them only, the standings
 * with values, the history against the effective-dose limit, the external
 * results and the operational dosimetry. The server's row rules leave out
 * everything else.
 */
export function AdviserWorkerFile({ workerID }: { workerID: string }) {
  const from = useMemo(() => monthsAgo(60), []);
  const [{ data, error }] = useAdviserWorkerFile(workerID, from);

  if (error) return <QueryErrorAlert error={error} />;
  if (!data) return <Loading label="Chargement du dossier…" />;
  const worker = data.node?.__typename === "Worker" ? data.node : null;
  if (!worker) return <Alert severity="error" title="Élément introuvable" description="Ce travailleur n'existe pas ou n'est pas employé dans vos établissements." />;

  const employments = connectionNodes(worker.employments);
  const records = sortRecords(connectionNodes(worker.doseRecords));
  const operational = connectionNodes(worker.operationalDoses);
  const effective = worker.exposure.find((l) => l.limitCode === "EFFECTIVE");

  return (
    <>
      <h1>
        {worker.firstNames} {worker.lastName}
      </h1>
      <p>Né(e) le {formatDate(worker.birthDate)}</p>
      <h2 className={fr.cx("fr-h4")}>Périodes de contrat dans vos établissements</h2>
      <Notice
        className={fr.cx("fr-mb-2w")}
        title="Vous ne voyez que les résultats de dosimétrie externe et la dose efficace des périodes où ce travailleur est employé dans vos établissements (article R.4451-69 du code du travail)."
      />
      <ul>
        {employments.map((e) => (
          <li key={e.id}>
            {e.establishment.name}
            {e.jobCode ? ` — ${e.jobCode}` : ""} (catégorie {e.classification}), du {formatDate(e.startDate)}
            {e.endDate ? ` au ${formatDate(e.endDate)}` : " à aujourd'hui"}
          </li>
        ))}
      </ul>

      <h2 className={fr.cx("fr-h4", "fr-mt-4w")}>Situation sur 12 mois glissants</h2>
      <LimitStandingTable caption="Cumul par limite réglementaire sur la période de contrat" limits={worker.exposure} />

      <h2 className={fr.cx("fr-h4", "fr-mt-4w")}>Historique de la dose efficace face à la limite</h2>
      <EffectiveDoseChart points={worker.doseHistory} limitMsv={effective?.limitMsv ?? defaultEffectiveLimitMsv} />

      <h2 className={fr.cx("fr-h4", "fr-mt-4w")}>Dosimétrie opérationnelle et dosimétrie passive</h2>
      <OperationalComparison operational={operational} points={worker.doseHistory} />

      <h2 className={fr.cx("fr-h4", "fr-mt-4w")}>Résultats de dosimétrie externe</h2>
      {records.length === 0 ? (
        <Notice title="Aucun résultat sur la période de contrat." />
      ) : (
        <DoseRecordTable caption={plural(worker.doseRecords.totalCount, "résultat de la période de contrat", "résultats de la période de contrat")} records={records} />
      )}
    </>
  );
}
