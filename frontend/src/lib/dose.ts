import type {
  DoseRecordMonitoringKind,
  DoseRecordQuantity,
  DoseRecordSource,
  DoseRecordStatus,
  ExposureSummaryLimitCode,
} from "../graphql/graphql";

/** Where a worker stands against a limit (the API's LimitState). */
export type LimitState = "OK" | "APPROACHING" | "EXCEEDED";

const msv = new Intl.NumberFormat("fr-FR", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const msvFine = new Intl.NumberFormat("fr-FR", { minimumFractionDigits: 1, maximumFractionDigits: 3 });

/** Formats a dose in mSv the French way, e.g. `1,25 mSv`; nothing known: `—`. */
export function formatMsv(value: number | null | undefined, { fine = false } = {}): string {
  if (value == null || Number.isNaN(value)) return "—";
  return `${(fine ? msvFine : msv).format(value)} mSv`;
}

/** Formats a collective dose given in mSv as homme·Sv (h·Sv), the unit of the national report. */
export function formatCollectiveDose(totalMsv: number): string {
  return `${new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 3 }).format(totalMsv / 1000)} h·Sv`;
}

/** French labels of the monitoring kinds. */
export const monitoringKindLabels: Record<DoseRecordMonitoringKind, string> = {
  PASSIVE_WHOLE_BODY: "Dosimétrie passive corps entier",
  EXTREMITY: "Extrémités",
  LENS: "Cristallin",
  SKIN: "Peau",
  NEUTRON: "Neutrons",
  INTERNAL: "Dosimétrie interne",
  RADON: "Radon",
  AVIATION: "Personnel navigant",
};

/** French labels of the dose quantities. */
export const quantityLabels: Record<DoseRecordQuantity, string> = {
  HP10: "Hp(10)",
  HP007: "Hp(0,07)",
  HP3: "Hp(3)",
  E50: "E(50) dose engagée",
  E: "Dose efficace E",
};

/** French labels of the sources of a dose. */
export const sourceLabels: Record<DoseRecordSource, string> = {
  LABORATORY: "Laboratoire",
  PHYSICIAN: "Médecin du travail",
  MODELLING: "Modélisation",
  EXTRAPOLATION: "Extrapolation",
  MIGRATION: "Reprise d'historique",
};

/** French labels of the regulatory limits. */
export const limitLabels: Record<ExposureSummaryLimitCode, string> = {
  EFFECTIVE: "Dose efficace (12 mois glissants)",
  EXTREMITY: "Extrémités (12 mois glissants)",
  SKIN: "Peau (12 mois glissants)",
  LENS: "Cristallin (12 mois glissants)",
  LENS_TRANSITION: "Cristallin (période transitoire)",
  PREGNANCY: "Grossesse (enfant à naître)",
};

/** What a result's status column shows: M below the recording threshold, absent, corrected… */
export type DoseStatusView = { label: string; severity: "info" | "success" | "warning" | "new" | undefined };

/**
 * Returns the status of a result as the user reads it: M, absent, corrected,
 * measured… A laboratory re-send of a physician's correction is pending until
 * the physician decides, and set aside (never current) if the correction is kept.
 */
export function doseStatus(record: {
  status: DoseRecordStatus;
  version: number;
  source: DoseRecordSource;
  current?: boolean;
  pending?: boolean;
  setAside?: boolean;
}): DoseStatusView {
  if (record.pending) return { label: "En attente de décision", severity: "warning" };
  if (record.setAside) return { label: "Non retenu", severity: undefined };
  if (record.current === false) return { label: "Remplacé", severity: undefined };
  if (record.version > 1 || record.source === "PHYSICIAN") return { label: "Corrigé", severity: "new" };
  switch (record.status) {
    case "BELOW_THRESHOLD":
      return { label: "M", severity: "info" };
    case "ABSENT":
      return { label: "Absent", severity: "warning" };
    case "EXTRAPOLATED":
      return { label: "Extrapolé", severity: undefined };
    case "MODELLED":
      return { label: "Modélisé", severity: undefined };
    default:
      return { label: "Mesuré", severity: "success" };
  }
}

/** The value column of a result: `M` below the threshold, `Absent`, else the dose. */
export function doseValueText(record: { status: DoseRecordStatus; valueMsv: number }): string {
  if (record.status === "BELOW_THRESHOLD") return "M";
  if (record.status === "ABSENT") return "Absent";
  return formatMsv(record.valueMsv, { fine: true });
}

/** Share of a limit above which a worker is approaching it (80 %). */
export const approachingShare = 0.8;

/** The state of a sum against a limit: over it, above 80 % of it, or fine. */
export function limitState(valueMsv: number, limitMsv: number): LimitState {
  if (limitMsv <= 0) return "OK";
  if (valueMsv > limitMsv) return "EXCEEDED";
  if (valueMsv >= approachingShare * limitMsv) return "APPROACHING";
  return "OK";
}

/** French label and DSFR badge severity of a limit state. */
export const limitStateViews: Record<LimitState, { label: string; severity: "success" | "warning" | "error" }> = {
  OK: { label: "Conforme", severity: "success" },
  APPROACHING: { label: "Proche de la limite", severity: "warning" },
  EXCEEDED: { label: "Limite dépassée", severity: "error" },
};

/** Formats a share of a limit as a French percentage, e.g. `42 %`. */
export function formatShare(share: number | null | undefined): string {
  if (share == null) return "—";
  return new Intl.NumberFormat("fr-FR", { style: "percent", maximumFractionDigits: 0 }).format(share);
}
