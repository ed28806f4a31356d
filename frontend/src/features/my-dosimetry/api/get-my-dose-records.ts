import { useQuery } from "urql";

import { graphql } from "../../../graphql";

/** The signed-in worker's identity, employments and every result (all versions). */
export const MyDoseRecordsDocument = graphql(`
  query MyDoseRecords($id: ID!) {
    node(id: $id) {
      __typename
      ... on Worker {
        id
        lastName
        usageName
        firstNames
        birthDate
        nir
        employments(first: 50, orderBy: { field: START_DATE, direction: DESC }) {
          edges {
            node {
              id
              startDate
              endDate
              establishment {
                name
                siret
              }
            }
          }
        }
        doseRecords(first: 1000, orderBy: { field: PERIOD_END, direction: DESC }) {
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
              correctionReason
              radionuclide
              establishment {
                name
              }
              laboratory {
                name
              }
            }
          }
        }
      }
    }
  }
`);

/** Fetches the worker's own file. */
export function useMyDoseRecords(workerID: string) {
  return useQuery({ query: MyDoseRecordsDocument, variables: { id: workerID } });
}
