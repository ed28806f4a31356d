import { useMutation } from "urql";

import { graphql } from "../../../graphql";
import { noAuthRedirect } from "../../../lib/graphql-client";
import { clearSignedIn } from "../../../lib/session-marker";

/** Revokes the current session and clears its cookie. */
export const SignOutDocument = graphql(`
  mutation SignOut {
    logout
  }
`);

/** Signs the caller out; an already expired session is not an error here. */
export function useSignOut() {
  const [state, execute] = useMutation(SignOutDocument);
  const signOut = () => execute({}, noAuthRedirect);
  return [state, signOut] as const;
}

/** Ends a session opened through an OpenID Connect provider, at SISERI and at the provider. */
const providerSignOutPath = "/auth/logout";

/**
 * Signs out and leaves for the sign-in page: whatever the answer (an expired
 * session is fine) the session is forgotten, and a full load drops every
 * cached answer of the previous user. A session opened through a provider
 * (`throughProvider`) is ended by the server, which signs out there too.
 */
export function useSignOutAndLeave(throughProvider = false) {
  const [state, signOut] = useSignOut();
  const leave = async () => {
    if (throughProvider) {
      clearSignedIn();
      window.location.assign(providerSignOutPath);
      return;
    }
    await signOut();
    clearSignedIn();
    window.location.assign("/connexion?deconnexion=1");
  };
  return [state, leave] as const;
}
