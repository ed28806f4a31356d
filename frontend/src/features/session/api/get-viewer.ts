import { useQuery } from "urql";

import { graphql } from "../../../graphql";

/** The signed-in caller: account, roles and active grants. */
export const ViewerDocument = graphql(`
  query Viewer {
    me {
      account {
        id
        displayName
        email
      }
      roles
      activeRole
      secondFactor
      totpEnabled
      recoveryCodesLeft
      signedInWith
      grants {
        role
        validFrom
        validTo
        establishmentID
        workerID
        laboratoryID
        region
      }
    }
  }
`);

/** Fetches the signed-in caller; UNAUTHENTICATED sends the user to sign-in. */
export function useViewer() {
  return useQuery({ query: ViewerDocument });
}
