import type { Role } from "../graphql/graphql";

/** French labels of the roles, as the interface shows them. */
export const roleLabels: Record<Role, string> = {
  WORKER: "Travailleur",
  OCCUPATIONAL_PHYSICIAN: "Médecin du travail",
  PHYSICIAN_DELEGATE: "Délégataire du médecin du travail",
  RADIATION_PROTECTION_ADVISER: "Conseiller en radioprotection",
  EMPLOYER_CORRESPONDENT: "Correspondant de l'employeur",
  LABORATORY: "Laboratoire de dosimétrie",
  CONTROL_AGENT: "Agent de contrôle",
  ANALYST: "Analyste",
  ADMIN: "Administrateur",
  LABOUR_MINISTRY: "Inspection du travail (DGT)",
};
