import { useState } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";

import { ConnectionTable } from "../../../components/ConnectionTable";
import { Loading } from "../../../components/Loading";
import { QueryErrorAlert } from "../../../components/QueryErrorAlert";
import { useCursorStack } from "../../../hooks/useCursorStack";
import { formatCount, formatDateTime, plural } from "../../../lib/format";
import { useImportBatchHistory, useImportReport } from "../api/submit-file";
import { ImportReportView } from "./ImportReportView";

const statusLabels: Record<string, string> = {
  PENDING: "En cours",
  ACCEPTED: "Accepté",
  PARTIAL: "Partiellement accepté",
  REJECTED: "Rejeté",
  DRY_RUN: "Contrôle à blanc",
};

function PastReport({ batchID, format }: { batchID: string; format?: string }) {
  const [{ data, error }] = useImportReport(batchID, format);
  if (error) return <QueryErrorAlert error={error} />;
  if (!data) return <Loading label="Chargement du rapport…" />;
  return <ImportReportView report={data.importReport} />;
}

/** The caller's batches, newest first, each with its report on demand. */
export function BatchHistory({ format, refreshKey }: { format?: string; refreshKey?: number }) {
  const pages = useCursorStack();
  const [{ data, error }] = useImportBatchHistory(pages.after, format);
  const [shown, setShown] = useState<string | null>(null);
  void refreshKey;
  return (
    <>
      <ConnectionTable
        error={error}
        connection={data?.importBatches}
        pages={pages}
        caption={(n) => plural(n, "lot déposé", "lots déposés")}
        empty="Aucun lot déposé."
        loading="Chargement de l'historique des lots…"
        headers={["Déposé le", "Référence", "Fichier", "Statut", "Lignes", "Acceptées", "Rejetées", "Rapport"]}
        row={(b) => [
          formatDateTime(b.createdAt),
          b.reference,
          b.filename || "—",
          statusLabels[b.status] ?? b.status,
          formatCount(b.rowsTotal),
          formatCount(b.rowsAccepted),
          formatCount(b.rowsRejected),
          <Button key="r" size="small" priority="tertiary" onClick={() => setShown(b.id)} title={`Voir le rapport du lot ${b.reference}`}>
            Voir
          </Button>,
        ]}
      />
      {shown && (
        <div className={fr.cx("fr-mt-2w")}>
          <PastReport batchID={shown} format={format} />
        </div>
      )}
    </>
  );
}
