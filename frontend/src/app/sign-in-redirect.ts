import { clearSignedIn, wasSignedIn } from "../lib/session-marker";

/** Path of the sign-in page. */
export const signInPath = "/connexion";

/** Path prefix of the public activation page (an activation link). */
export const activationPathPrefix = "/activation/";

/**
 * Returns where to send a user whose request was answered UNAUTHENTICATED:
 * the sign-in page saying the session expired when one was open, else the
 * sign-in page that brings them back to `current` afterwards. Returns null
 * on the public pages (sign-in, activation).
 */
export function signInRedirect(current: { pathname: string; search: string }, hadSession: boolean): string | null {
  if (current.pathname === signInPath || current.pathname.startsWith(activationPathPrefix)) return null;
  if (hadSession) return `${signInPath}?session=expiree`;
  const back = current.pathname + current.search;
  return back === "/" ? signInPath : `${signInPath}?retour=${encodeURIComponent(back)}`;
}

/** Sends the browser to the sign-in page after an UNAUTHENTICATED answer. */
export function redirectToSignIn(): void {
  const target = signInRedirect(window.location, wasSignedIn());
  if (!target) return;
  clearSignedIn();
  // A full load also drops every cached answer of the expired session.
  window.location.assign(target);
}
