import { useState } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Notice } from "@codegouvfr/react-dsfr/Notice";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { Link } from "react-router";

import { DoseRecordTable, doseRecordCells, doseRecordHeaders, markSetAside, sortRecords, type DoseRecordView } from "../../../components/DoseRecordTable";
import { DownloadCsvButton } from "../../../components/DownloadCsvButton";
import { LimitStateBadge } from "../../../components/LimitStateBadge";
import { Loading } from "../../../components/Loading";
import { QueryErrorAlert } from "../../../components/QueryErrorAlert";
import { connectionNodes } from "../../../lib/connection";
import { formatMsv, formatShare, monitoringKindLabels } from "../../../lib/dose";
import { formatDate, plural } from "../../../lib/format";
import { conflictsPath } from "../../../lib/navigation";
import { usePhysicianWorkerFile, useWorkerExposure } from "../api/get-worker-file";
import { DoseForm } from "./DoseForm";

/**
 * A followed worker's file: limits, every result with its versions, correction and addition of doses.
 * Correcting and adding are the physician's acts (canRecord); a delegate reads the same file.
 */
export function PhysicianWorkerFile({ workerID, canRecord = true }: { workerID: string; canRecord?: boolean }) {
  const [{ data, error }, refetch] = usePhysicianWorkerFile(workerID);
  const [exposure, refetchExposure] = useWorkerExposure(workerID);
  const [editing, setEditing] = useState<null | { mode: "add" } | { mode: "correct"; id: string; description: string }>(null);
  const [saved, setSaved] = useState<string | null>(null);

  if (error) return <QueryErrorAlert error={error} />;
  const worker = data?.node?.__typename === "Worker" ? data.node : null;
  if (!data) return <Loading label="Chargement du dossier…" />;
  if (!worker) return <Alert severity="error" title="Élément introuvable" description="Ce travailleur n'existe pas ou ne fait pas partie de vos travailleurs suivis." />;

  const records = sortRecords(markSetAside(connectionNodes(worker.doseRecords)));
  // A correction a laboratory re-sent waits for the physician's decision and
  // cannot be corrected again before it.
  const resultKey = (r: Pick<DoseRecordView, "periodStart" | "periodEnd" | "monitoringKind" | "quantity">) => `${r.periodStart}|${r.periodEnd}|${r.monitoringKind}|${r.quantity}`;
  const pendingKeys = new Set(records.filter((r) => r.pending).map(resultKey));
  const employments = connectionNodes(worker.employments);
  const exposureNode = exposure.data?.node?.__typename === "Worker" ? exposure.data.node : null;

  function done(message: string | null) {
    setEditing(null);
    if (message) {
      setSaved(message);
      refetch({ requestPolicy: "network-only" });
      refetchExposure({ requestPolicy: "network-only" });
    }
  }

  return (
    <>
      <h1>
        {worker.firstNames} {worker.lastName}
      </h1>
      <p>
        Né(e) le {formatDate(worker.birthDate)} — NIR {worker.nir || "—"}
        {worker.usageName ? ` — nom d'usage ${worker.usageName}` : ""}
      </p>
      <ul>
        {employments.map((e) => (
          <li key={e.id}>
            {e.establishment.name} — {e.jobCode} (catégorie {e.classification}), depuis le {formatDate(e.startDate)}
            {e.endDate ? ` jusqu'au ${formatDate(e.endDate)}` : ""}
          </li>
        ))}
      </ul>

      <h2 className={fr.cx("fr-h4", "fr-mt-4w")}>Situation sur 12 mois glissants</h2>
      {exposure.error ? (
        <QueryErrorAlert error={exposure.error} />
      ) : !exposureNode ? (
        <Loading label="Calcul de la situation…" />
      ) : (
        <Table
          caption="Cumul par limite réglementaire"
          bordered
          headers={["Limite", "Cumul", "Limite réglementaire", "Part", "Situation"]}
          data={exposureNode.exposure.map((l) => [l.label, formatMsv(l.valueMsv, { fine: true }), formatMsv(l.limitMsv), formatShare(l.share), <LimitStateBadge key="s" state={l.state} />])}
        />
      )}

      <h2 className={fr.cx("fr-h4", "fr-mt-4w")}>Résultats, versions et corrections</h2>
      {saved && <Alert severity="success" small closable onClose={() => setSaved(null)} description={saved} className={fr.cx("fr-mb-2w")} />}
      {!canRecord && (
        <Notice title="Vous consultez ce dossier par délégation : seul le médecin du travail corrige ou ajoute une dose." className={fr.cx("fr-mb-2w")} />
      )}
      <p>
        {canRecord && (
          <Button iconId="fr-icon-add-line" size="small" onClick={() => setEditing({ mode: "add" })}>
            Ajouter une dose
          </Button>
        )}{" "}
        <DownloadCsvButton
          filename={`historique-${worker.lastName.toLowerCase()}.csv`}
          headers={doseRecordHeaders}
          rows={records.map(doseRecordCells)}
          label="Télécharger l'historique (CSV)"
        />
      </p>
      {editing?.mode === "add" && (
        <DoseForm
          target={{ mode: "add", workerID, establishments: employments.map((e) => e.establishment) }}
          onDone={(ok) => done(ok ? "La dose a été ajoutée." : null)}
        />
      )}
      {editing?.mode === "correct" && (
        <DoseForm
          key={editing.id}
          target={{ mode: "correct", doseRecordID: editing.id, description: editing.description }}
          onDone={(ok) => done(ok ? "La correction a été enregistrée : une nouvelle version remplace la précédente." : null)}
        />
      )}
      {pendingKeys.size > 0 && (
        <Notice
          className={fr.cx("fr-mb-2w")}
          title={
            <>
              {plural(pendingKeys.size, "résultat corrigé a été renvoyé", "résultats corrigés ont été renvoyés")} par le laboratoire : la correction reste
              en vigueur jusqu'à la décision du médecin du travail. <Link to={conflictsPath}>Voir les conflits de correction</Link>
            </>
          }
        />
      )}
      {records.length === 0 ? (
        <Notice title="Aucun résultat enregistré pour ce travailleur." />
      ) : (
        <DoseRecordTable
          caption={plural(worker.doseRecords.totalCount, "résultat (toutes versions)", "résultats (toutes versions)")}
          records={records}
          action={{
            header: "Action",
            render: (r) =>
              r.current && pendingKeys.has(resultKey(r)) ? (
                <Link to={conflictsPath}>Voir le conflit</Link>
              ) : r.current && canRecord ? (
                <Button
                  size="small"
                  priority="tertiary"
                  onClick={() =>
                    setEditing({
                      mode: "correct",
                      id: r.id,
                      description: `${monitoringKindLabels[r.monitoringKind]}, ${formatDate(r.periodStart)} – ${formatDate(r.periodEnd)}`,
                    })
                  }
                >
                  Corriger
                </Button>
              ) : (
                "—"
              ),
          }}
        />
      )}
    </>
  );
}
