import { fr } from "@codegouvfr/react-dsfr";

import { ConnectionTable } from "../../../components/ConnectionTable";
import { useCursorStack } from "../../../hooks/useCursorStack";
import { formatDate, formatDateTime, plural } from "../../../lib/format";
import { useDoseConstraintNotices } from "../api/get-dose-constraint-notices";

/**
 * The notices of results above their dose constraint (or the default 3/10 of
 * the limit): information for optimisation, listed apart from the anomalies.
 */
export function ConstraintNotices() {
  const cursors = useCursorStack();
  const [{ data, error }] = useDoseConstraintNotices(cursors.after);
  return (
    <>
      <p className={fr.cx("fr-text--lead")}>
        Résultats au-dessus de la contrainte de dose fixée pour leur établissement et leur métier, ou du niveau par
        défaut (3/10 de la limite). Ce ne sont pas des anomalies : ils n'apparaissent pas dans la liste des anomalies.
      </p>
      <ConnectionTable
        error={error}
        connection={data?.doseConstraintNotices}
        pages={{ page: cursors.page, previous: cursors.previous, next: cursors.next }}
        pageSize={50}
        caption={(n) => plural(n, "avis de dépassement de contrainte", "avis de dépassement de contrainte")}
        empty="Aucun résultat n'a dépassé de contrainte de dose."
        loading="Chargement des avis…"
        headers={["Émis le", "Travailleur", "Établissement", "Période", "Constat"]}
        row={(n) => [
          formatDateTime(n.createdAt),
          `${n.worker.lastName} ${n.worker.firstNames}`,
          n.establishment?.name ?? "—",
          n.periodStart ? `${formatDate(n.periodStart)} – ${formatDate(n.periodEnd)}` : "—",
          n.explanation,
        ]}
      />
    </>
  );
}
