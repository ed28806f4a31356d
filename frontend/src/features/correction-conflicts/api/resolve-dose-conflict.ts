import { useMutation } from "urql";

import { graphql } from "../../../graphql";

/** Settles an open conflict: keep the correction or accept the laboratory's value, with a reason. */
export const ResolveDoseConflictDocument = graphql(`
  mutation ResolveDoseConflict($id: ID!, $decision: DoseConflictDecision!, $reason: String!) {
    resolveDoseConflict(id: $id, decision: $decision, reason: $reason) {
      id
      status
      resolvedAt
      resolutionReason
      resolvedBy {
        displayName
      }
    }
  }
`);

/** Returns the resolveDoseConflict mutation. */
export function useResolveDoseConflict() {
  return useMutation(ResolveDoseConflictDocument);
}
