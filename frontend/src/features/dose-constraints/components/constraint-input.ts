import type { DoseConstraintLimitCode } from "../../../graphql/graphql";

/** The limits a dose constraint is set for, in display order. */
export const constrainedLimits: DoseConstraintLimitCode[] = ["EFFECTIVE", "EXTREMITY", "LENS", "SKIN"];

/** The adult limits over 12 rolling months in mSv, used until the server's are known. */
export const defaultLimitsMsv: Record<DoseConstraintLimitCode, number> = { EFFECTIVE: 20, EXTREMITY: 500, LENS: 20, SKIN: 500 };

/** What the adviser types in the form. */
export type ConstraintDraft = {
  limit: DoseConstraintLimitCode | "";
  jobCode: string;
  /** The value in mSv over 12 rolling months, French decimals accepted (« 14,5 »). */
  valueMsv: string;
  comment: string;
};

/** The French message of each invalid field. */
export type ConstraintErrors = Partial<Record<keyof ConstraintDraft, string>>;

const mSv = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 3 });

/**
 * Checks a draft before it is sent: a limit, a positive value at most the
 * limit (the server refuses more with CONSTRAINT_ABOVE_LIMIT), a job code of
 * at most 20 characters. Returns the errors, or the input of setDoseConstraint.
 */
export function validateConstraint(
  draft: ConstraintDraft,
  limitsMsv: Record<DoseConstraintLimitCode, number> = defaultLimitsMsv,
): { errors: ConstraintErrors; annualUsv?: number } {
  const errors: ConstraintErrors = {};
  if (!draft.limit) errors.limit = "Choisissez la limite concernée.";
  const text = draft.valueMsv.trim().replace(/\s/g, "").replace(",", ".");
  const value = Number(text);
  if (!text) {
    errors.valueMsv = "Indiquez la valeur de la contrainte en mSv sur 12 mois.";
  } else if (!/^\d+(\.\d+)?$/.test(text) || Number.isNaN(value)) {
    errors.valueMsv = "La valeur doit être un nombre de mSv, par exemple 14 ou 0,5.";
  } else if (Math.round(value * 1000) <= 0) {
    errors.valueMsv = "La contrainte de dose doit être strictement positive.";
  } else if (draft.limit && value > limitsMsv[draft.limit]) {
    errors.valueMsv = `La contrainte de dose ne peut pas dépasser la limite réglementaire (${mSv.format(limitsMsv[draft.limit])} mSv sur 12 mois).`;
  }
  if (draft.jobCode.trim().length > 20) errors.jobCode = "Le code métier compte au plus 20 caractères.";
  if (draft.comment.length > 2000) errors.comment = "Le commentaire compte au plus 2 000 caractères.";
  if (Object.keys(errors).length > 0) return { errors };
  return { errors, annualUsv: Math.round(value * 1000) };
}
