import { useState } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { RadioButtons } from "@codegouvfr/react-dsfr/RadioButtons";

import type { DoseConflictDecision } from "../../../graphql/graphql";
import { apiError } from "../../../lib/errors";
import { useResolveDoseConflict } from "../api/resolve-dose-conflict";

const decisions: { value: DoseConflictDecision; label: string; hint: string }[] = [
  {
    value: "KEEP_CORRECTION",
    label: "Conserver ma correction",
    hint: "Votre correction reste la dose de référence ; la valeur renvoyée reste dans l'historique, sans être retenue.",
  },
  {
    value: "ACCEPT_LABORATORY",
    label: "Accepter la valeur du laboratoire",
    hint: "La valeur renvoyée par le laboratoire devient la dose de référence et remplace votre correction.",
  },
];

/** The occupational physician's decision on one open conflict, always with a reason. */
export function ConflictDecisionForm({ conflictID, workerName, onDecided }: { conflictID: string; workerName: string; onDecided: () => void }) {
  const [decision, setDecision] = useState<DoseConflictDecision | null>(null);
  const [reason, setReason] = useState("");
  const [missing, setMissing] = useState(false);
  const [{ fetching, error }, resolve] = useResolveDoseConflict();
  const server = error ? apiError(error) : null;
  // The server names the argument it refuses (reason, decision); anything else goes in an alert.
  const serverOn = (name: string) => (server?.field?.endsWith(name) ? server.message : undefined);
  const reasonError = missing && !reason.trim() ? "Le motif de la décision est obligatoire." : serverOn("reason");
  const decisionError = missing && !decision ? "Choisissez une décision." : serverOn("decision");

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!decision || !reason.trim()) {
      setMissing(true);
      return;
    }
    setMissing(false);
    const res = await resolve({ id: conflictID, decision, reason: reason.trim() });
    if (!res.error) onDecided();
  }

  return (
    <form onSubmit={submit} noValidate aria-label={`Décision sur le conflit de ${workerName}`}>
      {server && !serverOn("reason") && !serverOn("decision") && (
        <Alert severity="error" small description={server.message} className={fr.cx("fr-mb-2w")} />
      )}
      <RadioButtons
        legend="Décision"
        state={decisionError ? "error" : "default"}
        stateRelatedMessage={decisionError}
        options={decisions.map((d) => ({
          label: d.label,
          hintText: d.hint,
          nativeInputProps: { value: d.value, checked: decision === d.value, onChange: () => setDecision(d.value) },
        }))}
      />
      <Input
        label="Motif de la décision"
        hintText="Obligatoire : ce qui justifie votre décision. Il est conservé dans l'historique du résultat."
        textArea
        state={reasonError ? "error" : "default"}
        stateRelatedMessage={reasonError}
        nativeTextAreaProps={{ value: reason, required: true, maxLength: 500, "aria-invalid": reasonError ? true : undefined, onChange: (e) => setReason(e.target.value) }}
      />
      <Button type="submit" disabled={fetching}>
        Valider la décision
      </Button>
    </form>
  );
}
