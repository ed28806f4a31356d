import { fr } from "@codegouvfr/react-dsfr";
import { SearchBar } from "@codegouvfr/react-dsfr/SearchBar";
import { useSearchParams } from "react-router";

import { WorkerList } from "../../features/worker-list/components/WorkerList";

/** `/travailleurs`: the workers of the registry, searchable by birth name. */
export function WorkersRoute() {
  const [params, setParams] = useSearchParams();
  const name = params.get("nom") ?? "";
  return (
    <>
      <h1>Travailleurs</h1>
      <SearchBar
        className={fr.cx("fr-mb-4w")}
        label="Rechercher un travailleur par nom"
        defaultValue={name}
        allowEmptySearch
        onButtonClick={(text) => setParams(text.trim() ? { nom: text.trim() } : {})}
      />
      {/* A new search starts again at the first page. */}
      <WorkerList key={name} name={name} />
    </>
  );
}
