import { useQuery } from "urql";

import { graphql } from "../../../graphql";

/** The worker's standing against each limit over the rolling 12 months. */
export const MyExposureDocument = graphql(`
  query MyExposure($id: ID!) {
    node(id: $id) {
      __typename
      ... on Worker {
        id
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
      }
    }
  }
`);

/** Fetches the worker's limit standing. */
export function useMyExposure(workerID: string) {
  return useQuery({ query: MyExposureDocument, variables: { id: workerID } });
}
