import { useState } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Notice } from "@codegouvfr/react-dsfr/Notice";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { Link } from "react-router";

import { CursorPager } from "../../../components/CursorPager";
import { LimitStateBadge } from "../../../components/LimitStateBadge";
import { Loading } from "../../../components/Loading";
import { QueryErrorAlert } from "../../../components/QueryErrorAlert";
import type { ExposureSummaryLimitCode } from "../../../graphql/graphql";
import { useCursorStack } from "../../../hooks/useCursorStack";
import { connectionNodes } from "../../../lib/connection";
import { formatMsv, limitLabels } from "../../../lib/dose";
import { formatDate, plural } from "../../../lib/format";
import { adviserWorkerPath } from "../../../lib/navigation";
import { useAdviserAlerts, useAdviserWorkers, type AdviserFilter } from "../api/get-adviser-workers";
import { ConnectionTable } from "../../../components/ConnectionTable";

const shownLimits: ExposureSummaryLimitCode[] = ["EFFECTIVE", "EXTREMITY", "LENS", "SKIN"];

/** The effective dose over 12 rolling months of the contract period, against its limit. */
function effectiveDose(exposure: readonly { limitCode: string; valueMsv?: number | null; limitMsv: number }[]): string {
  const l = exposure.find((x) => x.limitCode === "EFFECTIVE");
  return l ? `${formatMsv(l.valueMsv, { fine: true })} / ${formatMsv(l.limitMsv)}` : "—";
}

/** The worker's last name, linked to the adviser's file of the worker. */
function NameLink({ worker }: { worker: { id: string; lastName: string } }) {
  return <Link to={adviserWorkerPath(worker.id)}>{worker.lastName}</Link>;
}

/**
 * The establishment's workers with their effective dose of the contract period
 * and their 12-month state per limit, each linked to the worker's file:
 * sortable, filterable, paginated.
 */
export function AdviserWorkers() {
  const [draft, setDraft] = useState("");
  const [filter, setFilter] = useState<AdviserFilter>({ name: "", state: "", order: "LAST_NAME", direction: "ASC" });
  const pages = useCursorStack();
  const [{ data, error }] = useAdviserWorkers(filter, pages.after);
  const [alerts] = useAdviserAlerts(filter, pages.after);
  const change = (patch: Partial<AdviserFilter>) => {
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
          <Select label="Situation" nativeSelectProps={{ value: filter.state, onChange: (e) => change({ state: e.target.value as AdviserFilter["state"] }) }}>
            <option value="">Toutes</option>
            <option value="ALERT">Proche de la limite ou dépassée</option>
            <option value="EXCEEDED">Limite dépassée</option>
          </Select>
        </div>
        <div className={fr.cx("fr-col-12", "fr-col-md-3")}>
          <Select
            label="Trier par"
            nativeSelectProps={{
              value: `${filter.order}:${filter.direction}`,
              onChange: (e) => {
                const [order, direction] = e.target.value.split(":") as [AdviserFilter["order"], AdviserFilter["direction"]];
                change({ order, direction });
              },
            }}
          >
            <option value="LAST_NAME:ASC">Nom (A à Z)</option>
            <option value="LAST_NAME:DESC">Nom (Z à A)</option>
            <option value="BIRTH_DATE:ASC">Date de naissance (plus âgés d'abord)</option>
            <option value="BIRTH_DATE:DESC">Date de naissance (plus jeunes d'abord)</option>
          </Select>
        </div>
        <div className={fr.cx("fr-col-12", "fr-col-md-2")}>
          <Button type="submit">Rechercher</Button>
        </div>
      </form>
      {filter.state !== "" ? (
        <ConnectionTable
          error={alerts.error}
          connection={alerts.data?.limitAlerts}
          pages={pages}
          caption={(n) => plural(n, "limite à surveiller", "limites à surveiller")}
          empty="Aucun travailleur dans cette situation."
          loading="Chargement des situations…"
          headers={["Nom", "Prénoms", "Date de naissance", "Limite", "Dose (période de contrat)", "Fenêtre", "Situation"]}
          row={(s) => [
            <NameLink key="n" worker={s.worker} />,
            s.worker.firstNames,
            formatDate(s.worker.birthDate),
            limitLabels[s.limitCode],
            `${formatMsv(s.valueMsv ?? 0, { fine: true })} / ${formatMsv(s.limitMsv)}`,
            `${formatDate(s.windowStart)} – ${formatDate(s.windowEnd)}`,
            <LimitStateBadge key="s" state={s.state} />,
          ]}
        />
      ) : error ? (
        <QueryErrorAlert error={error} />
      ) : !data ? (
        <Loading label="Chargement des travailleurs…" />
      ) : data.workers.totalCount === 0 ? (
        <Notice title="Aucun travailleur ne correspond à cette sélection." />
      ) : (
        <>
          <Table
            caption={`${plural(data.workers.totalCount, "travailleur suivi", "travailleurs suivis")} — situation sur 12 mois glissants`}
            bordered
            headers={["Nom", "Prénoms", "Date de naissance", "Dose efficace (période de contrat)", ...shownLimits.map((l) => limitLabels[l].replace(" (12 mois glissants)", ""))]}
            data={connectionNodes(data.workers).map((w) => [
              <NameLink key="n" worker={w} />,
              w.firstNames,
              formatDate(w.birthDate),
              effectiveDose(w.exposure),
              ...shownLimits.map((code) => {
                const l = w.exposure.find((x) => x.limitCode === code);
                return l ? <LimitStateBadge key={code} state={l.state} /> : "—";
              }),
            ])}
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
