import type { ReactNode } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Link } from "react-router";

import { LimitStateBadge } from "../../../components/LimitStateBadge";
import { Loading } from "../../../components/Loading";
import { QueryErrorAlert } from "../../../components/QueryErrorAlert";
import { anomalyKindLabel } from "../../../lib/anomaly";
import { connectionNodes } from "../../../lib/connection";
import { formatMsv } from "../../../lib/dose";
import { formatDate, plural } from "../../../lib/format";
import { adviserWorkerPath } from "../../../lib/navigation";
import { useAdviserActions } from "../api/get-adviser-dashboard";

type WorkerRef = { id: string; lastName: string; firstNames: string };

/** The worker's name, linked to the adviser's file of the worker. */
function WorkerLink({ worker }: { worker: WorkerRef }) {
  return (
    <Link to={adviserWorkerPath(worker.id)}>
      {worker.firstNames} {worker.lastName}
    </Link>
  );
}

/** One box of the dashboard: a count, the latest items and a link to the whole list. */
function ActionCard({ title, count, empty, more, children }: { title: string; count: string; empty: boolean; more?: { to: string; label: string }; children: ReactNode }) {
  return (
    <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
      <section className={fr.cx("fr-p-3w", "fr-card")} aria-label={title}>
        <h2 className={fr.cx("fr-h5", "fr-mb-1w")}>{title}</h2>
        <p className={fr.cx("fr-text--bold", "fr-mb-1w")}>{count}</p>
        {empty ? null : <ul className={fr.cx("fr-text--sm")}>{children}</ul>}
        {more && (
          <p className={fr.cx("fr-mb-0")}>
            <Link to={more.to}>{more.label}</Link>
          </p>
        )}
      </section>
    </div>
  );
}

/**
 * The top of the adviser's dashboard: what needs action in their
 * establishments — open anomalies, late results, notices over the dose
 * constraints and workers approaching or over a limit (values of the
 * contract period only), each linked to the worker's file.
 */
export function AdviserActions() {
  const [{ data, error }] = useAdviserActions();
  if (error) return <QueryErrorAlert error={error} />;
  if (!data) return <Loading label="Chargement des actions à mener…" />;
  const findings = (items: { id: string; createdAt: string; kind: string; explanation: string; periodStart?: string | null; periodEnd?: string | null; worker: WorkerRef }[]) =>
    items.map((a) => (
      <li key={a.id}>
        <WorkerLink worker={a.worker} /> — {anomalyKindLabel(a.kind)}
        {a.periodStart ? ` (${formatDate(a.periodStart)} – ${formatDate(a.periodEnd)})` : ""} : {a.explanation}
      </li>
    ));
  const alerts = connectionNodes(data.limitAlerts);
  return (
    <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-mb-4w")}>
      <ActionCard
        title="Travailleurs proches d'une limite"
        count={plural(data.limitAlerts.totalCount, "limite atteinte à 80 % ou plus", "limites atteintes à 80 % ou plus")}
        empty={alerts.length === 0}
      >
        {alerts.map((l) => (
          <li key={`${l.worker.id}-${l.limitCode}`}>
            <WorkerLink worker={l.worker} /> — {l.label} : {formatMsv(l.valueMsv, { fine: true })} / {formatMsv(l.limitMsv)} <LimitStateBadge state={l.state} />
          </li>
        ))}
      </ActionCard>
      <ActionCard
        title="Anomalies ouvertes"
        count={plural(data.openAnomalies.totalCount, "anomalie à traiter", "anomalies à traiter")}
        empty={data.openAnomalies.totalCount === 0}
        more={{ to: "/anomalies", label: "Trier les anomalies" }}
      >
        {findings(connectionNodes(data.openAnomalies))}
      </ActionCard>
      <ActionCard
        title="Résultats en retard"
        count={plural(data.lateResults.totalCount, "résultat manquant", "résultats manquants")}
        empty={data.lateResults.totalCount === 0}
        more={{ to: "/anomalies", label: "Voir les anomalies" }}
      >
        {findings(connectionNodes(data.lateResults))}
      </ActionCard>
      <ActionCard
        title="Dépassements de contrainte de dose"
        count={plural(data.doseConstraintNotices.totalCount, "avis ouvert", "avis ouverts")}
        empty={data.doseConstraintNotices.totalCount === 0}
        more={{ to: "/avis-contrainte", label: "Voir les avis de contrainte" }}
      >
        {findings(connectionNodes(data.doseConstraintNotices))}
      </ActionCard>
    </div>
  );
}
