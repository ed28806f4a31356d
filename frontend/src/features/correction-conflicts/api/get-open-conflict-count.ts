import { useMemo } from "react";
import { useQuery } from "urql";

import { graphql } from "../../../graphql";

/** How many correction conflicts wait for a decision, for the navigation badge. */
export const OpenDoseConflictCountDocument = graphql(`
  query OpenDoseConflictCount {
    doseConflicts(first: 0, where: { status: OPEN }) {
      totalCount
    }
  }
`);

/** Fetches the number of open conflicts; `pause` skips it for roles without the inbox. */
export function useOpenConflictCount(pause: boolean) {
  // The answer names no DoseConflict: a decision must still refresh it.
  const context = useMemo(() => ({ additionalTypenames: ["DoseConflict"] }), []);
  return useQuery({ query: OpenDoseConflictCountDocument, pause, requestPolicy: "cache-and-network", context });
}
