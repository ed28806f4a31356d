import { fr } from "@codegouvfr/react-dsfr";
import { Notice } from "@codegouvfr/react-dsfr/Notice";
import { Tabs } from "@codegouvfr/react-dsfr/Tabs";

import { DecidedConflicts } from "./DecidedConflicts";
import { OpenConflicts } from "./OpenConflicts";

/**
 * The correction conflicts of the caller's followed workers: a laboratory
 * re-sent a result the occupational physician had corrected. Only the
 * physician decides (R.4451-68); a delegate reads them.
 */
export function ConflictInbox({ canDecide }: { canDecide: boolean }) {
  return (
    <>
      <p>
        Un laboratoire a renvoyé un résultat que le médecin du travail avait corrigé. La correction reste la dose de référence tant que le médecin
        du travail n'a pas décidé de la conserver ou d'accepter la valeur du laboratoire.
      </p>
      {!canDecide && (
        <Notice
          className={fr.cx("fr-mb-3w")}
          title="Seul le médecin du travail tranche ces conflits : vous pouvez les consulter et les préparer avec lui, sans décider."
        />
      )}
      <Tabs
        className={fr.cx("fr-mt-2w")}
        label="Conflits de correction"
        tabs={[
          { label: "À trancher", content: <OpenConflicts canDecide={canDecide} />, isDefault: true },
          { label: "Conflits tranchés", content: <DecidedConflicts /> },
        ]}
      />
    </>
  );
}
