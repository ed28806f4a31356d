import { useMemo } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Accordion } from "@codegouvfr/react-dsfr/Accordion";
import { Notice } from "@codegouvfr/react-dsfr/Notice";
import { Table } from "@codegouvfr/react-dsfr/Table";

import { EChart } from "../../../components/EChart";
import type { DoseRecordMonitoringKind } from "../../../graphql/graphql";
import { formatMsv, monitoringKindLabels } from "../../../lib/dose";
import { mSvChartBase } from "../../../lib/chart";
import { formatMonth } from "../../../lib/format";
import { monthlySeries, type MonthlyDosePoint } from "../../../lib/history";

const label = (kind: string) => monitoringKindLabels[kind as DoseRecordMonitoringKind] ?? kind;

/** Stacked bars of the doses by month and monitoring kind, with the same figures as a table. */
export function DoseHistoryChart({ points }: { points: readonly MonthlyDosePoint[] }) {
  const { months, series } = useMemo(() => monthlySeries(points), [points]);
  const option = useMemo(
    () => ({
      ...mSvChartBase(months.map(formatMonth)),
      series: series.map((s) => ({ type: "bar", stack: "dose", name: label(s.kind), data: s.values })),
    }),
    [months, series],
  );
  if (months.length === 0) {
    return <Notice title="Aucune dose enregistrée sur la période." />;
  }
  return (
    <>
      <EChart option={option} label={`Histogramme des doses par mois de ${formatMonth(months[0]!)} à ${formatMonth(months[months.length - 1]!)}, par type de suivi`} />
      <Accordion label="Données du graphique" className={fr.cx("fr-mt-2w")}>
        <Table
          caption="Doses par mois et type de suivi"
          headers={["Mois", ...series.map((s) => label(s.kind))]}
          data={months.map((m, i) => [formatMonth(m), ...series.map((s) => formatMsv(s.values[i], { fine: true }))])}
        />
      </Accordion>
    </>
  );
}
