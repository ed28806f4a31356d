import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Table } from "@codegouvfr/react-dsfr/Table";
import type { ReactNode } from "react";

import type { DoseRecordMonitoringKind, DoseRecordQuantity, DoseRecordSource, DoseRecordStatus } from "../graphql/graphql";
import { doseStatus, doseValueText, monitoringKindLabels, quantityLabels, sourceLabels } from "../lib/dose";
import { formatDate } from "../lib/format";

/** A dose of record as the results tables show it. */
export type DoseRecordView = {
  id: string;
  monitoringKind: DoseRecordMonitoringKind;
  quantity: DoseRecordQuantity;
  valueMsv: number;
  status: DoseRecordStatus;
  source: DoseRecordSource;
  periodStart: string;
  periodEnd: string;
  version: number;
  current: boolean;
  /** A laboratory re-send waiting for the physician's decision. */
  pending?: boolean;
  /** A version that never was or no longer is in the chain of the dose of record (see markSetAside). */
  setAside?: boolean;
  supersedesID?: string | null;
  correctionReason?: string | null;
  radionuclide?: string | null;
  establishment?: { name: string } | null;
  laboratory?: { name: string } | null;
};

/** Headers and text cells of the results, shared by the table and its CSV export. */
export const doseRecordHeaders = ["Période", "Suivi", "Grandeur", "Résultat", "Statut", "Version", "Source", "Établissement"];

/** The text cells of a result, for the CSV export. */
export function doseRecordCells(r: DoseRecordView): string[] {
  return [
    `${formatDate(r.periodStart)} – ${formatDate(r.periodEnd)}`,
    monitoringKindLabels[r.monitoringKind] + (r.radionuclide ? ` (${r.radionuclide})` : ""),
    quantityLabels[r.quantity],
    doseValueText(r),
    doseStatus(r).label,
    String(r.version),
    r.laboratory?.name ? `${sourceLabels[r.source]} ${r.laboratory.name}` : sourceLabels[r.source],
    r.establishment?.name ?? "—",
  ];
}

/** A DSFR table of results with their status (M, absent, corrected…), and an optional action per row. */
export function DoseRecordTable({
  caption,
  records,
  action,
}: {
  caption: string;
  records: readonly DoseRecordView[];
  action?: { header: string; render: (r: DoseRecordView) => ReactNode };
}) {
  return (
    <Table
      caption={caption}
      bordered
      fixed={false}
      headers={action ? [...doseRecordHeaders, action.header] : doseRecordHeaders}
      data={records.map((r) => {
        const cells = doseRecordCells(r);
        const status = doseStatus(r);
        const row: ReactNode[] = [
          ...cells.slice(0, 4),
          <Badge key="s" small noIcon severity={status.severity}>
            {status.label}
          </Badge>,
          r.correctionReason ? `${cells[5]} (${r.correctionReason})` : cells[5],
          cells[6],
          cells[7],
        ];
        if (action) row.push(action.render(r));
        return row;
      })}
    />
  );
}

/**
 * Marks the versions set aside: neither current, nor pending, nor superseded
 * by a later version (every replacement names the version it replaces). They
 * are laboratory re-sends the physician did not keep, or that a newer re-send
 * replaced while they waited.
 */
export function markSetAside<R extends Pick<DoseRecordView, "id" | "current" | "pending" | "supersedesID">>(records: readonly R[]): (R & { setAside: boolean })[] {
  const superseded = new Set(records.flatMap((r) => (r.supersedesID ? [r.supersedesID] : [])));
  return records.map((r) => ({ ...r, setAside: !r.current && !r.pending && !superseded.has(r.id) }));
}

/** Newest period first; within a period, by monitoring kind, the newest version first. */
export function sortRecords<R extends Pick<DoseRecordView, "periodEnd" | "monitoringKind" | "quantity" | "version">>(records: readonly R[]): R[] {
  return [...records].sort(
    (a, b) =>
      b.periodEnd.localeCompare(a.periodEnd) ||
      a.monitoringKind.localeCompare(b.monitoringKind) ||
      a.quantity.localeCompare(b.quantity) ||
      b.version - a.version,
  );
}
