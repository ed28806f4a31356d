import { useQuery } from "urql";

import { graphql } from "../../../graphql";

/** Who read or changed the worker's data, newest first. */
export const MyAccessTrailDocument = graphql(`
  query MyAccessTrail($workerID: ID!, $after: Cursor) {
    auditTrail(workerID: $workerID, first: 10, after: $after) {
      totalCount
      edges {
        node {
          id
          at
          actorLabel
          actorRole
          action
          objectType
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** Fetches one page of the worker's access trail. */
export function useMyAccessTrail(workerID: string, after: string | null) {
  return useQuery({ query: MyAccessTrailDocument, variables: { workerID, after } });
}
