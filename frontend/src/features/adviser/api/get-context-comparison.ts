import { useQuery } from "urql";

import { graphql } from "../../../graphql";

/** National statistics by sector × job, and the establishment's own recent whole-body doses. */
export const ContextComparisonDocument = graphql(`
  query ContextComparison($establishmentID: ID!, $from: Date!) {
    contextStatistics(monitoringKind: PASSIVE_WHOLE_BODY) {
      sectorCode
      sectorLabel
      jobCode
      jobLabel
      periodMonths
      doses
      nonZeroDoses
      medianMsv
      p90Msv
    }
    doseRecords(
      first: 1000
      where: { establishmentID: $establishmentID, current: true, monitoringKind: PASSIVE_WHOLE_BODY, quantity: HP10, periodEndGTE: $from }
    ) {
      totalCount
      edges {
        node {
          id
          valueMsv
          status
          sectorCode
          jobCode
        }
      }
    }
  }
`);

/** Fetches the comparison data for one establishment since `from`. */
export function useContextComparison(establishmentID: string, from: string) {
  return useQuery({ query: ContextComparisonDocument, variables: { establishmentID, from }, pause: !establishmentID });
}
