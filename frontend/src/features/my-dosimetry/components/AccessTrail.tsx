import { Notice } from "@codegouvfr/react-dsfr/Notice";
import { Table } from "@codegouvfr/react-dsfr/Table";

import { CursorPager } from "../../../components/CursorPager";
import { Loading } from "../../../components/Loading";
import { QueryErrorAlert } from "../../../components/QueryErrorAlert";
import { useCursorStack } from "../../../hooks/useCursorStack";
import { connectionNodes } from "../../../lib/connection";
import { formatDateTime, plural } from "../../../lib/format";
import { roleLabels } from "../../../lib/roles";
import type { Role } from "../../../graphql/graphql";
import { useMyAccessTrail } from "../api/get-my-access-trail";

const actionLabels: Record<string, string> = { READ: "Consultation", WRITE: "Modification", CREATE: "Création", UPDATE: "Modification" };

/** The access trail of the worker's data, newest first, ten per page. */
export function AccessTrail({ workerID }: { workerID: string }) {
  const pages = useCursorStack();
  const [{ data, error }] = useMyAccessTrail(workerID, pages.after);
  if (error) return <QueryErrorAlert error={error} />;
  if (!data) return <Loading label="Chargement des accès…" />;
  const { totalCount, pageInfo } = data.auditTrail;
  if (totalCount === 0) return <Notice title="Personne n'a encore consulté vos données." />;
  return (
    <>
      <Table
        caption={plural(totalCount, "accès enregistré", "accès enregistrés")}
        bordered
        headers={["Date", "Qui", "Rôle", "Action", "Données"]}
        data={connectionNodes(data.auditTrail).map((e) => [
          formatDateTime(e.at),
          e.actorLabel,
          e.actorRole ? (roleLabels[e.actorRole as Role] ?? e.actorRole) : "—",
          actionLabels[e.action] ?? e.action,
          e.objectType,
        ])}
      />
      {(pages.page > 1 || pageInfo.hasNextPage) && (
        <CursorPager
          page={pages.page}
          pageCount={Math.ceil(totalCount / 10)}
          hasNextPage={pageInfo.hasNextPage}
          onPrevious={pages.previous}
          onNext={() => pageInfo.endCursor && pages.next(pageInfo.endCursor)}
        />
      )}
    </>
  );
}
