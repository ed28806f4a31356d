import { useState } from "react";
import { fr } from "@codegouvfr/react-dsfr";

import { ConnectionTable } from "../../../components/ConnectionTable";
import { limitLabels, formatMsv } from "../../../lib/dose";
import { formatDate, formatMonth, plural } from "../../../lib/format";
import { useExceedanceNotices } from "../api/get-exceedance-notices";

/** French labels of the populations a limit protects. */
const populationLabels: Record<string, string> = {
  ADULT: "Travailleur adulte",
  YOUNG: "Jeune travailleur (moins de 18 ans)",
  UNBORN_CHILD: "Enfant à naître",
};

/**
 * The labour inspection's (DGT) list of the registry's anonymous notices of
 * confirmed limit exceedances: context, limit and value band, never a person.
 */
export function ExceedanceNotices() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [{ data, error }] = useExceedanceNotices(cursors[cursors.length - 1]);
  return (
    <>
      <p className={fr.cx("fr-text--lead")}>
        Dépassements de limite confirmés par le médecin du travail, signalés sans l'identité du travailleur, de
        l'établissement ni la valeur de la dose.
      </p>
      <ConnectionTable
        error={error}
        connection={data?.exceedanceNotices}
        pages={{
          page: cursors.length,
          previous: () => setCursors((c) => c.slice(0, -1)),
          next: (cursor) => setCursors((c) => [...c, cursor]),
        }}
        pageSize={50}
        caption={(n) => plural(n, "signalement de dépassement", "signalements de dépassement")}
        empty="Aucun dépassement confirmé n'a été signalé."
        loading="Chargement des signalements…"
        headers={["Confirmé le", "Mois du dépassement", "Limite", "Population", "Ampleur", "Secteur", "Domaine", "Région"]}
        row={(n) => [
          formatDate(n.confirmedOn),
          formatMonth(n.exceedanceMonth.slice(0, 7)),
          limitLabels[n.limitCode],
          populationLabels[n.population] ?? n.population,
          `${n.bandLabel} (${n.bandUpperMsv == null ? `plus de ${formatMsv(n.bandLowerMsv)}` : `${formatMsv(n.bandLowerMsv)} à ${formatMsv(n.bandUpperMsv)}`})`,
          n.sectorLabel,
          n.domainLabel,
          n.regionLabel,
        ]}
      />
    </>
  );
}
