import { useMemo } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Accordion } from "@codegouvfr/react-dsfr/Accordion";
import { Notice } from "@codegouvfr/react-dsfr/Notice";
import { Table } from "@codegouvfr/react-dsfr/Table";

import { EChart } from "../../../components/EChart";
import { formatMsv } from "../../../lib/dose";
import { mSvChartBase } from "../../../lib/chart";
import { formatMonth } from "../../../lib/format";
import { rollingEffective, type MonthlyDosePoint } from "../../../lib/history";

/**
 * The effective dose month by month and its sum over 12 rolling months
 * against the limit (`limitMsv`), with the same figures as a table.
 */
export function EffectiveDoseChart({ points, limitMsv }: { points: readonly (MonthlyDosePoint & { quantity: string })[]; limitMsv: number }) {
  const { months, monthly, rolling } = useMemo(() => rollingEffective(points), [points]);
  const option = useMemo(
    () => ({
      // The limit is a series: the y axis always reaches it.
      ...mSvChartBase(months.map(formatMonth)),
      series: [
        { type: "bar", name: "Dose efficace du mois", data: monthly },
        { type: "line", name: "Cumul sur 12 mois glissants", data: rolling },
        { type: "line", name: "Limite réglementaire", data: months.map(() => limitMsv), symbol: "none", lineStyle: { type: "dashed" } },
      ],
    }),
    [months, monthly, rolling, limitMsv],
  );
  if (months.length === 0) return <Notice title="Aucune dose efficace enregistrée sur la période de contrat." />;
  return (
    <>
      <EChart
        option={option}
        label={`Dose efficace par mois et cumul sur 12 mois glissants de ${formatMonth(months[0]!)} à ${formatMonth(months[months.length - 1]!)}, face à la limite de ${formatMsv(limitMsv)}`}
      />
      <Accordion label="Données du graphique" className={fr.cx("fr-mt-2w")}>
        <Table
          caption="Dose efficace par mois et cumul sur 12 mois glissants"
          headers={["Mois", "Dose efficace du mois", "Cumul sur 12 mois glissants", "Limite réglementaire"]}
          data={months.map((m, i) => [formatMonth(m), formatMsv(monthly[i], { fine: true }), formatMsv(rolling[i], { fine: true }), formatMsv(limitMsv)])}
        />
      </Accordion>
    </>
  );
}
