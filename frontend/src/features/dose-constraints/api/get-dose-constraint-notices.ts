import { useQuery } from "urql";

import { graphql } from "../../../graphql";

/** A page of the notices of results above their dose constraint, newest first (never in the anomalies). */
export const DoseConstraintNoticeListDocument = graphql(`
  query DoseConstraintNoticeList($after: Cursor) {
    doseConstraintNotices(first: 50, after: $after, orderBy: [{ field: CREATED_AT, direction: DESC }]) {
      totalCount
      edges {
        node {
          id
          createdAt
          periodStart
          periodEnd
          explanation
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

/** Fetches a page of notices after `after`. */
export function useDoseConstraintNotices(after: string | null) {
  return useQuery({ query: DoseConstraintNoticeListDocument, variables: { after }, requestPolicy: "cache-and-network" });
}
