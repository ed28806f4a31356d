import { useMutation } from "urql";

import { graphql } from "../../../graphql";

/** Takes an open anomaly in hand. */
export const AcknowledgeAnomalyDocument = graphql(`
  mutation AcknowledgeAnomaly($id: ID!) {
    acknowledgeAnomaly(id: $id) {
      id
      status
    }
  }
`);

/** Closes an anomaly with a resolution and a comment. */
export const ResolveAnomalyDocument = graphql(`
  mutation ResolveAnomaly($id: ID!, $resolution: AnomalyResolution!, $comment: String!) {
    resolveAnomaly(id: $id, resolution: $resolution, comment: $comment) {
      id
      status
      resolutionComment
    }
  }
`);

/** Returns the acknowledge mutation. */
export function useAcknowledgeAnomaly() {
  return useMutation(AcknowledgeAnomalyDocument);
}

/** Returns the resolve mutation. */
export function useResolveAnomaly() {
  return useMutation(ResolveAnomalyDocument);
}
