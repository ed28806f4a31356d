import type { ApiError } from "../../../lib/errors";

/** The DSFR error state of the input named `name` when the server's error is about it. */
export function fieldState(e: ApiError | null, name: string) {
  return e?.field?.endsWith(name) ? { state: "error" as const, stateRelatedMessage: e.message } : {};
}

/** Whether the server's error is about none of `names` (then it is shown above the form). */
export function otherError(e: ApiError | null, names: string[]): e is ApiError {
  return !!e && !names.some((n) => e.field?.endsWith(n));
}

/** An optional text input: null when blank, so that the server leaves the field unset. */
export function optional(value: string): string | null {
  const v = value.trim();
  return v === "" ? null : v;
}
