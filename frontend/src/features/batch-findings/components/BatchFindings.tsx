import { Badge } from "@codegouvfr/react-dsfr/Badge";

import { ConnectionTable } from "../../../components/ConnectionTable";
import { useCursorStack } from "../../../hooks/useCursorStack";
import { formatDateTime, plural } from "../../../lib/format";
import { useBatchFindings } from "../api/get-batch-findings";

export const batchKindLabels: Record<string, string> = {
  BATCH_ZERO_SHARE: "Part de résultats nuls",
  BATCH_LEVEL_SHIFT: "Niveau des résultats",
  BATCH_THRESHOLD_CHANGE: "Seuil d'enregistrement",
};

const statusLabels: Record<string, string> = { OPEN: "Ouvert", ACKNOWLEDGED: "Pris en compte", RESOLVED: "Clos" };

/**
 * The laboratory batches whose distribution departs both from the
 * laboratory's previous batches and from the other laboratories: for the
 * laboratory (its own) and the agency (all, with the laboratory's name).
 */
export function BatchFindings({ showLaboratory }: { showLaboratory?: boolean }) {
  const pages = useCursorStack();
  const [{ data, error }] = useBatchFindings(pages.after);
  const headers = ["Constaté le", ...(showLaboratory ? ["Laboratoire"] : []), "Lot", "Écart", "Constat", "Statut"];
  return (
    <ConnectionTable
      error={error}
      connection={data?.batchFindings}
      pages={pages}
      caption={(n) => plural(n, "lot atypique", "lots atypiques")}
      empty="Aucun lot atypique : chaque lot reçu ressemble aux précédents du laboratoire ou à ceux des autres laboratoires."
      loading="Chargement des lots atypiques…"
      headers={headers}
      row={(f) => [
        formatDateTime(f.createdAt),
        ...(showLaboratory ? [f.laboratory.name] : []),
        `n° ${f.importBatchID}`,
        <span key="k">
          {batchKindLabels[f.kind] ?? f.kind}{" "}
          <Badge small severity={f.direction === "UP" ? "warning" : "info"} noIcon>
            {f.direction === "UP" ? "en hausse" : "en baisse"}
          </Badge>
        </span>,
        f.explanation,
        statusLabels[f.status] ?? f.status,
      ]}
    />
  );
}
