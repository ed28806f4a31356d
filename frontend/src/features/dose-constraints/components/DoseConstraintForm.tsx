import { useId, useState } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";

import type { DoseConstraintLimitCode } from "../../../graphql/graphql";
import { limitLabels } from "../../../lib/dose";
import { apiError } from "../../../lib/errors";
import { useSetDoseConstraint } from "../api/set-dose-constraint";
import { constrainedLimits, type ConstraintDraft, type ConstraintErrors, defaultLimitsMsv, validateConstraint } from "./constraint-input";

const empty: ConstraintDraft = { limit: "", jobCode: "", valueMsv: "", comment: "" };

/** Sets a dose constraint of an establishment (the one in force for the same job and limit ends). */
export function DoseConstraintForm({
  establishmentId,
  limitsMsv = defaultLimitsMsv,
  onDone,
}: {
  establishmentId: string;
  limitsMsv?: Record<DoseConstraintLimitCode, number>;
  onDone: () => void;
}) {
  const titleId = useId();
  const [draft, setDraft] = useState<ConstraintDraft>(empty);
  const [errors, setErrors] = useState<ConstraintErrors>({});
  const [saved, setSaved] = useState(false);
  const [{ fetching, error }, save] = useSetDoseConstraint();
  const e = error ? apiError(error) : null;
  // The server's refusals of the value (above the limit, not positive) go in the value's slot.
  const valueError = errors.valueMsv ?? (e && (e.code === "CONSTRAINT_ABOVE_LIMIT" || e.field === "input.annualUsv") ? e.message : undefined);
  const jobError = errors.jobCode ?? (e?.field === "input.jobCode" ? e.message : undefined);
  const otherError = e && !valueError && !jobError ? e.message : null;
  const change = (field: keyof ConstraintDraft) => (ev: { target: { value: string } }) => {
    setSaved(false);
    setDraft((d) => ({ ...d, [field]: ev.target.value }));
  };

  async function submit(ev: React.FormEvent) {
    ev.preventDefault();
    const checked = validateConstraint(draft, limitsMsv);
    setErrors(checked.errors);
    if (checked.annualUsv === undefined || !draft.limit) return;
    const res = await save({
      input: {
        establishmentId,
        limit: draft.limit,
        jobCode: draft.jobCode.trim() || null,
        annualUsv: checked.annualUsv,
        comment: draft.comment.trim() || null,
      },
    });
    if (!res.error) {
      setDraft(empty);
      setSaved(true);
      onDone();
    }
  }

  return (
    <form onSubmit={submit} noValidate aria-labelledby={titleId} className={fr.cx("fr-my-4w")}>
      <h3 id={titleId} className={fr.cx("fr-h5")}>
        Fixer une contrainte de dose
      </h3>
      <p className={fr.cx("fr-text--sm")}>
        La nouvelle valeur remplace celle en vigueur pour la même limite et le même métier ; l'ancienne reste dans
        l'historique. Sans contrainte, le niveau par défaut est 3/10 de la limite.
      </p>
      {otherError && <Alert severity="error" small description={otherError} className={fr.cx("fr-mb-2w")} />}
      {saved && <Alert severity="success" small description="La contrainte de dose est enregistrée." className={fr.cx("fr-mb-2w")} />}
      <Select
        label="Limite concernée"
        state={errors.limit ? "error" : "default"}
        stateRelatedMessage={errors.limit}
        nativeSelectProps={{ value: draft.limit, onChange: change("limit") }}
      >
        <option value="" disabled>
          Choisir une limite
        </option>
        {constrainedLimits.map((l) => (
          <option key={l} value={l}>
            {limitLabels[l]}
          </option>
        ))}
      </Select>
      <Input
        label="Code métier (facultatif)"
        hintText="Laisser vide pour tous les métiers de l'établissement."
        state={jobError ? "error" : "default"}
        stateRelatedMessage={jobError}
        nativeInputProps={{ value: draft.jobCode, onChange: change("jobCode"), maxLength: 40 }}
      />
      <Input
        label="Contrainte en mSv sur 12 mois glissants"
        hintText="Strictement positive et au plus égale à la limite réglementaire, par exemple 14 ou 0,5."
        state={valueError ? "error" : "default"}
        stateRelatedMessage={valueError}
        nativeInputProps={{ value: draft.valueMsv, onChange: change("valueMsv"), inputMode: "decimal" }}
      />
      <Input
        label="Commentaire (facultatif)"
        textArea
        state={errors.comment ? "error" : "default"}
        stateRelatedMessage={errors.comment}
        nativeTextAreaProps={{ value: draft.comment, onChange: change("comment") }}
      />
      <Button type="submit" disabled={fetching}>
        Enregistrer la contrainte
      </Button>
    </form>
  );
}
