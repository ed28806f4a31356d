import { useEffect, useMemo, useState } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Table } from "@codegouvfr/react-dsfr/Table";

import { EChart } from "../../../components/EChart";
import { useAllPages } from "../../../hooks/useAllPages";
import { formatCollectiveDose, formatMsv } from "../../../lib/dose";
import { doseClasses, yearlyStatistics, type DosePoint, type YearStatistics } from "../../../lib/dose-classes";
import { connectionNodes } from "../../../lib/connection";
import { formatCount } from "../../../lib/format";
import { NationalDosesDocument, useActivityNomenclature } from "../api/get-national-doses";

const firstYear = 2023;

/** The statistics of each group of doses, by collective dose, largest first. */
function groupStatistics(doses: readonly DosePoint[], key: (d: DosePoint) => string): [string, YearStatistics][] {
  const groups = new Map<string, DosePoint[]>();
  for (const d of doses) {
    const k = key(d);
    let list = groups.get(k);
    if (!list) groups.set(k, (list = []));
    list.push(d);
  }
  return [...groups]
    .map(([k, list]) => [k, yearlyStatistics(list)[0]!] as [string, YearStatistics])
    .sort((a, b) => b[1].collectiveMsv - a[1].collectiveMsv);
}

/** A year without any dose. */
function emptyYear(year: number): YearStatistics {
  return { year, workers: 0, exposedWorkers: 0, classes: Object.fromEntries(doseClasses.map((c) => [c.code, 0])) as YearStatistics["classes"], collectiveMsv: 0, meanMsv: 0, medianMsv: 0 };
}

/**
 * National statistics like the annual report: for a year, monitored workers,
 * dose classes, collective dose, mean and median; the years already computed
 * side by side.
 */
export function NationalStatistics() {
  const thisYear = new Date().getFullYear();
  const years = Array.from({ length: thisYear - firstYear + 1 }, (_, i) => thisYear - i);
  const [year, setYear] = useState(thisYear - 1);
  const [computed, setComputed] = useState<Record<number, { stats: YearStatistics; nodes: DosePoint[] }>>({});
  const [nomenclature] = useActivityNomenclature();
  // The selected year first, then the others in the background for the trend.
  const loading = computed[year] ? years.find((y) => !computed[y]) : year;
  const doses = useAllPages(
    NationalDosesDocument,
    { after: null, from: `${loading}-01-01`, to: `${loading}-12-31` },
    (d) => d.doseRecords,
    String(loading ?? "fini"),
  );

  useEffect(() => {
    if (!doses.done || loading === undefined) return;
    const stats = yearlyStatistics(doses.nodes).find((s) => s.year === loading) ?? yearlyStatistics([])[0] ?? emptyYear(loading);
    setComputed((c) => ({ ...c, [loading]: { stats, nodes: doses.nodes } }));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [doses.done, doses.nodes]);

  const labels = useMemo(() => {
    const map = new Map<string, { label: string; parent: string }>();
    for (const n of connectionNodes(nomenclature.data?.nomenclatures ?? { edges: [] })) map.set(n.code, { label: n.label, parent: n.parentCode ?? "" });
    return map;
  }, [nomenclature.data]);
  const nodes = computed[year]?.nodes;
  const sectors = useMemo(() => groupStatistics(nodes ?? [], (d) => d.sectorCode || ""), [nodes]);
  const domains = useMemo(() => groupStatistics(nodes ?? [], (d) => labels.get(d.sectorCode ?? "")?.parent ?? ""), [nodes, labels]);
  const name = (code: string) => (code ? (labels.get(code)?.label ?? code) : "Non renseigné");
  const current = computed[year]?.stats;
  const history = Object.values(computed)
    .map((c) => c.stats)
    .filter((h) => h.workers > 0)
    .sort((a, b) => a.year - b.year);
  const classOption = useMemo(
    () => ({
      tooltip: { trigger: "axis" },
      grid: { left: 56, right: 16, top: 24, bottom: 32 },
      xAxis: { type: "category", data: doseClasses.map((c) => c.label) },
      yAxis: { type: "value", name: "Travailleurs" },
      series: [{ type: "bar", name: "Travailleurs", data: current ? doseClasses.map((c) => current.classes[c.code]) : [] }],
    }),
    [current],
  );
  const trendOption = useMemo(
    () => ({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 56, right: 16, top: 40, bottom: 32 },
      xAxis: { type: "category", data: history.map((h) => String(h.year)) },
      yAxis: { type: "value", name: "mSv" },
      series: [
        { type: "line", name: "Dose moyenne", data: history.map((h) => Number(h.meanMsv.toFixed(3))) },
        { type: "line", name: "Dose médiane", data: history.map((h) => Number(h.medianMsv.toFixed(3))) },
      ],
    }),
    [history],
  );

  return (
    <>
      <Select label="Année" nativeSelectProps={{ value: year, onChange: (e) => setYear(Number(e.target.value)) }}>
        {years.map((y) => (
          <option key={y} value={y}>
            {y}
          </option>
        ))}
      </Select>
      {doses.error && !current ? (
        <Alert severity="error" title="Impossible de calculer les statistiques" description="Le registre n'a pas répondu. Réessayez dans quelques instants." />
      ) : !current ? (
        <div role="status">
          <label htmlFor="progression-statistiques">
            Calcul des statistiques {year} : {formatCount(doses.loaded)}
            {doses.total !== null ? ` / ${formatCount(doses.total)}` : ""} résultats lus
          </label>
          <br />
          <progress id="progression-statistiques" max={doses.total ?? 1} value={doses.loaded} style={{ width: "100%" }} />
        </div>
      ) : (
        <>
          <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-my-2w")}>
            {[
              ["Travailleurs suivis", formatCount(current.workers)],
              ["Travailleurs exposés (≥ 0,1 mSv)", formatCount(current.exposedWorkers)],
              ["Dose collective", formatCollectiveDose(current.collectiveMsv)],
              ["Dose individuelle moyenne", formatMsv(current.meanMsv)],
              ["Dose individuelle médiane", formatMsv(current.medianMsv)],
            ].map(([label, value]) => (
              <div key={label} className={fr.cx("fr-col-12", "fr-col-md-4", "fr-col-lg")}>
                <p className={fr.cx("fr-mb-0", "fr-text--sm")}>{label}</p>
                <p className={fr.cx("fr-h4", "fr-mb-0")}>{value}</p>
              </div>
            ))}
          </div>
          <h2 className={fr.cx("fr-h4", "fr-mt-4w")}>Répartition des travailleurs par classe de dose en {year}</h2>
          <EChart option={classOption} label={`Histogramme du nombre de travailleurs par classe de dose annuelle en ${year}`} />
          <Table
            caption={`Travailleurs par classe de dose annuelle (${year})`}
            bordered
            headers={doseClasses.map((c) => c.label)}
            data={[doseClasses.map((c) => formatCount(current.classes[c.code]))]}
          />
          <h2 className={fr.cx("fr-h4", "fr-mt-4w")}>Par domaine et secteur d'activité en {year}</h2>
          <Table
            caption={`Effectifs et doses par domaine (${year})`}
            bordered
            headers={["Domaine", "Travailleurs suivis", "Exposés", "Dose collective", "Moyenne", "Médiane"]}
            data={domains.map(([d, st]) => [name(d), formatCount(st.workers), formatCount(st.exposedWorkers), formatCollectiveDose(st.collectiveMsv), formatMsv(st.meanMsv), formatMsv(st.medianMsv)])}
          />
          <Table
            caption={`Effectifs et doses par secteur (${year})`}
            bordered
            headers={["Secteur", "Travailleurs suivis", "Exposés", "Dose collective", "Moyenne", "Médiane"]}
            data={sectors.map(([s, st]) => [name(s), formatCount(st.workers), formatCount(st.exposedWorkers), formatCollectiveDose(st.collectiveMsv), formatMsv(st.meanMsv), formatMsv(st.medianMsv)])}
          />
          <h2 className={fr.cx("fr-h4", "fr-mt-4w")}>Évolution par année</h2>
          {loading !== undefined && (
            <p className={fr.cx("fr-text--sm")} role="status">
              Calcul de l'année {loading} en cours…
            </p>
          )}
          <EChart option={trendOption} label="Courbes des doses individuelles moyenne et médiane par année" height={260} />
          <Table
            caption="Indicateurs par année"
            bordered
            headers={["Année", "Travailleurs suivis", "Exposés", "Dose collective", "Moyenne", "Médiane"]}
            data={history.map((h) => [String(h.year), formatCount(h.workers), formatCount(h.exposedWorkers), formatCollectiveDose(h.collectiveMsv), formatMsv(h.meanMsv), formatMsv(h.medianMsv)])}
          />
        </>
      )}
    </>
  );
}
