import { fr } from "@codegouvfr/react-dsfr";

import { useConstraintEstablishment } from "../api/get-constraint-establishment";
import { DoseConstraints } from "./DoseConstraints";

/** One establishment's section of the « Contraintes de dose » screen. */
export function EstablishmentConstraints({ establishmentId, canEdit }: { establishmentId: string; canEdit: boolean }) {
  const [{ data }] = useConstraintEstablishment(establishmentId);
  const est = data?.node?.__typename === "Establishment" ? data.node : null;
  return (
    <section className={fr.cx("fr-mb-6w")} aria-label={est ? `Contraintes de dose — ${est.name}` : "Contraintes de dose de l'établissement"}>
      <h2 className={fr.cx("fr-h4")}>{est ? `${est.name} (SIRET ${est.siret})` : "Établissement"}</h2>
      <DoseConstraints establishmentId={establishmentId} canEdit={canEdit} />
    </section>
  );
}
