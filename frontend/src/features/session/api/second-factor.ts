import { useMutation } from "urql";

import { graphql } from "../../../graphql";

/** Gives the second factor of a pending session: a TOTP or recovery code. */
export const VerifySecondFactorDocument = graphql(`
  mutation VerifySecondFactor($code: String!) {
    verifySecondFactor(code: $code) {
      secondFactor
    }
  }
`);

/** Starts the enrolment of an authenticator app: QR code and secret. */
export const BeginTotpEnrolmentDocument = graphql(`
  mutation BeginTotpEnrolment {
    beginTotpEnrolment {
      otpauthURL
      qrCode
      secret
    }
  }
`);

/** Confirms the enrolment with a code of the app; returns the recovery codes. */
export const ConfirmTotpEnrolmentDocument = graphql(`
  mutation ConfirmTotpEnrolment($code: String!) {
    confirmTotpEnrolment(code: $code)
  }
`);

/** Replaces the recovery codes after a valid code. */
export const RegenerateRecoveryCodesDocument = graphql(`
  mutation RegenerateRecoveryCodes($code: String!) {
    regenerateRecoveryCodes(code: $code)
  }
`);

export function useVerifySecondFactor() {
  return useMutation(VerifySecondFactorDocument);
}

export function useBeginTotpEnrolment() {
  return useMutation(BeginTotpEnrolmentDocument);
}

export function useConfirmTotpEnrolment() {
  return useMutation(ConfirmTotpEnrolmentDocument);
}

export function useRegenerateRecoveryCodes() {
  return useMutation(RegenerateRecoveryCodesDocument);
}
