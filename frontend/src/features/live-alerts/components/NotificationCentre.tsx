import { fr } from "@codegouvfr/react-dsfr";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Notice } from "@codegouvfr/react-dsfr/Notice";
import { Table } from "@codegouvfr/react-dsfr/Table";

import { anomalyKindLabel, severityLabels } from "../../../lib/anomaly";
import { formatDateTime, plural } from "../../../lib/format";
import { useLiveAlerts } from "../hooks/useLiveAlerts";

/** The notification centre: the anomalies received live since the page opened, unread first marked. */
export function NotificationCentre() {
  const { alerts, unread, markAllRead, connected } = useLiveAlerts();
  return (
    <>
      <h1>Notifications</h1>
      <p>
        {connected ? "Les nouvelles anomalies s'affichent ici en direct." : "Connexion au flux des alertes…"}{" "}
        {plural(unread, "notification non lue", "notifications non lues")}.
      </p>
      {alerts.length === 0 ? (
        <Notice title="Aucune nouvelle anomalie depuis l'ouverture de la session." />
      ) : (
        <>
          <Button priority="secondary" size="small" className={fr.cx("fr-mb-2w")} onClick={markAllRead} disabled={unread === 0}>
            Tout marquer comme lu
          </Button>
          <Table
            caption="Anomalies reçues en direct"
            bordered
            headers={["Reçue le", "Travailleur", "Anomalie", "Gravité", "État"]}
            data={alerts.map((a) => [
              formatDateTime(a.createdAt),
              a.workerName,
              a.explanation ?? anomalyKindLabel(a.kind),
              severityLabels[a.severity] ?? a.severity,
              a.read ? "Lue" : <Badge key="b" severity="new" small>Non lue</Badge>,
            ])}
          />
        </>
      )}
    </>
  );
}
