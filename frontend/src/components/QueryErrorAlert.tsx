import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import type { CombinedError } from "urql";

import { apiError } from "../lib/errors";

const titles: Record<string, string> = {
  FORBIDDEN: "Accès refusé",
  FORBIDDEN_FIELD: "Accès refusé",
  NOT_FOUND: "Élément introuvable",
  TOO_MANY_REQUESTS: "Trop de requêtes",
};

/** Shows a failed query's error to the user, with the server's French message. */
export function QueryErrorAlert({ error }: { error: CombinedError }) {
  const e = apiError(error);
  return (
    <Alert
      className={fr.cx("fr-my-4w")}
      severity="error"
      title={(e.code && titles[e.code]) ?? "Impossible d'afficher ces informations"}
      description={e.message}
    />
  );
}
