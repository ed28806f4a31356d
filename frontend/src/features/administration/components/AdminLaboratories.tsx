import { useState } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";

import { ConnectionTable } from "../../../components/ConnectionTable";
import { useCursorStack } from "../../../hooks/useCursorStack";
import { apiError } from "../../../lib/errors";
import { formatDate, plural } from "../../../lib/format";
import { useAdminLaboratories, useCreateLaboratory, useUpdateLaboratory } from "../api/admin-operations";
import { fieldState, optional, otherError } from "./field-state";
import { FormActions } from "./FormActions";

const emptyLab = { code: "", name: "", siret: "", accreditationBody: "COFRAC", accreditation: "", accreditationScope: "", from: "", to: "", active: true };
type LabForm = typeof emptyLab;

/** Whether a laboratory may submit today: active and inside its accreditation's validity. */
export function accreditationState(lab: { active: boolean; accreditationValidFrom?: string | null; accreditationValidTo?: string | null }, today: string): string {
  if (!lab.active) return "Désactivé";
  if (lab.accreditationValidTo && today > lab.accreditationValidTo) return `Expirée le ${formatDate(lab.accreditationValidTo)}`;
  if (lab.accreditationValidFrom && today < lab.accreditationValidFrom) return `À partir du ${formatDate(lab.accreditationValidFrom)}`;
  return "Valide";
}

/** Dosimetry laboratories and their accreditation; a lapsed accreditation stops their submissions. */
export function AdminLaboratories() {
  const pages = useCursorStack();
  const [{ data, error }, refetch] = useAdminLaboratories(pages.after);
  const [created, createLab] = useCreateLaboratory();
  const [updated, updateLab] = useUpdateLaboratory();
  const [editing, setEditing] = useState<string | null>(null);
  const [form, setForm] = useState<LabForm>(emptyLab);
  const [done, setDone] = useState<string | null>(null);
  const failed = editing ? updated.error : created.error;
  const e = failed ? apiError(failed) : null;
  const today = new Date().toISOString().slice(0, 10);
  const set = (k: keyof LabForm) => (ev: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => setForm({ ...form, [k]: ev.target.value });

  async function submit(ev: React.FormEvent) {
    ev.preventDefault();
    setDone(null);
    const common = {
      name: form.name.trim(),
      siret: optional(form.siret),
      accreditationBody: optional(form.accreditationBody),
      accreditation: optional(form.accreditation),
      accreditationScope: optional(form.accreditationScope),
      accreditationValidFrom: optional(form.from),
      accreditationValidTo: optional(form.to),
      active: form.active,
    };
    const res = editing
      ? await updateLab({
          id: editing,
          input: { ...common, clearAccreditationValidFrom: !form.from, clearAccreditationValidTo: !form.to },
        })
      : await createLab({ input: { ...common, code: form.code.trim().toUpperCase() } });
    if (!res.error) {
      setDone(`Le laboratoire ${common.name} a été ${editing ? "modifié" : "enregistré"}.`);
      setEditing(null);
      setForm(emptyLab);
      refetch({ requestPolicy: "network-only" });
    }
  }

  const fields = ["code", "name", "siret", "accreditationBody", "accreditation", "accreditationScope", "accreditationValidFrom", "accreditationValidTo"];
  return (
    <>
      <ConnectionTable
        error={error}
        connection={data?.laboratories}
        pages={pages}
        caption={(n) => plural(n, "laboratoire", "laboratoires")}
        empty="Aucun laboratoire."
        headers={["Code", "Nom", "Accréditation", "Validité", "État", "Action"]}
        row={(l) => [
          l.code,
          l.name,
          [l.accreditationBody, l.accreditation].filter(Boolean).join(" ") || "—",
          `${formatDate(l.accreditationValidFrom)} – ${formatDate(l.accreditationValidTo)}`,
          accreditationState(l, today),
          <Button
            key="m"
            size="small"
            priority="tertiary"
            onClick={() => {
              setEditing(l.id);
              setForm({
                code: l.code,
                name: l.name,
                siret: l.siret ?? "",
                accreditationBody: l.accreditationBody ?? "",
                accreditation: l.accreditation ?? "",
                accreditationScope: l.accreditationScope ?? "",
                from: l.accreditationValidFrom ?? "",
                to: l.accreditationValidTo ?? "",
                active: l.active,
              });
            }}
          >
            Modifier
          </Button>,
        ]}
      />
      <form onSubmit={submit} className={fr.cx("fr-mt-4w")} aria-label={editing ? "Modifier un laboratoire" : "Enregistrer un laboratoire"}>
        <h2 className={fr.cx("fr-h5")}>{editing ? `Modifier le laboratoire ${form.code}` : "Enregistrer un laboratoire"}</h2>
        {done && <Alert severity="success" small description={done} className={fr.cx("fr-mb-2w")} />}
        {otherError(e, fields) && <Alert severity="error" small description={e.message} className={fr.cx("fr-mb-2w")} />}
        <Input
          label="Code du laboratoire"
          hintText="2 à 20 caractères : majuscules, chiffres, tirets. Il ne change plus ensuite."
          disabled={!!editing}
          {...fieldState(e, "code")}
          nativeInputProps={{ required: true, value: form.code, onChange: set("code") }}
        />
        <Input label="Nom" {...fieldState(e, "name")} nativeInputProps={{ required: true, value: form.name, onChange: set("name") }} />
        <Input label="SIRET (facultatif)" {...fieldState(e, "siret")} nativeInputProps={{ inputMode: "numeric", value: form.siret, onChange: set("siret") }} />
        <Input label="Organisme d'accréditation" hintText="Par exemple COFRAC." {...fieldState(e, "accreditationBody")} nativeInputProps={{ value: form.accreditationBody, onChange: set("accreditationBody") }} />
        <Input label="Numéro d'accréditation" {...fieldState(e, "accreditation")} nativeInputProps={{ value: form.accreditation, onChange: set("accreditation") }} />
        <Input label="Portée d'accréditation" textArea {...fieldState(e, "accreditationScope")} nativeTextAreaProps={{ value: form.accreditationScope, onChange: set("accreditationScope") }} />
        <Input label="Accréditation valable du" {...fieldState(e, "accreditationValidFrom")} nativeInputProps={{ type: "date", value: form.from, onChange: set("from") }} />
        <Input label="Accréditation valable jusqu'au (inclus)" {...fieldState(e, "accreditationValidTo")} nativeInputProps={{ type: "date", value: form.to, onChange: set("to") }} />
        <Checkbox
          options={[
            {
              label: "Laboratoire actif",
              hintText: "Un laboratoire désactivé, ou dont l'accréditation n'est pas valide ce jour, ne peut pas envoyer de résultats.",
              nativeInputProps: { checked: form.active, onChange: (ev) => setForm({ ...form, active: ev.target.checked }) },
            },
          ]}
        />
        <FormActions
          editing={!!editing}
          busy={created.fetching || updated.fetching}
          createLabel="Enregistrer le laboratoire"
          onCancel={() => {
            setEditing(null);
            setForm(emptyLab);
          }}
        />
      </form>
    </>
  );
}
