import { useQuery } from "urql";

import { graphql } from "../../../graphql";

/**
 * The findings on laboratory batches the caller reads: a laboratory its own
 * batches', the agency every laboratory's. The batch itself is selected by
 * id only: analysts do not read laboratories' batches.
 */
export const BatchFindingsDocument = graphql(`
  query BatchFindings($after: Cursor) {
    batchFindings(first: 20, after: $after, orderBy: [{ field: CREATED_AT, direction: DESC }]) {
      totalCount
      edges {
        node {
          id
          createdAt
          importBatchID
          kind
          contextLabel
          direction
          pValue
          explanation
          status
          laboratory {
            id
            name
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** Fetches a page of batch findings, newest first. */
export function useBatchFindings(after: string | null) {
  return useQuery({ query: BatchFindingsDocument, variables: { after }, requestPolicy: "cache-and-network" });
}
