import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";

/** The submit button of a create-or-edit form, and « Annuler » while editing. */
export function FormActions({ editing, busy, createLabel, onCancel }: { editing: boolean; busy: boolean; createLabel: string; onCancel: () => void }) {
  return (
    <>
      <Button type="submit" disabled={busy}>
        {editing ? "Enregistrer les modifications" : createLabel}
      </Button>
      {editing && (
        <Button type="button" priority="secondary" className={fr.cx("fr-ml-2w")} onClick={onCancel}>
          Annuler
        </Button>
      )}
    </>
  );
}
