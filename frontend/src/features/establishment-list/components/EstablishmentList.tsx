import { fr } from "@codegouvfr/react-dsfr";
import { Notice } from "@codegouvfr/react-dsfr/Notice";

import { CursorPager } from "../../../components/CursorPager";
import { Loading } from "../../../components/Loading";
import { QueryErrorAlert } from "../../../components/QueryErrorAlert";
import { useCursorStack } from "../../../hooks/useCursorStack";
import { connectionNodes } from "../../../lib/connection";
import { plural } from "../../../lib/format";
import { establishmentsPageSize, useEstablishments } from "../api/get-establishments";
import { EstablishmentTable } from "./EstablishmentTable";

/** The paginated establishments table for a name search (empty: all of them). */
export function EstablishmentList({ name }: { name: string }) {
  const pages = useCursorStack();
  const [{ data, error }] = useEstablishments({ name, after: pages.after });

  if (error) return <QueryErrorAlert error={error} />;
  if (!data) return <Loading label="Chargement des établissements…" />;

  const { totalCount, pageInfo } = data.establishments;
  if (totalCount === 0) {
    return (
      <Notice
        className={fr.cx("fr-my-4w")}
        title={name.trim() ? `Aucun établissement dont le nom contient « ${name.trim()} ».` : "Aucun établissement enregistré."}
      />
    );
  }
  const summary = name.trim()
    ? `${plural(totalCount, "établissement trouvé", "établissements trouvés")} pour « ${name.trim()} »`
    : plural(totalCount, "établissement", "établissements");
  return (
    <>
      <EstablishmentTable caption={summary} establishments={connectionNodes(data.establishments)} />
      {(pages.page > 1 || pageInfo.hasNextPage) && (
        <CursorPager
          page={pages.page}
          pageCount={Math.ceil(totalCount / establishmentsPageSize)}
          hasNextPage={pageInfo.hasNextPage}
          onPrevious={pages.previous}
          onNext={() => pageInfo.endCursor && pages.next(pageInfo.endCursor)}
        />
      )}
    </>
  );
}
