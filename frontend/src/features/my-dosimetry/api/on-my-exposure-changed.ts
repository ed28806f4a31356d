import { useSubscription } from "urql";

import { graphql } from "../../../graphql";

/** Tells the worker's page that their doses or exposure changed (new, corrected or resubmitted results). */
export const OnMyExposureChangedDocument = graphql(`
  subscription OnMyExposureChanged($workerID: ID!) {
    exposureChanged(workerID: $workerID) {
      id
    }
  }
`);

/** Calls `onChange` each time the worker's exposure changes. */
export function useOnMyExposureChanged(workerID: string, onChange: () => void) {
  return useSubscription({ query: OnMyExposureChangedDocument, variables: { workerID } }, (_prev, event) => {
    onChange();
    return event;
  });
}
