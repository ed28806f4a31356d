import { useMemo } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Notice } from "@codegouvfr/react-dsfr/Notice";
import { Table } from "@codegouvfr/react-dsfr/Table";

import { EChart } from "../../../components/EChart";
import { Loading } from "../../../components/Loading";
import { QueryErrorAlert } from "../../../components/QueryErrorAlert";
import { connectionNodes } from "../../../lib/connection";
import { formatMsv } from "../../../lib/dose";
import { mSvChartBase } from "../../../lib/chart";
import { median, quantile } from "../../../lib/dose-classes";
import { formatCount, monthsAgo } from "../../../lib/format";
import { useContextComparison } from "../api/get-context-comparison";

/**
 * Compares the establishment's whole-body doses of the last 24 months with the
 * national statistics of the same sector × job (median and p90 of the doses
 * above the recording threshold).
 */
export function ContextComparison({ establishmentID }: { establishmentID: string }) {
  const from = useMemo(() => monthsAgo(24), []);
  const [{ data, error }] = useContextComparison(establishmentID, from);

  const rows = useMemo(() => {
    if (!data) return [];
    const ours = new Map<string, number[]>();
    for (const d of connectionNodes(data.doseRecords)) {
      if (d.status !== "MEASURED" || d.valueMsv <= 0) continue;
      const key = `${d.sectorCode}|${d.jobCode}`;
      ours.set(key, [...(ours.get(key) ?? []), d.valueMsv]);
    }
    return data.contextStatistics
      .filter((c) => ours.has(`${c.sectorCode}|${c.jobCode}`))
      .map((c) => {
        const values = ours.get(`${c.sectorCode}|${c.jobCode}`)!;
        return {
          label: `${c.sectorLabel ?? c.sectorCode} — ${c.jobLabel ?? c.jobCode}`,
          ourCount: values.length,
          ourMedian: median(values),
          ourP90: quantile(values, 0.9),
          nationalCount: c.nonZeroDoses,
          nationalMedian: c.medianMsv ?? null,
          nationalP90: c.p90Msv ?? null,
        };
      });
  }, [data]);

  const option = useMemo(
    () => ({
      ...mSvChartBase(
        rows.map((r) => r.label),
        { bottom: 80, axisLabel: { interval: 0, rotate: 20, fontSize: 10 } },
      ),
      series: [
        { type: "bar", name: "Médiane de vos travailleurs", data: rows.map((r) => r.ourMedian) },
        { type: "bar", name: "Médiane nationale", data: rows.map((r) => r.nationalMedian) },
        { type: "bar", name: "P90 national", data: rows.map((r) => r.nationalP90) },
      ],
    }),
    [rows],
  );

  if (error) return <QueryErrorAlert error={error} />;
  if (!data) return <Loading label="Chargement des statistiques nationales…" />;
  if (rows.length === 0) return <Notice title="Pas assez de doses mesurées dans vos contextes d'exposition pour une comparaison." />;
  return (
    <>
      <p className={fr.cx("fr-text--sm")}>
        Doses corps entier Hp(10) supérieures au seuil d'enregistrement, depuis 24 mois. Les contextes de moins de 10 doses ne sont pas publiés.
      </p>
      <EChart option={option} label="Comparaison des médianes de vos travailleurs avec la médiane et le 90e centile nationaux, par secteur et métier" />
      <Table
        caption="Vos travailleurs et le contexte national, par secteur et métier"
        bordered
        headers={["Secteur — métier", "Vos doses", "Votre médiane", "Votre P90", "Doses nationales", "Médiane nationale", "P90 national"]}
        data={rows.map((r) => [
          r.label,
          formatCount(r.ourCount),
          formatMsv(r.ourMedian, { fine: true }),
          formatMsv(r.ourP90, { fine: true }),
          formatCount(r.nationalCount),
          formatMsv(r.nationalMedian, { fine: true }),
          formatMsv(r.nationalP90, { fine: true }),
        ])}
      />
    </>
  );
}
