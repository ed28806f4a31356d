import { useQuery } from "urql";

import { graphql } from "../../../graphql";

/** A followed worker's file for the physician: identity, employments and every result with its versions. */
export const PhysicianWorkerFileDocument = graphql(`
  query PhysicianWorkerFile($id: ID!) {
    node(id: $id) {
      __typename
      ... on Worker {
        id
        lastName
        usageName
        firstNames
        birthDate
        nir
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
        doseRecords(first: 1000, orderBy: [{ field: PERIOD_END, direction: DESC }]) {
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

/** The worker's standing against each limit, with values (physicians). */
export const WorkerExposureDocument = graphql(`
  query WorkerExposure($id: ID!) {
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

/** Fetches the worker's file. */
export function usePhysicianWorkerFile(id: string) {
  return useQuery({ query: PhysicianWorkerFileDocument, variables: { id } });
}

/** Fetches the worker's limit standing. */
export function useWorkerExposure(id: string) {
  return useQuery({ query: WorkerExposureDocument, variables: { id } });
}
