import { useQuery } from "urql";

import { graphql } from "../../../graphql";

/** The dose constraints of an establishment (every version) and the defaults of the limits with none. */
export const DoseConstraintListDocument = graphql(`
  query DoseConstraintList($establishmentId: ID!) {
    doseConstraints(establishmentId: $establishmentId, includeEnded: true) {
      limit
      jobCode
      annualUsv
      annualMsv
      limitMsv
      isDefault
      constraint {
        id
        validFrom
        validTo
        setByName
        endedByName
        comment
      }
    }
  }
`);

/** Fetches the constraints of `establishmentId`. */
export function useDoseConstraints(establishmentId: string) {
  return useQuery({
    query: DoseConstraintListDocument,
    variables: { establishmentId },
    pause: !establishmentId,
    requestPolicy: "cache-and-network",
  });
}
