import { Table } from "@codegouvfr/react-dsfr/Table";

import { graphql, useFragment, type FragmentType } from "../../../graphql";
import type { WorkerIdentifierKind, WorkerSex } from "../../../graphql/graphql";
import { formatDate } from "../../../lib/format";

/** What a row of the workers table shows. */
export const WorkerRowFragment = graphql(`
  fragment WorkerRow on Worker {
    id
    lastName
    usageName
    firstNames
    birthDate
    sex
    identifierKind
  }
`);

const sexLabels: Record<WorkerSex, string> = { M: "Homme", F: "Femme" };

const identifierLabels: Record<WorkerIdentifierKind, string> = {
  NIR: "NIR",
  NIA: "NIA",
  NTT: "NTT (numéro temporaire)",
  FOREIGN: "Identifiant étranger",
};

type Props = {
  workers: readonly FragmentType<typeof WorkerRowFragment>[];
  caption: string;
};

/** A DSFR table of workers: name, first names, birth date, sex, identifier. */
export function WorkerTable({ workers, caption }: Props) {
  const rows = useFragment(WorkerRowFragment, workers);
  return (
    <Table
      caption={caption}
      bordered
      headers={["Nom de naissance", "Nom d'usage", "Prénoms", "Date de naissance", "Sexe", "Identifiant"]}
      data={rows.map((w) => [
        w.lastName,
        w.usageName || "—",
        w.firstNames,
        formatDate(w.birthDate),
        sexLabels[w.sex],
        identifierLabels[w.identifierKind],
      ])}
    />
  );
}
