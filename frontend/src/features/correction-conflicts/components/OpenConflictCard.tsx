import { fr } from "@codegouvfr/react-dsfr";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { Link } from "react-router";

import { formatMsv } from "../../../lib/dose";
import { formatDateTime } from "../../../lib/format";
import { conflictResult, conflictWorkerName, type DoseConflictView } from "../utils/conflict-view";
import { ConflictDecisionForm } from "./ConflictDecisionForm";

/**
 * One open conflict: the physician's correction and the laboratory's re-send
 * side by side, then the decision form when the caller may decide.
 */
export function OpenConflictCard({ conflict: c, canDecide, onDecided }: { conflict: DoseConflictView; canDecide: boolean; onDecided: () => void }) {
  const name = conflictWorkerName(c);
  const titleID = `conflit-${c.id}`;
  return (
    <section aria-labelledby={titleID} className={fr.cx("fr-mb-6w")}>
      <hr className={fr.cx("fr-hr")} />
      <h3 id={titleID} className={fr.cx("fr-h5", "fr-mb-1w")}>
        {name}
      </h3>
      <p className={fr.cx("fr-mb-2w")}>
        {conflictResult(c)} — {c.establishment.name}
        <br />
        Renvoi du laboratoire {c.laboratory.name} reçu le {formatDateTime(c.resend.receivedAt)}.{" "}
        <Link to={`/travailleurs-suivis/${c.worker.id}`}>Voir le dossier de {name}</Link>
      </p>
      <Table
        caption={`Valeurs en conflit pour ${name}`}
        noCaption
        bordered
        fixed={false}
        headers={["Version", "Valeur", "Motif de la correction", "Enregistrée le"]}
        data={[
          [`Correction du médecin du travail (version ${c.correction.version})`, formatMsv(c.correction.valueMsv, { fine: true }), c.correction.correctionReason || "—", formatDateTime(c.correction.receivedAt)],
          [`Renvoi du laboratoire ${c.laboratory.name} (version ${c.resend.version})`, formatMsv(c.resend.valueMsv, { fine: true }), "—", formatDateTime(c.resend.receivedAt)],
        ]}
      />
      {canDecide && <ConflictDecisionForm conflictID={c.id} workerName={name} onDecided={onDecided} />}
    </section>
  );
}
