import { useMutation, useQuery } from "urql";

import { graphql } from "../../../graphql";
import { noAuthRedirect } from "../../../lib/graphql-client";

/** Whose account an activation link opens (no session needed). */
export const ActivationDocument = graphql(`
  query Activation($token: String!) {
    activation(token: $token) {
      displayName
      email
    }
  }
`);

/** Sets the account's first password through its activation link. */
export const ActivateAccountDocument = graphql(`
  mutation ActivateAccount($token: String!, $password: String!) {
    activateAccount(token: $token, password: $password)
  }
`);

/** The account of an activation link; an invalid link is shown on the page, not a sign-in redirect. */
export const useActivation = (token: string) =>
  useQuery({ query: ActivationDocument, variables: { token }, requestPolicy: "network-only", context: noAuthRedirect });

/** Activates the account of `token` with its first password. */
export function useActivateAccount() {
  const [state, execute] = useMutation(ActivateAccountDocument);
  const activate = (token: string, password: string) => execute({ token, password }, noAuthRedirect);
  return [state, activate] as const;
}
