import { useMutation } from "urql";

import { graphql } from "../../../graphql";
import { noAuthRedirect } from "../../../lib/graphql-client";

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
