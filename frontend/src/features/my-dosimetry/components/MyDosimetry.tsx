import { useState } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { ButtonsGroup } from "@codegouvfr/react-dsfr/ButtonsGroup";
import { Notice } from "@codegouvfr/react-dsfr/Notice";

import { DoseRecordTable, doseRecordCells, doseRecordHeaders, markSetAside, sortRecords } from "../../../components/DoseRecordTable";
import { Loading } from "../../../components/Loading";
import { QueryErrorAlert } from "../../../components/QueryErrorAlert";
import { connectionNodes } from "../../../lib/connection";
import { downloadCsv, toCsv } from "../../../lib/csv";
import { monthsAgo, plural } from "../../../lib/format";
import { useMyDoseHistory } from "../api/get-my-dose-history";
import { useMyDoseRecords } from "../api/get-my-dose-records";
import { useMyExposure } from "../api/get-my-exposure";
import { useOnMyExposureChanged } from "../api/on-my-exposure-changed";
import { AccessTrail } from "./AccessTrail";
import { DoseHistoryChart } from "./DoseHistoryChart";
import { LimitStandingTable } from "../../../components/LimitStandingTable";

/** How many results the page shows before « Afficher tous les résultats ». */
const shownResults = 24;

/** « Mon suivi dosimétrique »: the worker's limits, history, results and access trail. */
export function MyDosimetry({ workerID }: { workerID: string }) {
  const [{ data, error }, refetchRecords] = useMyDoseRecords(workerID);
  const [exposure, refetchExposure] = useMyExposure(workerID);
  const [from] = useState(() => monthsAgo(60));
  const [history, refetchHistory] = useMyDoseHistory(workerID, from);
  // New or corrected results show without reloading the page.
  useOnMyExposureChanged(workerID, () => {
    for (const refetch of [refetchRecords, refetchExposure, refetchHistory]) refetch({ requestPolicy: "network-only" });
  });
  const [showAll, setShowAll] = useState(false);

  const worker = data?.node?.__typename === "Worker" ? data.node : null;
  const records = worker ? sortRecords(markSetAside(connectionNodes(worker.doseRecords))) : [];
  const exposureNode = exposure.data?.node?.__typename === "Worker" ? exposure.data.node : null;
  const historyNode = history.data?.node?.__typename === "Worker" ? history.data.node : null;

  return (
    <>
      <h1>Mon suivi dosimétrique</h1>
      {worker && (
        <p className={fr.cx("fr-text--lead")}>
          {worker.firstNames} {worker.usageName || worker.lastName}
        </p>
      )}

      <h2 className={fr.cx("fr-h4", "fr-mt-4w")}>Ma situation sur 12 mois glissants</h2>
      {exposure.error ? (
        <QueryErrorAlert error={exposure.error} />
      ) : !exposureNode ? (
        <Loading label="Calcul de votre situation…" />
      ) : exposureNode.exposure.length === 0 ? (
        <Notice title="Aucune limite ne s'applique à vous pour le moment." />
      ) : (
        <LimitStandingTable caption="Cumul de mes doses par limite réglementaire" limits={exposureNode.exposure} />
      )}

      <h2 className={fr.cx("fr-h4", "fr-mt-4w")}>Historique de mes doses</h2>
      {history.error ? (
        <QueryErrorAlert error={history.error} />
      ) : !historyNode ? (
        <Loading label="Chargement de l'historique…" />
      ) : (
        <DoseHistoryChart points={historyNode.doseHistory} />
      )}

      <h2 className={fr.cx("fr-h4", "fr-mt-4w")}>Mes résultats</h2>
      {error ? (
        <QueryErrorAlert error={error} />
      ) : !worker ? (
        <Loading label="Chargement de vos résultats…" />
      ) : (
        <>
          <ButtonsGroup
            inlineLayoutWhen="always"
            buttonsSize="small"
            buttons={[
              {
                children: "Attestation d'historique dosimétrique",
                iconId: "fr-icon-file-text-line",
                linkProps: { to: "/mon-suivi/attestation" },
              },
              {
                children: "Télécharger mes résultats (CSV)",
                priority: "secondary",
                iconId: "fr-icon-download-line",
                onClick: () =>
                  downloadCsv("mes-resultats-dosimetriques.csv", toCsv(doseRecordHeaders, records.map(doseRecordCells))),
              },
            ]}
          />
          {records.length === 0 ? (
            <Notice title="Aucun résultat enregistré." />
          ) : (
            <>
              <DoseRecordTable
                caption={plural(worker.doseRecords.totalCount, "résultat", "résultats")}
                records={showAll ? records : records.slice(0, shownResults)}
              />
              {!showAll && records.length > shownResults && (
                <Button priority="tertiary" size="small" onClick={() => setShowAll(true)}>
                  Afficher tous les résultats
                </Button>
              )}
            </>
          )}
        </>
      )}

      <h2 className={fr.cx("fr-h4", "fr-mt-4w")}>Qui a consulté mes données</h2>
      <AccessTrail workerID={workerID} />
    </>
  );
}
