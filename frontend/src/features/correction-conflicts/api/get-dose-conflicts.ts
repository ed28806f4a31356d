import { useMemo } from "react";
import { useQuery } from "urql";

import { graphql } from "../../../graphql";
import type { DoseConflictStatus } from "../../../graphql/graphql";

/** Number of conflicts per page. */
export const conflictsPageSize = 20;

/**
 * One page of the caller's correction conflicts: the physician's correction and
 * the laboratory's re-send side by side, and the decision once taken.
 */
export const DoseConflictListDocument = graphql(`
  query DoseConflictList($first: Int!, $after: Cursor, $where: DoseConflictWhereInput, $orderBy: [DoseConflictOrder!]) {
    doseConflicts(first: $first, after: $after, where: $where, orderBy: $orderBy) {
      totalCount
      edges {
        node {
          id
          status
          createdAt
          resolvedAt
          resolutionReason
          worker {
            id
            lastName
            firstNames
          }
          establishment {
            name
          }
          laboratory {
            name
          }
          correction {
            id
            valueMsv
            correctionReason
            periodStart
            periodEnd
            monitoringKind
            quantity
            version
            receivedAt
          }
          resend {
            id
            valueMsv
            receivedAt
            version
          }
          resolvedBy {
            displayName
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

/** The statuses of a decided conflict (REPLACED: a newer re-send took its place). */
export const decidedStatuses: DoseConflictStatus[] = ["KEPT_CORRECTION", "ACCEPTED_LABORATORY", "REPLACED"];

/**
 * Fetches a page of open conflicts (oldest first, the order they wait in) or
 * of decided ones (latest decision first).
 */
export function useDoseConflicts(which: "open" | "decided", after: string | null) {
  // A decision changes a DoseConflict: lists that showed none are refetched too.
  const context = useMemo(() => ({ additionalTypenames: ["DoseConflict"] }), []);
  return useQuery({
    query: DoseConflictListDocument,
    variables:
      which === "open"
        ? { first: conflictsPageSize, after, where: { status: "OPEN" }, orderBy: [{ field: "CREATED_AT", direction: "ASC" }] }
        : { first: conflictsPageSize, after, where: { statusIn: decidedStatuses }, orderBy: [{ field: "RESOLVED_AT", direction: "DESC" }] },
    requestPolicy: "cache-and-network",
    context,
  });
}
