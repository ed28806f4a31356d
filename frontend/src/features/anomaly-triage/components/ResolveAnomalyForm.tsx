import { useState } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";

import type { AnomalyResolution } from "../../../graphql/graphql";
import { apiError } from "../../../lib/errors";
import { useResolveAnomaly } from "../api/triage-anomaly";

const resolutions: { value: AnomalyResolution; label: string; hint: string; physicianOnly?: boolean }[] = [
  { value: "CONFIRMED", label: "Confirmée", hint: "L'anomalie est réelle (dose reçue)." },
  { value: "NOT_CONFIRMED", label: "Non confirmée", hint: "L'analyse médicale ne confirme pas le dépassement.", physicianOnly: true },
  { value: "FALSE_POSITIVE", label: "Fausse alerte", hint: "Ce n'est pas une anomalie." },
];

/** Closes one anomaly with a resolution and a mandatory comment. */
export function ResolveAnomalyForm({
  anomalyID,
  workerName,
  physician,
  onDone,
}: {
  anomalyID: string;
  workerName: string;
  physician: boolean;
  onDone: () => void;
}) {
  const [resolution, setResolution] = useState<AnomalyResolution | null>(null);
  const [comment, setComment] = useState("");
  const [{ fetching, error }, resolve] = useResolveAnomaly();
  const [missing, setMissing] = useState(false);
  const e = error ? apiError(error) : null;

  async function submit(ev: React.FormEvent) {
    ev.preventDefault();
    if (!resolution || !comment.trim()) {
      setMissing(true);
      return;
    }
    const res = await resolve({ id: anomalyID, resolution, comment: comment.trim() });
    if (!res.error) onDone();
  }

  return (
    <form onSubmit={submit} className={fr.cx("fr-my-4w")} aria-label={`Clore l'anomalie de ${workerName}`}>
      <h3 className={fr.cx("fr-h6")}>Clore l'anomalie de {workerName}</h3>
      {e && e.field !== "comment" && <Alert severity="error" small description={e.message} className={fr.cx("fr-mb-2w")} />}
      <RadioButtons
        legend="Conclusion"
        state={missing && !resolution ? "error" : "default"}
        stateRelatedMessage="Choisissez une conclusion."
        options={resolutions
          .filter((r) => physician || !r.physicianOnly)
          .map((r) => ({
            label: r.label,
            hintText: r.hint,
            nativeInputProps: { checked: resolution === r.value, onChange: () => setResolution(r.value) },
          }))}
      />
      <Input
        label="Commentaire"
        hintText="Obligatoire : ce qui justifie la conclusion."
        textArea
        state={(missing && !comment.trim()) || e?.field === "comment" ? "error" : "default"}
        stateRelatedMessage={e?.field === "comment" ? e.message : "Le commentaire est obligatoire."}
        nativeTextAreaProps={{ value: comment, onChange: (ev) => setComment(ev.target.value) }}
      />
      <Button type="submit" disabled={fetching}>
        Enregistrer la conclusion
      </Button>{" "}
      <Button type="button" priority="secondary" onClick={onDone}>
        Annuler
      </Button>
    </form>
  );
}
