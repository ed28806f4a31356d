import { useQuery } from "urql";

import { graphql } from "../../../graphql";

/** The correspondent's establishments. */
export const EmployerEstablishmentsDocument = graphql(`
  query EmployerEstablishments($ids: [ID!]) {
    establishments(first: 50, where: { idIn: $ids }, orderBy: [{ field: NAME, direction: ASC }]) {
      totalCount
      edges {
        node {
          id
          siret
          name
          postalCode
          city
        }
      }
    }
  }
`);

/** The declared workers (administrative data only). */
export const EmployerWorkersDocument = graphql(`
  query EmployerWorkers($after: Cursor, $where: WorkerWhereInput) {
    workers(first: 20, after: $after, where: $where, orderBy: [{ field: LAST_NAME, direction: ASC }]) {
      totalCount
      edges {
        node {
          id
          lastName
          firstNames
          birthDate
          nir
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** The declared employments, newest first. */
export const EmployerEmploymentsDocument = graphql(`
  query EmployerEmployments($after: Cursor) {
    employments(first: 20, after: $after, orderBy: [{ field: START_DATE, direction: DESC }]) {
      totalCount
      edges {
        node {
          id
          startDate
          endDate
          contractType
          classification
          sectorCode
          jobCode
          worker {
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

/** The dosimeter assignments (wearing periods). */
export const EmployerAssignmentsDocument = graphql(`
  query EmployerAssignments($after: Cursor) {
    dosimeterAssignments(first: 20, after: $after, orderBy: [{ field: START_DATE, direction: DESC }]) {
      totalCount
      edges {
        node {
          id
          startDate
          endDate
          bodyPosition
          dosimeter {
            serial
            kind
          }
          worker {
            lastName
            firstNames
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

/** Limit exceedances of the employer's workers: who and which limit, never the value. */
export const EmployerExceedancesDocument = graphql(`
  query EmployerExceedances {
    exposureSummaries(first: 200, where: { statusIn: [EXCEEDED] }, orderBy: [{ field: WINDOW_END, direction: DESC }]) {
      totalCount
      edges {
        node {
          id
          limitCode
          status
          windowStart
          windowEnd
          limitMsv
          worker {
            id
            lastName
            firstNames
          }
        }
      }
    }
    anomalies(first: 50, where: { kindIn: ["LIMIT_EXCEEDED"] }, orderBy: [{ field: CREATED_AT, direction: DESC }]) {
      totalCount
      edges {
        node {
          id
          createdAt
          kind
          status
          periodStart
          periodEnd
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
    }
  }
`);

export const useEmployerEstablishments = (ids: string[]) => useQuery({ query: EmployerEstablishmentsDocument, variables: { ids } });
export const useEmployerWorkers = (name: string, after: string | null) =>
  useQuery({ query: EmployerWorkersDocument, variables: { after, where: name.trim() ? { lastNameContainsFold: name.trim() } : {} } });
export const useEmployerEmployments = (after: string | null) => useQuery({ query: EmployerEmploymentsDocument, variables: { after } });
export const useEmployerAssignments = (after: string | null) => useQuery({ query: EmployerAssignmentsDocument, variables: { after } });
export const useEmployerExceedances = () => useQuery({ query: EmployerExceedancesDocument, requestPolicy: "cache-and-network" });
