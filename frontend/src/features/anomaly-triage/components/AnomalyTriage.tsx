import { useEffect, useState } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Notice } from "@codegouvfr/react-dsfr/Notice";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Table } from "@codegouvfr/react-dsfr/Table";

import { CursorPager } from "../../../components/CursorPager";
import { Loading } from "../../../components/Loading";
import { QueryErrorAlert } from "../../../components/QueryErrorAlert";
import { useCursorStack } from "../../../hooks/useCursorStack";
import { anomalyKindLabel, anomalyStatusLabels, layerLabels, severityLabels } from "../../../lib/anomaly";
import { connectionNodes } from "../../../lib/connection";
import { apiError } from "../../../lib/errors";
import { formatDate, formatDateTime, plural } from "../../../lib/format";
import { useAnomalies } from "../api/get-anomalies";
import { useAcknowledgeAnomaly } from "../api/triage-anomaly";
import { ResolveAnomalyForm } from "./ResolveAnomalyForm";

const filters: Record<string, { label: string; statuses: string[] }> = {
  open: { label: "À traiter ou prises en charge", statuses: ["OPEN", "ACKNOWLEDGED"] },
  closed: { label: "Closes", statuses: ["CONFIRMED", "NOT_CONFIRMED", "FALSE_POSITIVE"] },
  all: { label: "Toutes", statuses: [] },
};

/**
 * The anomalies of the caller's workers, to take in hand and close with a
 * comment. `refreshKey` changes when a live alert arrives, to refetch.
 */
export function AnomalyTriage({ physician, refreshKey, workerID }: { physician: boolean; refreshKey?: number; workerID?: string }) {
  const [filter, setFilter] = useState("open");
  const pages = useCursorStack();
  const [{ data, error }, refetch] = useAnomalies(filters[filter]!.statuses, pages.after, workerID);
  const [ack, acknowledge] = useAcknowledgeAnomaly();
  const [closing, setClosing] = useState<{ id: string; name: string } | null>(null);

  useEffect(() => {
    if (refreshKey) refetch({ requestPolicy: "network-only" });
  }, [refreshKey, refetch]);

  const anomalies = data ? connectionNodes(data.anomalies) : [];
  return (
    <>
      <Select
        label="Anomalies affichées"
        nativeSelectProps={{
          value: filter,
          onChange: (e) => {
            setFilter(e.target.value);
            pages.reset();
          },
        }}
      >
        {Object.entries(filters).map(([k, f]) => (
          <option key={k} value={k}>
            {f.label}
          </option>
        ))}
      </Select>
      {ack.error && <Alert severity="error" small description={apiError(ack.error).message} className={fr.cx("fr-mb-2w")} />}
      {error ? (
        <QueryErrorAlert error={error} />
      ) : !data ? (
        <Loading label="Chargement des anomalies…" />
      ) : anomalies.length === 0 ? (
        <Notice title="Aucune anomalie dans cette sélection." />
      ) : (
        <>
          <Table
            caption={plural(data.anomalies.totalCount, "anomalie", "anomalies")}
            bordered
            fixed={false}
            headers={["Détectée le", "Travailleur", "Anomalie", "Période", "Gravité", "État", "Actions"]}
            data={anomalies.map((a) => {
              const name = `${a.worker.firstNames} ${a.worker.lastName}`;
              return [
                formatDateTime(a.createdAt),
                name,
                <span key="k">
                  <strong>{anomalyKindLabel(a.kind)}</strong> ({layerLabels[a.layer] ?? a.layer})<br />
                  {a.explanation}
                  {a.resolutionComment ? <><br />Commentaire : {a.resolutionComment}</> : null}
                </span>,
                `${formatDate(a.periodStart)} – ${formatDate(a.periodEnd)}`,
                severityLabels[a.severity] ?? a.severity,
                <Badge key="s" small noIcon severity={a.status === "OPEN" ? "warning" : a.status === "ACKNOWLEDGED" ? "info" : "success"}>
                  {anomalyStatusLabels[a.status] ?? a.status}
                </Badge>,
                a.status === "OPEN" || a.status === "ACKNOWLEDGED" ? (
                  <span key="a">
                    {a.status === "OPEN" && (
                      <Button
                        size="small"
                        priority="secondary"
                        disabled={ack.fetching}
                        onClick={() => acknowledge({ id: a.id })}
                        title={`Prendre en charge l'anomalie de ${name}`}
                      >
                        Prendre en charge
                      </Button>
                    )}{" "}
                    <Button size="small" priority="tertiary" onClick={() => setClosing({ id: a.id, name })} title={`Clore l'anomalie de ${name}`}>
                      Clore
                    </Button>
                  </span>
                ) : (
                  "—"
                ),
              ];
            })}
          />
          {(pages.page > 1 || data.anomalies.pageInfo.hasNextPage) && (
            <CursorPager
              page={pages.page}
              pageCount={Math.ceil(data.anomalies.totalCount / 20)}
              hasNextPage={data.anomalies.pageInfo.hasNextPage}
              onPrevious={pages.previous}
              onNext={() => data.anomalies.pageInfo.endCursor && pages.next(data.anomalies.pageInfo.endCursor)}
            />
          )}
        </>
      )}
      {closing && (
        <ResolveAnomalyForm
          key={closing.id}
          anomalyID={closing.id}
          workerName={closing.name}
          physician={physician}
          onDone={() => {
            setClosing(null);
            refetch({ requestPolicy: "network-only" });
          }}
        />
      )}
    </>
  );
}
