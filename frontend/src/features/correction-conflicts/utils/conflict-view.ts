import type { DoseConflictListQuery, DoseConflictStatus } from "../../../graphql/graphql";
import { monitoringKindLabels, quantityLabels } from "../../../lib/dose";
import { formatDate } from "../../../lib/format";

/** A conflict as the list query returns it. */
export type DoseConflictView = NonNullable<NonNullable<NonNullable<DoseConflictListQuery["doseConflicts"]["edges"]>[number]>["node"]>;

/** The worker's name as the conflict lists show it. */
export function conflictWorkerName(c: DoseConflictView): string {
  return `${c.worker.firstNames} ${c.worker.lastName}`;
}

/** The result in conflict: monitoring kind, quantity and wearing period. */
export function conflictResult(c: DoseConflictView): string {
  const r = c.correction;
  return `${monitoringKindLabels[r.monitoringKind]}, ${quantityLabels[r.quantity]}, du ${formatDate(r.periodStart)} au ${formatDate(r.periodEnd)}`;
}

/** What became of a conflict, in French, with the DSFR badge severity. */
export const conflictStatusViews: Record<DoseConflictStatus, { label: string; severity: "info" | "success" | "warning" | "new" }> = {
  OPEN: { label: "En attente de décision", severity: "warning" },
  KEPT_CORRECTION: { label: "Correction conservée", severity: "info" },
  ACCEPTED_LABORATORY: { label: "Valeur du laboratoire acceptée", severity: "success" },
  REPLACED: { label: "Remplacé par un nouveau renvoi", severity: "new" },
};
