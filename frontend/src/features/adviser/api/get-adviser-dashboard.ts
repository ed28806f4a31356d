import { useQuery } from "urql";

import { graphql } from "../../../graphql";

/** The kind of the findings of results a laboratory should have sent and has not. */
export const missingResultKind = "MISSING_RESULT";

/** An anomaly or notice as the dashboard lists it, linked to its worker. */
export const AdviserActionItemFragment = graphql(`
  fragment AdviserActionItem on Anomaly {
    id
    createdAt
    kind
    explanation
    periodStart
    periodEnd
    worker {
      id
      lastName
      firstNames
    }
  }
`);

/**
 * What needs the adviser's action, counts and the latest items of each list:
 * open anomalies, late results, notices over the establishment's dose
 * constraints and workers approaching or over a limit (values of the contract
 * period only: row rules).
 */
export const AdviserActionsDocument = graphql(`
  query AdviserActions($missing: String!) {
    openAnomalies: anomalies(
      first: 5
      where: { statusIn: [OPEN, ACKNOWLEDGED], kindNEQ: $missing }
      orderBy: [{ field: CREATED_AT, direction: DESC }]
    ) {
      totalCount
      edges {
        node {
          ...AdviserActionItem
        }
      }
    }
    lateResults: anomalies(
      first: 5
      where: { statusIn: [OPEN, ACKNOWLEDGED], kind: $missing }
      orderBy: [{ field: CREATED_AT, direction: DESC }]
    ) {
      totalCount
      edges {
        node {
          ...AdviserActionItem
        }
      }
    }
    doseConstraintNotices(first: 5, where: { statusIn: [OPEN, ACKNOWLEDGED] }, orderBy: [{ field: CREATED_AT, direction: DESC }]) {
      totalCount
      edges {
        node {
          ...AdviserActionItem
        }
      }
    }
    limitAlerts(first: 5, states: [APPROACHING, EXCEEDED]) {
      totalCount
      edges {
        node {
          limitCode
          label
          state
          valueMsv
          limitMsv
          worker {
            id
            lastName
            firstNames
          }
        }
      }
    }
  }
`);

/** Fetches what needs the adviser's action. */
export function useAdviserActions() {
  return useQuery({ query: AdviserActionsDocument, variables: { missing: missingResultKind }, requestPolicy: "cache-and-network" });
}
