import { Table } from "@codegouvfr/react-dsfr/Table";

import { graphql, useFragment, type FragmentType } from "../../../graphql";
import { regionName } from "../../../lib/regions";

/** What a row of the establishments table shows. */
export const EstablishmentRowFragment = graphql(`
  fragment EstablishmentRow on Establishment {
    id
    siret
    name
    postalCode
    city
    region
    closedAt
  }
`);

/** Writes a SIRET as 3 + 3 + 3 + 5 digits, the way it is printed. */
function formatSiret(siret: string): string {
  return /^\d{14}$/.test(siret) ? siret.replace(/^(\d{3})(\d{3})(\d{3})(\d{5})$/, "$1 $2 $3 $4") : siret;
}

type Props = {
  establishments: readonly FragmentType<typeof EstablishmentRowFragment>[];
  caption: string;
};

/** A DSFR table of establishments: SIRET, name, city and region. */
export function EstablishmentTable({ establishments, caption }: Props) {
  const rows = useFragment(EstablishmentRowFragment, establishments);
  return (
    <Table
      caption={caption}
      bordered
      headers={["SIRET", "Nom", "Ville", "Région"]}
      data={rows.map((e) => [
        formatSiret(e.siret),
        e.closedAt ? `${e.name} (fermé)` : e.name,
        e.city ? (e.postalCode ? `${e.city} (${e.postalCode})` : e.city) : e.postalCode || "—",
        regionName(e.region),
      ])}
    />
  );
}
