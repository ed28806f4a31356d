import { useQuery } from "urql";

import { graphql } from "../../../graphql";

/**
 * The establishment's workers with their standing against each limit: states,
 * and the sums of the results of their contract periods (R.4451-69).
 */
export const AdviserWorkersDocument = graphql(`
  query AdviserWorkers($after: Cursor, $where: WorkerWhereInput, $orderBy: [WorkerOrder!]) {
    workers(first: 20, after: $after, where: $where, orderBy: $orderBy) {
      totalCount
      edges {
        node {
          id
          lastName
          firstNames
          birthDate
          exposure {
            limitCode
            state
            valueMsv
            limitMsv
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

/** Workers' limits near or over the limit, computed from the results of their contract periods. */
export const AdviserAlertsDocument = graphql(`
  query AdviserAlerts($after: Cursor, $states: [LimitState!]!) {
    limitAlerts(first: 20, after: $after, states: $states) {
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
            birthDate
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

export type AdviserFilter = { name: string; state: "" | "ALERT" | "EXCEEDED"; order: "LAST_NAME" | "BIRTH_DATE"; direction: "ASC" | "DESC" };

/** Fetches one page of the adviser's workers. */
export function useAdviserWorkers(filter: AdviserFilter, after: string | null) {
  const where: Record<string, unknown> = {};
  if (filter.name.trim()) where.lastNameContainsFold = filter.name.trim();
  return useQuery({
    query: AdviserWorkersDocument,
    variables: { after, where, orderBy: [{ field: filter.order, direction: filter.direction }, { field: "FIRST_NAMES", direction: "ASC" }] },
    pause: filter.state !== "",
  });
}

/** Fetches one page of limits in the filter's state (when the filter asks for one). */
export function useAdviserAlerts(filter: AdviserFilter, after: string | null) {
  return useQuery({
    query: AdviserAlertsDocument,
    variables: { after, states: filter.state === "EXCEEDED" ? ["EXCEEDED"] : ["APPROACHING", "EXCEEDED"] },
    pause: filter.state === "",
  });
}
