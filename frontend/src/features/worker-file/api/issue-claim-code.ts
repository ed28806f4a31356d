import { useMutation } from "urql";

import { graphql } from "../../../graphql";

/** Issues the one-time code that links a worker's FranceConnect+ identity to this record. */
export const IssueWorkerClaimCodeDocument = graphql(`
  mutation IssueWorkerClaimCode($workerID: ID!) {
    issueWorkerClaimCode(workerID: $workerID) {
      code
      expiresAt
    }
  }
`);

export function useIssueWorkerClaimCode() {
  return useMutation(IssueWorkerClaimCodeDocument);
}
