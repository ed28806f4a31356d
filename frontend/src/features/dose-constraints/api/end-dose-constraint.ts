import { useMutation } from "urql";

import { graphql } from "../../../graphql";

/** Ends a dose constraint in force (it stays in the history). */
export const EndDoseConstraintDocument = graphql(`
  mutation EndDoseConstraint($id: ID!) {
    endDoseConstraint(id: $id) {
      id
      validTo
    }
  }
`);

/** The mutation that ends a dose constraint. */
export function useEndDoseConstraint() {
  return useMutation(EndDoseConstraintDocument);
}
