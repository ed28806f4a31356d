import { useQuery } from "urql";

import { graphql } from "../../../graphql";

/** The worker's doses month by month and monitoring kind, for the chart. */
export const MyDoseHistoryDocument = graphql(`
  query MyDoseHistory($id: ID!, $from: Date) {
    node(id: $id) {
      __typename
      ... on Worker {
        id
        doseHistory(from: $from) {
          month
          monitoringKind
          quantity
          valueMsv
          records
        }
      }
    }
  }
`);

/** Fetches the worker's monthly doses since `from`. */
export function useMyDoseHistory(workerID: string, from: string) {
  return useQuery({ query: MyDoseHistoryDocument, variables: { id: workerID, from } });
}
