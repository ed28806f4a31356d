import { useMutation } from "urql";

import { graphql } from "../../../graphql";

/** Corrects a dose: a new version supersedes the current one. */
export const CorrectDoseDocument = graphql(`
  mutation CorrectDose($input: CorrectDoseInput!) {
    correctDose(input: $input) {
      id
      version
      valueMsv
      current
      correctionReason
    }
  }
`);

/** Adds a dose with a reason. */
export const AddDoseDocument = graphql(`
  mutation AddDose($input: AddDoseInput!) {
    addDose(input: $input) {
      id
      version
      valueMsv
    }
  }
`);

/** Returns the correctDose mutation. */
export function useCorrectDose() {
  return useMutation(CorrectDoseDocument);
}

/** Returns the addDose mutation. */
export function useAddDose() {
  return useMutation(AddDoseDocument);
}
