import { useEffect, type ReactNode } from "react";
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
import { useFragment, type FragmentType } from "../../../graphql";
import { AdviserActionItemFragment, useAdviserActions } from "../api/get-adviser-dashboard";

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

/** The lists of findings, in the order the dashboard shows them after the limits. */
const findingLists = [
  { key: "openAnomalies", title: "Anomalies ouvertes", one: "anomalie à traiter", many: "anomalies à traiter", more: { to: "/anomalies", label: "Trier les anomalies" } },
  { key: "lateResults", title: "Résultats en retard", one: "résultat manquant", many: "résultats manquants", more: { to: "/anomalies", label: "Voir les résultats en retard" } },
  {
    key: "doseConstraintNotices",
    title: "Dépassements de contrainte de dose",
    one: "avis ouvert",
    many: "avis ouverts",
    more: { to: "/avis-contrainte", label: "Voir les avis de contrainte" },
  },
] as const;

/** One finding: the worker's link, its kind, period and explanation. */
function FindingItem({ item }: { item: FragmentType<typeof AdviserActionItemFragment> }) {
  const a = useFragment(AdviserActionItemFragment, item);
  return (
    <li>
      <WorkerLink worker={a.worker} /> — {anomalyKindLabel(a.kind)}
      {a.periodStart ? ` (${formatDate(a.periodStart)} – ${formatDate(a.periodEnd)})` : ""} : {a.explanation}
    </li>
  );
}

/**
 * The top of the adviser's dashboard: what needs action in their
 * establishments — workers approaching or over a limit (values of the
 * contract period only), open anomalies, late results and notices over the
 * dose constraints — each linked to the worker's file. `refreshKey` changes
 * when a live alert arrives, to refetch.
 */
export function AdviserActions({ refreshKey }: { refreshKey?: number }) {
  const [{ data, error }, refetch] = useAdviserActions();
  useEffect(() => {
    if (refreshKey) refetch({ requestPolicy: "network-only" });
  }, [refreshKey, refetch]);
  if (error) return <QueryErrorAlert error={error} />;
  if (!data) return <Loading label="Chargement des actions à mener…" />;
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
      {findingLists.map((f) => {
        const list = data[f.key];
        return (
          <ActionCard key={f.key} title={f.title} count={plural(list.totalCount, f.one, f.many)} empty={list.totalCount === 0} more={f.more}>
            {connectionNodes(list).map((item, i) => (
              <FindingItem key={i} item={item} />
            ))}
          </ActionCard>
        );
      })}
    </div>
  );
}
