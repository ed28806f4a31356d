import { useState } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Notice } from "@codegouvfr/react-dsfr/Notice";

import { ConnectionPager } from "../../../components/CursorPager";
import { Loading } from "../../../components/Loading";
import { QueryErrorAlert } from "../../../components/QueryErrorAlert";
import { useCursorStack } from "../../../hooks/useCursorStack";
import { connectionNodes } from "../../../lib/connection";
import { plural } from "../../../lib/format";
import { conflictsPageSize, useDoseConflicts } from "../api/get-dose-conflicts";
import { OpenConflictCard } from "./OpenConflictCard";

/** The conflicts waiting for the physician's decision, oldest first. */
export function OpenConflicts({ canDecide }: { canDecide: boolean }) {
  const pages = useCursorStack();
  const [{ data, error }, refetch] = useDoseConflicts("open", pages.after);
  const [saved, setSaved] = useState(false);
  const conflicts = data ? connectionNodes(data.doseConflicts) : [];

  function decided() {
    setSaved(true);
    // The cache refetches the lists on its own; this page may have emptied.
    if (conflicts.length === 1 && pages.page > 1) pages.previous();
    else refetch({ requestPolicy: "network-only" });
  }

  return (
    <>
      {saved && (
        <Alert severity="success" small closable onClose={() => setSaved(false)} description="La décision a été enregistrée." className={fr.cx("fr-mb-3w")} />
      )}
      {error ? (
        <QueryErrorAlert error={error} />
      ) : !data ? (
        <Loading label="Chargement des conflits…" />
      ) : conflicts.length === 0 ? (
        <Notice title="Aucun conflit de correction en attente de décision." />
      ) : (
        <>
          <h2 className={fr.cx("fr-h5")}>{plural(data.doseConflicts.totalCount, "conflit en attente de décision", "conflits en attente de décision")}</h2>
          {conflicts.map((c) => (
            <OpenConflictCard key={c.id} conflict={c} canDecide={canDecide} onDecided={decided} />
          ))}
          <ConnectionPager connection={data.doseConflicts} pages={pages} pageSize={conflictsPageSize} />
        </>
      )}
    </>
  );
}
