import { fr } from "@codegouvfr/react-dsfr";
import { Notice } from "@codegouvfr/react-dsfr/Notice";

import { CursorPager } from "../../../components/CursorPager";
import { Loading } from "../../../components/Loading";
import { QueryErrorAlert } from "../../../components/QueryErrorAlert";
import { useCursorStack } from "../../../hooks/useCursorStack";
import { connectionNodes } from "../../../lib/connection";
import { plural } from "../../../lib/format";
import { useWorkers, workersPageSize } from "../api/get-workers";
import { WorkerTable } from "./WorkerTable";

/** The paginated workers table for a name search (empty: every worker). */
export function WorkerList({ name }: { name: string }) {
  const pages = useCursorStack();
  const [{ data, error }] = useWorkers({ name, after: pages.after });

  if (error) return <QueryErrorAlert error={error} />;
  if (!data) return <Loading label="Chargement des travailleurs…" />;

  const { totalCount, pageInfo } = data.workers;
  if (totalCount === 0) {
    return (
      <Notice
        className={fr.cx("fr-my-4w")}
        title={name.trim() ? `Aucun travailleur dont le nom contient « ${name.trim()} ».` : "Aucun travailleur enregistré."}
      />
    );
  }
  const summary = name.trim()
    ? `${plural(totalCount, "travailleur trouvé", "travailleurs trouvés")} pour « ${name.trim()} »`
    : plural(totalCount, "travailleur", "travailleurs");
  return (
    <>
      <WorkerTable caption={summary} workers={connectionNodes(data.workers)} />
      {(pages.page > 1 || pageInfo.hasNextPage) && (
        <CursorPager
          page={pages.page}
          pageCount={Math.ceil(totalCount / workersPageSize)}
          hasNextPage={pageInfo.hasNextPage}
          onPrevious={pages.previous}
          onNext={() => pageInfo.endCursor && pages.next(pageInfo.endCursor)}
        />
      )}
    </>
  );
}
