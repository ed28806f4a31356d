import { useQuery } from "urql";

import { graphql } from "../../../graphql";
import { noAuthRedirect } from "../../../lib/graphql-client";

/** The OpenID Connect providers the deployment configured (public). */
export const SignInProvidersDocument = graphql(`
  query SignInProviders {
    signInProviders {
      name
      label
      audience
      loginPath
    }
  }
`);

/** Lists the providers offered on the sign-in page; none when the query fails. */
export function useSignInProviders() {
  return useQuery({ query: SignInProvidersDocument, context: noAuthRedirect });
}
