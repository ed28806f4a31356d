import { useState } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { SearchBar } from "@codegouvfr/react-dsfr/SearchBar";
import { Tabs } from "@codegouvfr/react-dsfr/Tabs";

import { ConnectionTable } from "../../../components/ConnectionTable";
import { useCursorStack } from "../../../hooks/useCursorStack";
import { formatDate, plural } from "../../../lib/format";
import {
  useEmployerAssignments,
  useEmployerEmployments,
  useEmployerEstablishments,
  useEmployerWorkers,
} from "../api/get-declarations";

const contractLabels: Record<string, string> = {
  CDI: "CDI",
  CDD: "CDD",
  TEMPORARY: "Intérim",
  SELF_EMPLOYED: "Indépendant",
  APPRENTICE: "Apprentissage",
  INTERN: "Stage",
  OTHER: "Autre",
};

function Establishments({ ids }: { ids: string[] }) {
  const [{ data, error }] = useEmployerEstablishments(ids);
  return (
    <ConnectionTable
      error={error}
      connection={data?.establishments}
      caption={(n) => plural(n, "établissement déclaré", "établissements déclarés")}
      empty="Aucun établissement déclaré."
      headers={["SIRET", "Nom", "Code postal", "Ville"]}
      row={(e) => [e.siret, e.name, e.postalCode, e.city]}
    />
  );
}

function Workers() {
  const [name, setName] = useState("");
  const pages = useCursorStack();
  const [{ data, error }] = useEmployerWorkers(name, pages.after);
  return (
    <>
      <SearchBar
        label="Rechercher un travailleur par nom"
        allowEmptySearch
        onButtonClick={(text) => {
          setName(text);
          pages.reset();
        }}
      />
      <ConnectionTable
        error={error}
        connection={data?.workers}
        pages={pages}
        caption={(n) => plural(n, "travailleur déclaré", "travailleurs déclarés")}
        empty="Aucun travailleur déclaré."
        headers={["Nom", "Prénoms", "Date de naissance", "NIR"]}
        row={(w) => [w.lastName, w.firstNames, formatDate(w.birthDate), w.nir || "—"]}
      />
    </>
  );
}

function Employments() {
  const pages = useCursorStack();
  const [{ data, error }] = useEmployerEmployments(pages.after);
  return (
    <ConnectionTable
      error={error}
      connection={data?.employments}
      pages={pages}
      caption={(n) => plural(n, "emploi déclaré", "emplois déclarés")}
      empty="Aucun emploi déclaré."
      headers={["Travailleur", "Établissement", "Début", "Fin", "Contrat", "Classement", "Secteur — métier"]}
      row={(e) => [
        `${e.worker.firstNames} ${e.worker.lastName}`,
        e.establishment.name,
        formatDate(e.startDate),
        formatDate(e.endDate),
        contractLabels[e.contractType] ?? e.contractType,
        e.classification,
        `${e.sectorCode} — ${e.jobCode}`,
      ]}
    />
  );
}

function Assignments() {
  const pages = useCursorStack();
  const [{ data, error }] = useEmployerAssignments(pages.after);
  return (
    <ConnectionTable
      error={error}
      connection={data?.dosimeterAssignments}
      pages={pages}
      caption={(n) => plural(n, "affectation de dosimètre", "affectations de dosimètres")}
      empty="Aucune affectation de dosimètre."
      headers={["Dosimètre", "Type", "Travailleur", "Début", "Fin", "Position"]}
      row={(a) => [
        a.dosimeter.serial,
        a.dosimeter.kind,
        `${a.worker.firstNames} ${a.worker.lastName}`,
        formatDate(a.startDate),
        formatDate(a.endDate),
        a.bodyPosition || "—",
      ]}
    />
  );
}

/** The employer correspondent's declarations: establishments, workers, employments, dosimeter assignments. */
export function EmployerDeclarations({ establishmentIDs }: { establishmentIDs: string[] }) {
  return (
    <Tabs
      className={fr.cx("fr-mt-2w")}
      label="Déclarations"
      tabs={[
        { label: "Établissements", content: <Establishments ids={establishmentIDs} />, isDefault: true },
        { label: "Travailleurs", content: <Workers /> },
        { label: "Emplois", content: <Employments /> },
        { label: "Dosimètres", content: <Assignments /> },
      ]}
    />
  );
}
