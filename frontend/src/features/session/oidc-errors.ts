import type { ErrorCode } from "../../lib/errors";

/**
 * The French sentences of the codes the OpenID Connect sign-in sends back in
 * the query (`/connexion?erreur=CODE`, `/connexion/code-travailleur?erreur=CODE`).
 */
export const signInErrorMessages: Partial<Record<ErrorCode, string>> = {
  OIDC_PROVIDER_UNKNOWN: "Ce fournisseur d'identité n'est pas proposé par SISERI.",
  OIDC_PROVIDER_UNAVAILABLE: "Le fournisseur d'identité est momentanément injoignable. Réessayez dans quelques minutes.",
  OIDC_PROVIDER_DENIED: "Le fournisseur d'identité n'a pas confirmé votre identité (connexion annulée ou refusée).",
  OIDC_STATE_INVALID:
    "La connexion n'a pas pu être vérifiée : elle a expiré ou a été commencée dans un autre navigateur. Recommencez.",
  OIDC_TOKEN_INVALID: "L'identité transmise par le fournisseur n'a pas pu être vérifiée. Recommencez la connexion.",
  OIDC_NONCE_MISMATCH: "L'identité transmise ne correspond pas à cette connexion. Recommencez la connexion.",
  OIDC_ACR_INSUFFICIENT:
    "Le niveau de sécurité de votre connexion est insuffisant pour SISERI. Utilisez un moyen d'identification de niveau plus élevé.",
  OIDC_NO_ACCOUNT:
    "Aucun compte SISERI n'est associé à cette identité. Utilisez le lien d'invitation reçu de votre administrateur.",
  OIDC_EMAIL_IN_USE:
    "Un autre compte SISERI utilise déjà l'adresse électronique de votre identité. Contactez votre médecin du travail.",
  TOKEN_INVALID:
    "Ce lien d'invitation n'est pas valide : il a expiré, a déjà servi ou a été remplacé. Demandez un nouveau lien à votre administrateur.",
  CLAIM_CODE_INVALID:
    "Ce code n'est pas valide : il a expiré, a déjà servi, ou votre connexion a expiré. Reconnectez-vous puis saisissez le code remis par votre médecin du travail.",
  INTERNAL: "Une erreur inattendue est survenue. Réessayez dans quelques instants.",
};

/** The sentence of a code from the query, or a generic one for an unknown code. */
export function signInErrorMessage(code: string): string {
  return (
    signInErrorMessages[code as ErrorCode] ??
    "La connexion n'a pas abouti. Réessayez dans quelques instants."
  );
}
