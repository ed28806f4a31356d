import { useMutation } from "urql";

import { graphql } from "../../../graphql";
import { noAuthRedirect } from "../../../lib/graphql-client";

/** Opens a session; the server also sets the HttpOnly session cookie. */
export const SignInDocument = graphql(`
  mutation SignIn($input: LoginInput!) {
    login(input: $input) {
      expiresAt
      account {
        id
        displayName
        email
      }
    }
  }
`);

/** Signs in with an e-mail address and a password. */
export function useSignIn() {
  const [state, execute] = useMutation(SignInDocument);
  // A wrong password answers UNAUTHENTICATED: it is shown in the form, not
  // treated as an expired session.
  const signIn = (email: string, password: string) =>
    execute({ input: { email, password } }, noAuthRedirect);
  return [state, signIn] as const;
}
