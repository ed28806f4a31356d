import { useMemo } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Table } from "@codegouvfr/react-dsfr/Table";

import { ConnectionTable } from "../../../components/ConnectionTable";
import { LimitStateBadge } from "../../../components/LimitStateBadge";
import { Loading } from "../../../components/Loading";
import { QueryErrorAlert } from "../../../components/QueryErrorAlert";
import { useAllPages } from "../../../hooks/useAllPages";
import { connectionNodes } from "../../../lib/connection";
import { formatCollectiveDose, formatMsv, limitLabels } from "../../../lib/dose";
import { formatCount, formatDate, monthsAgo, plural } from "../../../lib/format";
import { regionName } from "../../../lib/regions";
import { RegionalDosesDocument, useRegionalControl } from "../api/get-regional-control";

/** The establishments of the control agent's region, their exceedances and effective doses over 12 months. */
export function RegionalControl({ region }: { region: string | null }) {
  const [{ data, error }] = useRegionalControl(region);
  const from = useMemo(() => monthsAgo(12), []);
  const doses = useAllPages(RegionalDosesDocument, { after: null, from }, (d) => d.doseRecords, from);

  const perEstablishment = useMemo(() => {
    const map = new Map<string, Map<string, number>>();
    for (const d of doses.nodes) {
      const workers = map.get(d.establishmentID) ?? new Map<string, number>();
      workers.set(d.workerID, (workers.get(d.workerID) ?? 0) + d.valueUsv / 1000);
      map.set(d.establishmentID, workers);
    }
    return map;
  }, [doses.nodes]);

  if (error) return <QueryErrorAlert error={error} />;
  if (!data) return <Loading label="Chargement des établissements de la région…" />;
  const summaries = connectionNodes(data.limitAlerts);
  const exceeded = new Map<string, number>();
  for (const s of summaries) {
    if (s.state !== "EXCEEDED") continue;
    for (const e of connectionNodes(s.worker.employments)) exceeded.set(e.establishment.id, (exceeded.get(e.establishment.id) ?? 0) + 1);
  }
  return (
    <>
      <p className={fr.cx("fr-text--lead")}>Région {regionName(region)}</p>
      <h2 className={fr.cx("fr-h4")}>Établissements</h2>
      {!doses.done && !doses.error && (
        <p role="status">
          Calcul des doses efficaces : {formatCount(doses.loaded)}
          {doses.total !== null ? ` / ${formatCount(doses.total)}` : ""} résultats lus…
        </p>
      )}
      <Table
        caption={`${plural(data.establishments.totalCount, "établissement", "établissements")} — doses des 12 derniers mois`}
        bordered
        headers={["Établissement", "SIRET", "Ville", "Travailleurs exposés", "Dose collective", "Dose individuelle maximale", "Dépassements"]}
        data={connectionNodes(data.establishments).map((e) => {
          const workers = [...(perEstablishment.get(e.id)?.values() ?? [])];
          const ready = doses.done;
          return [
            e.name,
            e.siret,
            e.city,
            ready ? formatCount(workers.filter((w) => w >= 0.1).length) : "…",
            ready ? formatCollectiveDose(workers.reduce((a, b) => a + b, 0)) : "…",
            ready ? formatMsv(workers.length ? Math.max(...workers) : 0) : "…",
            formatCount(exceeded.get(e.id) ?? 0),
          ];
        })}
      />
      <h2 className={fr.cx("fr-h4", "fr-mt-4w")}>Travailleurs proches ou au-delà d'une limite</h2>
      <ConnectionTable
        connection={data.limitAlerts}
        caption={(n) => plural(n, "situation à surveiller", "situations à surveiller")}
        empty="Aucun travailleur de la région n'approche ni ne dépasse une limite."
        headers={["Travailleur", "Établissement", "Limite", "Cumul", "Limite réglementaire", "Fenêtre", "Situation"]}
        row={(s) => [
          `${s.worker.firstNames} ${s.worker.lastName}`,
          connectionNodes(s.worker.employments).map((e) => e.establishment.name).join(", ") || "—",
          limitLabels[s.limitCode],
          formatMsv(s.valueMsv ?? 0, { fine: true }),
          formatMsv(s.limitMsv),
          `${formatDate(s.windowStart)} – ${formatDate(s.windowEnd)}`,
          <LimitStateBadge key="s" state={s.state} />,
        ]}
      />
    </>
  );
}
