import { useLocation, useParams } from "react-router";

import { CertificateVerification } from "../../features/certificate/components/CertificateVerification";

/** `/verification/:id?…`: the public page the QR code of a certificate opens; `/verification`: the upload alone. */
export function VerificationRoute() {
  const { id } = useParams();
  const { search } = useLocation();
  return <CertificateVerification key={id} id={id} search={search} />;
}
