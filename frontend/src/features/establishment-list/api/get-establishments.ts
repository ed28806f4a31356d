import { useQuery } from "urql";

import { graphql } from "../../../graphql";

/** Number of establishments per page. */
export const establishmentsPageSize = 20;

/** One page of establishments, by name, optionally filtered by name. */
export const EstablishmentListDocument = graphql(`
  query EstablishmentList($first: Int!, $after: Cursor, $where: EstablishmentWhereInput) {
    establishments(first: $first, after: $after, where: $where, orderBy: [{ field: NAME, direction: ASC }]) {
      totalCount
      edges {
        node {
          ...EstablishmentRow
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** Fetches the page of establishments after `after` whose name contains `name`. */
export function useEstablishments({ name, after }: { name: string; after: string | null }) {
  const trimmed = name.trim();
  return useQuery({
    query: EstablishmentListDocument,
    variables: {
      first: establishmentsPageSize,
      after,
      where: trimmed ? { nameContainsFold: trimmed } : undefined,
    },
  });
}
