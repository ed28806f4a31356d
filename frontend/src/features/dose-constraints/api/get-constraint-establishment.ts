import { useQuery } from "urql";

import { graphql } from "../../../graphql";

/** The name and SIRET of an establishment whose dose constraints are shown. */
export const ConstraintEstablishmentDocument = graphql(`
  query ConstraintEstablishment($id: ID!) {
    node(id: $id) {
      __typename
      id
      ... on Establishment {
        name
        siret
      }
    }
  }
`);

/** Fetches the establishment `id`. */
export function useConstraintEstablishment(id: string) {
  return useQuery({ query: ConstraintEstablishmentDocument, variables: { id } });
}
