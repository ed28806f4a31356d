import { useQuery } from "urql";

import { graphql } from "../../../graphql";

/** The establishments of the region and the workers near or over a limit, with the sums of the region's results. */
export const RegionalControlDocument = graphql(`
  query RegionalControl($region: String) {
    establishments(first: 200, where: { region: $region }, orderBy: [{ field: NAME, direction: ASC }]) {
      totalCount
      edges {
        node {
          id
          siret
          name
          city
        }
      }
    }
    limitAlerts(first: 500, states: [EXCEEDED, APPROACHING]) {
      totalCount
      edges {
        node {
          limitCode
          state
          valueMsv
          limitMsv
          windowStart
          windowEnd
          worker {
            id
            lastName
            firstNames
            employments(first: 5) {
              edges {
                node {
                  id
                  establishment {
                    id
                    name
                  }
                }
              }
            }
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

/** One page of the region's doses of the last 12 months, for effective doses per establishment. */
export const RegionalDosesDocument = graphql(`
  query RegionalDoses($after: Cursor, $from: Date!) {
    doseRecords(first: 1000, after: $after, where: { current: true, quantityIn: [HP10, E50], periodEndGTE: $from }) {
      totalCount
      edges {
        node {
          establishmentID
          workerID
          valueUsv
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** Fetches the region's establishments and exceedances. */
export function useRegionalControl(region: string | null) {
  return useQuery({ query: RegionalControlDocument, variables: { region } });
}
