import { useMutation } from "urql";

import { graphql } from "../../../graphql";

/** Sets a dose constraint; the one in force for the same establishment, job and limit ends. */
export const SetDoseConstraintDocument = graphql(`
  mutation SetDoseConstraint($input: SetDoseConstraintInput!) {
    setDoseConstraint(input: $input) {
      id
      validFrom
    }
  }
`);

/** The mutation that sets a dose constraint. */
export function useSetDoseConstraint() {
  return useMutation(SetDoseConstraintDocument);
}
