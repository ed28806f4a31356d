import { useQuery } from "urql";

import { graphql } from "../../../graphql";

/**
 * A worker's file as the adviser may read it: identity, the employments in
 * the adviser's establishments, the external results and operational doses of
 * those contract periods, the standings (sums of those results only) and the
 * month-by-month history. Row rules leave out everything else (R.4451-69,
 * REGULATION-CASES RC12).
 */
export const AdviserWorkerFileDocument = graphql(`
  query AdviserWorkerFile($id: ID!, $from: Date!, $fromTime: Time!) {
    node(id: $id) {
      __typename
      ... on Worker {
        id
        lastName
        firstNames
        birthDate
        employments(first: 20, orderBy: { field: START_DATE, direction: DESC }) {
          edges {
            node {
              id
              startDate
              endDate
              jobCode
              classification
              establishment {
                id
                name
              }
            }
          }
        }
        exposure {
          limitCode
          label
          valueMsv
          limitMsv
          share
          state
          windowStart
          windowEnd
        }
        doseHistory(from: $from) {
          month
          monitoringKind
          quantity
          valueMsv
        }
        doseRecords(first: 500, where: { current: true }, orderBy: [{ field: PERIOD_END, direction: DESC }]) {
          totalCount
          edges {
            node {
              id
              monitoringKind
              quantity
              valueMsv
              status
              source
              periodStart
              periodEnd
              version
              current
              pending
              supersedesID
              establishment {
                name
              }
              laboratory {
                name
              }
            }
          }
        }
        operationalDoses(first: 1000, where: { current: true, endAtGTE: $fromTime }) {
          totalCount
          edges {
            node {
              id
              startAt
              endAt
              valueUsv
            }
          }
        }
      }
    }
  }
`);

/** Fetches the adviser's view of a worker, with the history since `from` (YYYY-MM-DD). */
export function useAdviserWorkerFile(id: string, from: string) {
  return useQuery({ query: AdviserWorkerFileDocument, variables: { id, from, fromTime: `${from}T00:00:00Z` } });
}
