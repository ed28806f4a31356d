import { useMemo } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Accordion } from "@codegouvfr/react-dsfr/Accordion";
import { Notice } from "@codegouvfr/react-dsfr/Notice";
import { Table } from "@codegouvfr/react-dsfr/Table";

import { EChart } from "../../../components/EChart";
import { formatMsv } from "../../../lib/dose";
import { mSvChartBase } from "../../../lib/chart";
import { formatMonth } from "../../../lib/format";
import { operationalAgainstPassive, type MonthlyDosePoint } from "../../../lib/history";

/**
 * Operational dosimetry against the passive whole-body Hp(10), month by month:
 * a large gap calls for a look at how the dosimeters are worn.
 */
export function OperationalComparison({
  operational,
  points,
}: {
  operational: readonly { endAt: string; valueUsv: number }[];
  points: readonly (MonthlyDosePoint & { quantity: string })[];
}) {
  const rows = useMemo(() => operationalAgainstPassive(operational, points), [operational, points]);
  const option = useMemo(
    () => ({
      ...mSvChartBase(rows.map((r) => formatMonth(r.month))),
      series: [
        { type: "bar", name: "Dosimétrie opérationnelle", data: rows.map((r) => r.operationalMsv) },
        { type: "bar", name: "Dosimétrie passive Hp(10)", data: rows.map((r) => r.passiveMsv) },
      ],
    }),
    [rows],
  );
  if (operational.length === 0) return <Notice title="Aucune mesure de dosimétrie opérationnelle sur la période de contrat." />;
  return (
    <>
      <EChart option={option} label="Dosimétrie opérationnelle et dosimétrie passive corps entier Hp(10), par mois" height={260} />
      <Accordion label="Données du graphique" className={fr.cx("fr-mt-2w")}>
        <Table
          caption="Dosimétrie opérationnelle et passive par mois"
          headers={["Mois", "Dosimétrie opérationnelle", "Dosimétrie passive Hp(10)"]}
          data={rows.map((r) => [formatMonth(r.month), formatMsv(r.operationalMsv, { fine: true }), formatMsv(r.passiveMsv, { fine: true })])}
        />
      </Accordion>
    </>
  );
}
