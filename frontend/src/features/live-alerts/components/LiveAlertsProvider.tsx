import { useCallback, useEffect, useMemo, useState, type ReactNode } from "react";
import { useClient } from "urql";

import { LiveAlertsContext, type LiveAlert } from "../hooks/useLiveAlerts";
import { LatestAnomalyCursorDocument, OnAnomalyRaisedDocument, OnAnomalyRaisedForEmployerDocument } from "../api/on-anomaly-raised";
import { AlertToasts } from "./AlertToasts";

/** Remembers, for this tab, the last anomaly received, so that a reload does not raise old toasts again. */
const cursorKey = "siseri.alertes.curseur";

type Props = { children: ReactNode; audience: "clinical" | "employer" | null };

/**
 * Subscribes to the caller's new anomalies (anomalyRaised over graphql-ws),
 * from the newest one that exists when the page opens, shows a toast for each
 * and keeps them in the notification centre. `audience` picks what the caller
 * may read; null subscribes to nothing.
 */
export function LiveAlertsProvider({ children, audience }: Props) {
  const client = useClient();
  const [alerts, setAlerts] = useState<LiveAlert[]>([]);
  const [toasts, setToasts] = useState<LiveAlert[]>([]);
  const [connected, setConnected] = useState(false);

  useEffect(() => {
    if (!audience) return;
    let unsubscribe: (() => void) | undefined;
    let cancelled = false;
    (async () => {
      let after = sessionStorage.getItem(cursorKey);
      if (!after) {
        const latest = await client.query(LatestAnomalyCursorDocument, {}, { requestPolicy: "network-only" }).toPromise();
        after = latest.data?.anomalies.edges?.[0]?.cursor ?? null;
      }
      if (cancelled) return;
      const document = audience === "clinical" ? OnAnomalyRaisedDocument : OnAnomalyRaisedForEmployerDocument;
      const sub = client.subscription(document, { after }).subscribe((result) => {
        const event = result.data?.anomalyRaised;
        if (!event) return;
        sessionStorage.setItem(cursorKey, event.cursor);
        const a = event.anomaly;
        const alert: LiveAlert = {
          id: a.id,
          createdAt: a.createdAt,
          kind: a.kind,
          severity: a.severity,
          explanation: "explanation" in a ? (a.explanation as string) : null,
          workerID: a.worker.id,
          workerName: `${a.worker.firstNames} ${a.worker.lastName}`,
          establishmentName: a.establishment?.name ?? "",
          read: false,
        };
        setAlerts((list) => (list.some((x) => x.id === alert.id) ? list : [alert, ...list]));
        setToasts((list) => [alert, ...list.filter((x) => x.id !== alert.id)].slice(0, 3));
      });
      setConnected(true);
      unsubscribe = () => sub.unsubscribe();
    })();
    return () => {
      cancelled = true;
      unsubscribe?.();
    };
  }, [audience, client]);

  const markAllRead = useCallback(() => setAlerts((list) => list.map((a) => ({ ...a, read: true }))), []);
  const value = useMemo(
    () => ({ alerts, unread: alerts.filter((a) => !a.read).length, markAllRead, connected }),
    [alerts, markAllRead, connected],
  );
  return (
    <LiveAlertsContext.Provider value={value}>
      {children}
      <AlertToasts toasts={toasts} onClose={(id) => setToasts((list) => list.filter((t) => t.id !== id))} />
    </LiveAlertsContext.Provider>
  );
}
