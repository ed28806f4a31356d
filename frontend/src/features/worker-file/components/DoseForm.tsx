import { useState } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";

import type { DoseRecordMonitoringKind, DoseRecordQuantity } from "../../../graphql/graphql";
import { monitoringKindLabels, quantityLabels } from "../../../lib/dose";
import { apiError, type ApiError } from "../../../lib/errors";
import { useAddDose, useCorrectDose } from "../api/correct-dose";

type Correct = { mode: "correct"; doseRecordID: string; description: string };
type Add = { mode: "add"; workerID: string; establishments: { id: string; name: string }[] };

/** Parses a French decimal (comma or point); NaN when it is not a number. */
export function parseDecimal(text: string): number {
  const t = text.trim().replace(",", ".");
  return /^\d+(\.\d+)?$/.test(t) ? Number(t) : NaN;
}

/** The form to correct a dose (new version) or add one, always with a reason. */
export function DoseForm({ target, onDone }: { target: Correct | Add; onDone: (saved: boolean) => void }) {
  const [value, setValue] = useState("");
  const [unit, setUnit] = useState("mSv");
  const [reason, setReason] = useState("");
  const [kind, setKind] = useState<DoseRecordMonitoringKind>("PASSIVE_WHOLE_BODY");
  const [quantity, setQuantity] = useState<DoseRecordQuantity>("HP10");
  const [establishmentID, setEstablishmentID] = useState(target.mode === "add" ? (target.establishments[0]?.id ?? "") : "");
  const [periodStart, setPeriodStart] = useState("");
  const [periodEnd, setPeriodEnd] = useState("");
  const [local, setLocal] = useState<Record<string, string>>({});
  const [correctState, correct] = useCorrectDose();
  const [addState, add] = useAddDose();
  const state = target.mode === "correct" ? correctState : addState;
  const server: ApiError | null = state.error ? apiError(state.error) : null;

  const fieldError = (name: string, serverNames: string[]) =>
    local[name] ?? (server?.field && serverNames.some((n) => server.field!.endsWith(n)) ? server.message : undefined);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const errors: Record<string, string> = {};
    const v = parseDecimal(value);
    if (Number.isNaN(v)) errors.value = "Saisissez une dose positive, par exemple 0,45.";
    if (!reason.trim()) errors.reason = "Le motif est obligatoire.";
    if (target.mode === "add" && (!periodStart || !periodEnd)) errors.period = "Saisissez la période de port.";
    setLocal(errors);
    if (Object.keys(errors).length) return;
    const res =
      target.mode === "correct"
        ? await correct({ input: { doseRecordID: target.doseRecordID, value: v, unit, reason: reason.trim() } })
        : await add({
            input: {
              workerID: target.workerID,
              establishmentID,
              monitoringKind: kind,
              quantity,
              periodStart,
              periodEnd,
              value: v,
              unit,
              reason: reason.trim(),
            },
          });
    if (!res.error) onDone(true);
  }

  const shownFields = ["value", "unit", "reason", "periodStart", "periodEnd"];
  return (
    <form onSubmit={submit} className={fr.cx("fr-my-4w")}>
      <h3 className={fr.cx("fr-h5")}>{target.mode === "correct" ? `Corriger la dose : ${target.description}` : "Ajouter une dose"}</h3>
      {server && !shownFields.some((f) => server.field?.endsWith(f)) && (
        <Alert severity="error" small description={server.message} className={fr.cx("fr-mb-2w")} />
      )}
      {target.mode === "add" && (
        <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
          <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
            <Select label="Établissement" nativeSelectProps={{ value: establishmentID, onChange: (e) => setEstablishmentID(e.target.value) }}>
              {target.establishments.map((e) => (
                <option key={e.id} value={e.id}>
                  {e.name}
                </option>
              ))}
            </Select>
          </div>
          <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
            <Select label="Type de suivi" nativeSelectProps={{ value: kind, onChange: (e) => setKind(e.target.value as DoseRecordMonitoringKind) }}>
              {Object.entries(monitoringKindLabels).map(([k, l]) => (
                <option key={k} value={k}>
                  {l}
                </option>
              ))}
            </Select>
          </div>
          <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
            <Select label="Grandeur" nativeSelectProps={{ value: quantity, onChange: (e) => setQuantity(e.target.value as DoseRecordQuantity) }}>
              {Object.entries(quantityLabels).map(([k, l]) => (
                <option key={k} value={k}>
                  {l}
                </option>
              ))}
            </Select>
          </div>
          <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
            <Input
              label="Début de la période"
              state={fieldError("period", ["periodStart"]) ? "error" : "default"}
              stateRelatedMessage={fieldError("period", ["periodStart"])}
              nativeInputProps={{ type: "date", value: periodStart, onChange: (e) => setPeriodStart(e.target.value) }}
            />
          </div>
          <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
            <Input
              label="Fin de la période"
              state={fieldError("period", ["periodEnd"]) ? "error" : "default"}
              stateRelatedMessage={fieldError("period", ["periodEnd"])}
              nativeInputProps={{ type: "date", value: periodEnd, onChange: (e) => setPeriodEnd(e.target.value) }}
            />
          </div>
        </div>
      )}
      <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
        <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
          <Input
            label="Nouvelle valeur"
            hintText="Nombre décimal, par exemple 0,45"
            state={fieldError("value", ["value"]) ? "error" : "default"}
            stateRelatedMessage={fieldError("value", ["value"])}
            nativeInputProps={{ inputMode: "decimal", value, onChange: (e) => setValue(e.target.value) }}
          />
        </div>
        <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
          <Select label="Unité" nativeSelectProps={{ value: unit, onChange: (e) => setUnit(e.target.value) }}>
            <option value="mSv">mSv</option>
            <option value="µSv">µSv</option>
          </Select>
        </div>
      </div>
      <Input
        label="Motif de la correction"
        hintText="Obligatoire, conservé dans l'historique du travailleur"
        textArea
        state={fieldError("reason", ["reason"]) ? "error" : "default"}
        stateRelatedMessage={fieldError("reason", ["reason"])}
        nativeTextAreaProps={{ value: reason, onChange: (e) => setReason(e.target.value) }}
      />
      <Button type="submit" disabled={state.fetching}>
        {target.mode === "correct" ? "Enregistrer la correction" : "Enregistrer la dose"}
      </Button>{" "}
      <Button type="button" priority="secondary" onClick={() => onDone(false)}>
        Annuler
      </Button>
    </form>
  );
}
