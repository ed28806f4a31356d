import type { CombinedError } from "urql";

/** Stable error codes the server puts in `extensions.code`. */
export type ErrorCode =
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "FORBIDDEN_FIELD"
  | "BAD_USER_INPUT"
  | "NOT_FOUND"
  | "CONFLICT"
  | "TOO_MANY_REQUESTS"
  | "SERVICE_UNAVAILABLE"
  | "CSRF_REFUSED"
  | "CONSTRAINT_ABOVE_LIMIT"
  | "SECOND_FACTOR_REQUIRED"
  | "SECOND_FACTOR_INVALID"
  | "TOKEN_INVALID"
  | "OIDC_PROVIDER_UNKNOWN"
  | "OIDC_PROVIDER_UNAVAILABLE"
  | "OIDC_PROVIDER_DENIED"
  | "OIDC_STATE_INVALID"
  | "OIDC_TOKEN_INVALID"
  | "OIDC_NONCE_MISMATCH"
  | "OIDC_ACR_INSUFFICIENT"
  | "OIDC_NO_ACCOUNT"
  | "OIDC_EMAIL_IN_USE"
  | "CLAIM_CODE_INVALID"
  | "TOKEN_INVALID"
  | "ACCREDITATION_LAPSED"
  | "INTERNAL";

/** The generic message shown when the server gave no usable one. */
export const genericErrorMessage =
  "Une erreur inattendue est survenue. Réessayez dans quelques instants.";

/** The message shown when the server cannot be reached. */
export const networkErrorMessage =
  "Le service SISERI est momentanément injoignable. Vérifiez votre connexion puis réessayez.";

/** A GraphQL error of the server, reduced to what the interface branches on. */
export type ApiError = {
  code: ErrorCode | undefined;
  message: string;
  field?: string;
};

/** Returns the first GraphQL error of `error` with its code, or a network error. */
export function apiError(error: CombinedError): ApiError {
  const first = error.graphQLErrors[0];
  if (!first) {
    return { code: undefined, message: error.networkError ? networkErrorMessage : genericErrorMessage };
  }
  const code = first.extensions?.code as ErrorCode | undefined;
  const field = typeof first.extensions?.field === "string" ? first.extensions.field : undefined;
  // The server writes its messages in French for the user; codes it does not
  // know (validation of the query itself) stay generic.
  const message = code && first.message ? first.message : genericErrorMessage;
  return { code, message, field };
}

/** Tells whether any GraphQL error of `error` carries `code`. */
export function hasErrorCode(error: CombinedError | undefined, code: ErrorCode): boolean {
  return !!error?.graphQLErrors.some((e) => e.extensions?.code === code);
}
