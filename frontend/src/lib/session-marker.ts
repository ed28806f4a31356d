// Remembers, for this browser tab, that a session was opened, so that an
// UNAUTHENTICATED answer can be told apart: an expired session, or a visitor
// who never signed in. The session itself lives in an HttpOnly cookie.
const key = "siseri.session-ouverte";

/** Records that the caller is signed in. */
export function markSignedIn(): void {
  sessionStorage.setItem(key, "1");
}

/** Forgets that the caller was signed in (sign-out or expiry). */
export function clearSignedIn(): void {
  sessionStorage.removeItem(key);
}

/** Tells whether a session was opened in this tab and not closed since. */
export function wasSignedIn(): boolean {
  return sessionStorage.getItem(key) === "1";
}
