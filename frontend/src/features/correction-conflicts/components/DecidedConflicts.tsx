import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Notice } from "@codegouvfr/react-dsfr/Notice";
import { Table } from "@codegouvfr/react-dsfr/Table";

import { ConnectionPager } from "../../../components/CursorPager";
import { Loading } from "../../../components/Loading";
import { QueryErrorAlert } from "../../../components/QueryErrorAlert";
import { useCursorStack } from "../../../hooks/useCursorStack";
import { connectionNodes } from "../../../lib/connection";
import { formatMsv } from "../../../lib/dose";
import { formatDateTime, plural } from "../../../lib/format";
import { conflictsPageSize, useDoseConflicts } from "../api/get-dose-conflicts";
import { conflictResult, conflictStatusViews, conflictWorkerName } from "../utils/conflict-view";

/** The conflicts already settled, latest decision first: what was decided, why, by whom and when. */
export function DecidedConflicts() {
  const pages = useCursorStack();
  const [{ data, error }] = useDoseConflicts("decided", pages.after);
  if (error) return <QueryErrorAlert error={error} />;
  if (!data) return <Loading label="Chargement des conflits tranchés…" />;
  const conflicts = connectionNodes(data.doseConflicts);
  if (conflicts.length === 0) return <Notice title="Aucun conflit de correction tranché pour l'instant." />;
  return (
    <>
      <Table
        caption={plural(data.doseConflicts.totalCount, "conflit tranché", "conflits tranchés")}
        bordered
        fixed={false}
        headers={["Travailleur", "Résultat", "Correction", "Valeur du laboratoire", "Décision", "Motif de la décision", "Décidé par, le"]}
        data={conflicts.map((c) => {
          const status = conflictStatusViews[c.status];
          return [
            conflictWorkerName(c),
            conflictResult(c),
            formatMsv(c.correction.valueMsv, { fine: true }),
            `${formatMsv(c.resend.valueMsv, { fine: true })} (${c.laboratory.name})`,
            <Badge key="d" small noIcon severity={status.severity}>
              {status.label}
            </Badge>,
            c.resolutionReason || "—",
            // A conflict a newer re-send replaced was decided by nobody.
            c.resolvedBy ? `${c.resolvedBy.displayName}, ${formatDateTime(c.resolvedAt)}` : formatDateTime(c.resolvedAt),
          ];
        })}
      />
      <ConnectionPager connection={data.doseConflicts} pages={pages} pageSize={conflictsPageSize} />
    </>
  );
}
