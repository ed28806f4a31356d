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

/** Set by the first redirect: the other queries of the page answered UNAUTHENTICATED too. */
let redirecting = false;

/**
 * Sends the browser to the sign-in page after an UNAUTHENTICATED answer. Only
 * the first answer of a page decides where: the next ones would no longer see
 * that a session was open.
 */
export function redirectToSignIn(): void {
  if (redirecting) return;
  const target = signInRedirect(window.location, wasSignedIn());
  if (!target) return;
  redirecting = true;
  clearSignedIn();
  // A full load also drops every cached answer of the expired session.
  window.location.assign(target);
}
