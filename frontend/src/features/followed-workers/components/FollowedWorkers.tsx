import { useState } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Notice } from "@codegouvfr/react-dsfr/Notice";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { Link } from "react-router";

import { CursorPager } from "../../../components/CursorPager";
import { Loading } from "../../../components/Loading";
import { QueryErrorAlert } from "../../../components/QueryErrorAlert";
import { useCursorStack } from "../../../hooks/useCursorStack";
import { connectionNodes } from "../../../lib/connection";
import { formatDate, plural } from "../../../lib/format";
import { useFollowedWorkers, useGrantEstablishments, type FollowedWorkersFilter } from "../api/get-followed-workers";

/**
 * The workers the caller follows, searchable by name and filtered by
 * establishment and classification; each links to `${linkBase}/:id`.
 */
export function FollowedWorkers({ establishmentIDs, linkBase }: { establishmentIDs: string[]; linkBase: string }) {
  const [draft, setDraft] = useState("");
  const [filter, setFilter] = useState<FollowedWorkersFilter>({ name: "", establishmentID: "", classification: "", order: "LAST_NAME" });
  const pages = useCursorStack();
  const [{ data, error }] = useFollowedWorkers(filter, pages.after);
  const [establishments] = useGrantEstablishments(establishmentIDs);
  const change = (patch: Partial<FollowedWorkersFilter>) => {
    setFilter((f) => ({ ...f, ...patch }));
    pages.reset();
  };

  return (
    <>
      <form
        className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-grid-row--bottom")}
        onSubmit={(e) => {
          e.preventDefault();
          change({ name: draft });
        }}
      >
        <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
          <Input label="Nom de naissance" nativeInputProps={{ value: draft, onChange: (e) => setDraft(e.target.value) }} />
        </div>
        <div className={fr.cx("fr-col-12", "fr-col-md-3")}>
          <Select label="Établissement" nativeSelectProps={{ value: filter.establishmentID, onChange: (e) => change({ establishmentID: e.target.value }) }}>
            <option value="">Tous</option>
            {connectionNodes(establishments.data?.establishments ?? { edges: [] }).map((e) => (
              <option key={e.id} value={e.id}>
                {e.name}
              </option>
            ))}
          </Select>
        </div>
        <div className={fr.cx("fr-col-12", "fr-col-md-2")}>
          <Select label="Classement" nativeSelectProps={{ value: filter.classification, onChange: (e) => change({ classification: e.target.value }) }}>
            <option value="">Tous</option>
            <option value="A">Catégorie A</option>
            <option value="B">Catégorie B</option>
            <option value="RADON">Radon</option>
          </Select>
        </div>
        <div className={fr.cx("fr-col-12", "fr-col-md-2")}>
          <Select label="Trier par" nativeSelectProps={{ value: filter.order, onChange: (e) => change({ order: e.target.value as FollowedWorkersFilter["order"] }) }}>
            <option value="LAST_NAME">Nom</option>
            <option value="BIRTH_DATE">Date de naissance</option>
          </Select>
        </div>
        <div className={fr.cx("fr-col-12", "fr-col-md-1")}>
          <Button type="submit">Rechercher</Button>
        </div>
      </form>
      {error ? (
        <QueryErrorAlert error={error} />
      ) : !data ? (
        <Loading label="Chargement des travailleurs suivis…" />
      ) : data.workers.totalCount === 0 ? (
        <Notice title="Aucun travailleur ne correspond à cette recherche." />
      ) : (
        <>
          <Table
            caption={plural(data.workers.totalCount, "travailleur suivi", "travailleurs suivis")}
            bordered
            headers={["Nom", "Prénoms", "Date de naissance", "Établissement", "Classement"]}
            data={connectionNodes(data.workers).map((w) => {
              const emp = connectionNodes(w.employments)[0];
              return [
                <Link key="n" to={`${linkBase}/${w.id}`}>
                  {w.lastName}
                  {w.usageName ? ` (${w.usageName})` : ""}
                </Link>,
                w.firstNames,
                formatDate(w.birthDate),
                emp?.establishment.name ?? "—",
                emp?.classification ?? "—",
              ];
            })}
          />
          {(pages.page > 1 || data.workers.pageInfo.hasNextPage) && (
            <CursorPager
              page={pages.page}
              pageCount={Math.ceil(data.workers.totalCount / 20)}
              hasNextPage={data.workers.pageInfo.hasNextPage}
              onPrevious={pages.previous}
              onNext={() => data.workers.pageInfo.endCursor && pages.next(data.workers.pageInfo.endCursor)}
            />
          )}
        </>
      )}
    </>
  );
}
