import { useQuery } from "urql";

import { graphql } from "../../../graphql";

/** One page of the caller's anomalies, newest first, with what triage needs. */
export const AnomalyTriageListDocument = graphql(`
  query AnomalyTriageList($after: Cursor, $where: AnomalyWhereInput) {
    anomalies(first: 20, after: $after, where: $where, orderBy: [{ field: CREATED_AT, direction: DESC }]) {
      totalCount
      edges {
        node {
          id
          createdAt
          kind
          layer
          severity
          explanation
          status
          periodStart
          periodEnd
          resolutionComment
          worker {
            id
            lastName
            firstNames
          }
          establishment {
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

/** Fetches a page of anomalies with the given statuses (all when empty). */
export function useAnomalies(statuses: string[], after: string | null, workerID?: string) {
  const where: Record<string, unknown> = {};
  if (statuses.length) where.statusIn = statuses;
  if (workerID) where.workerID = workerID;
  return useQuery({ query: AnomalyTriageListDocument, variables: { after, where }, requestPolicy: "cache-and-network" });
}
