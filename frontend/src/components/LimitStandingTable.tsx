import { Table } from "@codegouvfr/react-dsfr/Table";

import { LimitStateBadge } from "./LimitStateBadge";
import { formatMsv, formatShare, type LimitState } from "../lib/dose";
import { formatDate } from "../lib/format";

/** A limit standing as Worker.exposure returns it. */
export type LimitStanding = {
  limitCode: string;
  label: string;
  valueMsv?: number | null;
  limitMsv: number;
  share?: number | null;
  state: LimitState;
  windowStart: string;
  windowEnd: string;
};

/** The worker's rolling 12-month sums against each limit. */
export function LimitStandingTable({ caption, limits }: { caption: string; limits: readonly LimitStanding[] }) {
  return (
    <Table
      caption={caption}
      bordered
      headers={["Limite", "Fenêtre", "Cumul", "Limite réglementaire", "Part de la limite", "Situation"]}
      data={limits.map((l) => [
        l.label,
        `${formatDate(l.windowStart)} – ${formatDate(l.windowEnd)}`,
        formatMsv(l.valueMsv, { fine: true }),
        formatMsv(l.limitMsv),
        formatShare(l.share),
        <LimitStateBadge key="s" state={l.state} />,
      ])}
    />
  );
}
