import { fr } from "@codegouvfr/react-dsfr";
import { SearchBar } from "@codegouvfr/react-dsfr/SearchBar";
import { useSearchParams } from "react-router";

import { EstablishmentForm } from "../../features/administration/components/EstablishmentForm";
import { EstablishmentList } from "../../features/establishment-list/components/EstablishmentList";

/** `/etablissements`: the establishments of the registry, searchable by name, and the form that registers one. */
export function EstablishmentsRoute() {
  const [params, setParams] = useSearchParams();
  const name = params.get("nom") ?? "";
  return (
    <>
      <h1>Établissements</h1>
      <SearchBar
        className={fr.cx("fr-mb-4w")}
        label="Rechercher un établissement par nom"
        defaultValue={name}
        allowEmptySearch
        onButtonClick={(text) => setParams(text.trim() ? { nom: text.trim() } : {})}
      />
      {/* A new search starts again at the first page. */}
      <EstablishmentList key={name} name={name} />
      <EstablishmentForm />
    </>
  );
}
