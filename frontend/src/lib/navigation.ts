import type { Role } from "../graphql/graphql";

/** A link of the main navigation. */
export type NavItem = { text: string; to: string };

/** The role whose dashboard the signed-in user sees: the session's active role, else the first held. */
export function primaryRole(viewer: { roles: readonly Role[]; activeRole?: Role | null }): Role | null {
  if (viewer.activeRole && viewer.roles.includes(viewer.activeRole)) return viewer.activeRole;
  return viewer.roles[0] ?? null;
}

/** The physician's inbox of correction conflicts; its link carries the count of open ones. */
export const conflictsPath = "/conflits-correction";

/** The main navigation of each role: only the screens that role may open. */
export const navigationByRole: Record<Role, NavItem[]> = {
  WORKER: [
    { text: "Mon suivi dosimétrique", to: "/" },
    { text: "Attestation", to: "/mon-suivi/attestation" },
  ],
  OCCUPATIONAL_PHYSICIAN: [
    { text: "Travailleurs suivis", to: "/" },
    { text: "Anomalies", to: "/anomalies" },
    { text: "Conflits de correction", to: conflictsPath },
  ],
  PHYSICIAN_DELEGATE: [
    { text: "Travailleurs suivis", to: "/" },
    { text: "Anomalies", to: "/anomalies" },
    { text: "Conflits de correction", to: conflictsPath },
  ],
  RADIATION_PROTECTION_ADVISER: [
    { text: "Travailleurs", to: "/" },
    { text: "Anomalies", to: "/anomalies" },
    { text: "Avis de contrainte", to: "/avis-contrainte" },
    { text: "Contraintes de dose", to: "/contraintes-de-dose" },
    { text: "Contexte national", to: "/contexte-national" },
  ],
  EMPLOYER_CORRESPONDENT: [
    { text: "Déclarations", to: "/" },
    { text: "Dépôt de déclarations", to: "/depot-declarations" },
    { text: "Dépassements", to: "/depassements" },
    { text: "Contraintes de dose", to: "/contraintes-de-dose" },
  ],
  LABORATORY: [
    { text: "Dépôt de résultats", to: "/" },
    { text: "Historique des lots", to: "/lots" },
    { text: "Lots atypiques", to: "/lots-atypiques" },
  ],
  CONTROL_AGENT: [{ text: "Contrôle régional", to: "/" }],
  ANALYST: [
    { text: "Statistiques nationales", to: "/" },
    { text: "Statistiques des anomalies", to: "/statistiques/anomalies" },
    { text: "Lots atypiques", to: "/lots-atypiques" },
  ],
  ADMIN: [
    { text: "Accueil", to: "/" },
    { text: "Travailleurs", to: "/travailleurs" },
    { text: "Établissements", to: "/etablissements" },
    { text: "Entreprises", to: "/administration/entreprises" },
    { text: "Laboratoires", to: "/administration/laboratoires" },
    { text: "Comptes", to: "/administration/comptes" },
    { text: "Habilitations", to: "/administration/habilitations" },
    { text: "Clés d'API", to: "/administration/cles-api" },
    { text: "Nomenclatures", to: "/administration/nomenclatures" },
  ],
  LABOUR_MINISTRY: [{ text: "Signalements de dépassements", to: "/" }],
};

/** Tells whether `to` is the current page (the dashboard only at `/`, others by prefix). */
export function isActive(to: string, pathname: string): boolean {
  return to === "/" ? pathname === "/" : pathname === to || pathname.startsWith(`${to}/`);
}

/** Which live anomaly feed a role gets: with explanations, without values, or none. */
export function alertAudience(role: Role | null): "clinical" | "employer" | null {
  switch (role) {
    case "OCCUPATIONAL_PHYSICIAN":
    case "PHYSICIAN_DELEGATE":
    case "RADIATION_PROTECTION_ADVISER":
      return "clinical";
    case "EMPLOYER_CORRESPONDENT":
      return "employer";
    default:
      return null;
  }
}

/** The adviser's file of a worker of their establishments. */
export function adviserWorkerPath(workerID: string): string {
  return `/conseiller/travailleurs/${encodeURIComponent(workerID)}`;
}
