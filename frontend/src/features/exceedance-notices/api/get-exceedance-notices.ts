import { useQuery } from "urql";

import { graphql } from "../../../graphql";

/** A page of the anonymous notices of confirmed exceedances, most recent first. */
export const ExceedanceNoticesDocument = graphql(`
  query ExceedanceNotices($after: Cursor) {
    exceedanceNotices(first: 50, after: $after, orderBy: [{ field: CONFIRMED_ON, direction: DESC }]) {
      totalCount
      edges {
        node {
          id
          confirmedOn
          exceedanceMonth
          limitCode
          population
          band
          bandLabel
          bandLowerMsv
          bandUpperMsv
          sectorCode
          sectorLabel
          domainLabel
          regionCode
          regionLabel
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** Fetches one page of the notices, from `after`. */
export function useExceedanceNotices(after: string | null) {
  return useQuery({ query: ExceedanceNoticesDocument, variables: { after } });
}
