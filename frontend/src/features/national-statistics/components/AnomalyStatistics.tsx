import { fr } from "@codegouvfr/react-dsfr";
import { Table } from "@codegouvfr/react-dsfr/Table";

import { Loading } from "../../../components/Loading";
import { QueryErrorAlert } from "../../../components/QueryErrorAlert";
import { anomalyStatusLabels, layerLabels } from "../../../lib/anomaly";
import { formatCount } from "../../../lib/format";
import { useAnomalyStatistics } from "../api/get-national-doses";

/** Anomaly counts by status and detection layer. */
export function AnomalyStatistics() {
  const [{ data, error }] = useAnomalyStatistics();
  if (error) return <QueryErrorAlert error={error} />;
  if (!data) return <Loading label="Chargement des statistiques d'anomalies…" />;
  return (
    <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
      <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
        <Table
          caption={`Anomalies par état (total ${formatCount(data.total.totalCount)})`}
          bordered
          headers={["État", "Nombre"]}
          data={(
            [
              ["OPEN", data.open],
              ["ACKNOWLEDGED", data.acknowledged],
              ["CONFIRMED", data.confirmed],
              ["NOT_CONFIRMED", data.notConfirmed],
              ["FALSE_POSITIVE", data.falsePositive],
            ] as const
          ).map(([k, v]) => [anomalyStatusLabels[k]!, formatCount(v.totalCount)])}
        />
      </div>
      <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
        <Table
          caption="Anomalies par couche de détection"
          bordered
          headers={["Couche", "Nombre"]}
          data={(
            [
              ["VALIDITY", data.validity],
              ["REGULATORY", data.regulatory],
              ["CONTEXT", data.context],
              ["HISTORY", data.history],
            ] as const
          ).map(([k, v]) => [layerLabels[k]!, formatCount(v.totalCount)])}
        />
      </div>
    </div>
  );
}
