/** French labels of anomaly severities. */
export const severityLabels: Record<string, string> = {
  INFO: "Information",
  LOW: "Faible",
  MEDIUM: "Moyenne",
  HIGH: "Élevée",
  CRITICAL: "Critique",
};

/** French labels of anomaly statuses. */
export const anomalyStatusLabels: Record<string, string> = {
  OPEN: "À traiter",
  ACKNOWLEDGED: "Prise en charge",
  CONFIRMED: "Confirmée",
  NOT_CONFIRMED: "Non confirmée",
  FALSE_POSITIVE: "Fausse alerte",
};

/** French labels of the detection layers. */
export const layerLabels: Record<string, string> = {
  VALIDITY: "Validité",
  REGULATORY: "Limite réglementaire",
  CONTEXT: "Contexte d'exposition",
  HISTORY: "Historique du travailleur",
  CONSTRAINT: "Contrainte de dose (avis, hors anomalies)",
};

/** Turns an anomaly kind code (e.g. LIMIT_EXCEEDED) into readable French when known. */
export function anomalyKindLabel(kind: string): string {
  const known: Record<string, string> = {
    PROBABLE_UNIT_ERROR: "Erreur d'unité probable",
    POSSIBLE_CONTAMINATION: "Contamination possible du dosimètre",
    IMPLAUSIBLE_VALUE: "Valeur invraisemblable",
    OVERLAPPING_PERIODS: "Périodes de port qui se chevauchent",
    MISSING_RESULT: "Résultat manquant",
    PASSIVE_OPERATIONAL_DISCREPANCY: "Écart entre dosimétrie passive et opérationnelle",
    LIMIT_EXCEEDED: "Dépassement de limite réglementaire",
    LIMIT_APPROACHING: "Limite réglementaire approchée",
    DOSE_CONSTRAINT_EXCEEDED: "Contrainte de dose dépassée (avis)",
    CLASSIFICATION_MISMATCH: "Classement incohérent avec la dose",
    CONTEXT_OUTLIER: "Dose inhabituelle pour le contexte d'exposition",
    HISTORY_JUMP: "Écart brutal par rapport à l'historique (ou dosimètres intervertis)",
    HISTORY_DRIFT: "Dérive par rapport à l'historique",
    ZERO_RUN: "Série anormale de doses nulles",
    CONTEXT_MISLABEL: "Secteur ou métier déclaré incohérent avec les doses",
  };
  return known[kind] ?? kind.replaceAll("_", " ").toLowerCase().replace(/^./, (c) => c.toUpperCase());
}
