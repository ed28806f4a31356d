import { useState } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";

import { connectionNodes } from "../../../lib/connection";
import { apiError } from "../../../lib/errors";
import { regionOptions } from "../../../lib/regions";
import { useCreateEstablishment, useGrantScopes, useUpdateEstablishment } from "../api/admin-operations";
import { fieldState, optional, otherError } from "./field-state";
import { FormActions } from "./FormActions";

const empty = { siret: "", name: "", address: "", postalCode: "", city: "", region: "", nafCode: "", companyID: "" };

/**
 * Registers an establishment attached to a company, or changes one chosen in
 * the list (its SIRET does not change).
 */
export function EstablishmentForm() {
  const [{ data }, refetch] = useGrantScopes();
  const [created, createEstablishment] = useCreateEstablishment();
  const [updated, updateEstablishment] = useUpdateEstablishment();
  const [editing, setEditing] = useState("");
  const [form, setForm] = useState(empty);
  const [done, setDone] = useState<string | null>(null);
  const failed = editing ? updated.error : created.error;
  const e = failed ? apiError(failed) : null;
  const set = (k: keyof typeof empty) => (ev: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setForm({ ...form, [k]: ev.target.value });
  const establishments = connectionNodes(data?.establishments ?? { edges: [] });

  async function submit(ev: React.FormEvent) {
    ev.preventDefault();
    setDone(null);
    const fields = {
      name: form.name.trim(),
      address: optional(form.address),
      postalCode: optional(form.postalCode),
      city: optional(form.city),
      region: optional(form.region),
      nafCode: optional(form.nafCode),
      companyID: optional(form.companyID),
    };
    const res = editing
      ? await updateEstablishment({ id: editing, input: { ...fields, clearCompany: !form.companyID } })
      : await createEstablishment({ input: { ...fields, siret: form.siret.replace(/\s/g, "") } });
    if (!res.error) {
      setDone(`L'établissement ${fields.name} a été ${editing ? "modifié" : "enregistré"}.`);
      setEditing("");
      setForm(empty);
      refetch({ requestPolicy: "network-only" });
    }
  }

  return (
    <form onSubmit={submit} className={fr.cx("fr-mt-4w")} aria-label="Enregistrer ou modifier un établissement">
      <h2 className={fr.cx("fr-h5")}>Enregistrer ou modifier un établissement</h2>
      {done && <Alert severity="success" small description={done} className={fr.cx("fr-mb-2w")} />}
      {otherError(e, Object.keys(empty)) && <Alert severity="error" small description={e.message} className={fr.cx("fr-mb-2w")} />}
      <Select
        label="Établissement à modifier"
        nativeSelectProps={{
          value: editing,
          onChange: (ev) => {
            setEditing(ev.target.value);
            setForm({ ...empty, siret: establishments.find((x) => x.id === ev.target.value)?.siret ?? "", name: establishments.find((x) => x.id === ev.target.value)?.name ?? "" });
          },
        }}
      >
        <option value="">Aucun : enregistrer un nouvel établissement</option>
        {establishments.map((x) => (
          <option key={x.id} value={x.id}>
            {x.name} (SIRET {x.siret})
          </option>
        ))}
      </Select>
      <Input
        label="SIRET"
        hintText="14 chiffres, clé de contrôle comprise."
        disabled={!!editing}
        {...fieldState(e, "siret")}
        nativeInputProps={{ required: true, inputMode: "numeric", value: form.siret, onChange: set("siret") }}
      />
      <Input label="Nom" {...fieldState(e, "name")} nativeInputProps={{ required: true, value: form.name, onChange: set("name") }} />
      <Select label="Entreprise" nativeSelectProps={{ value: form.companyID, onChange: set("companyID") }}>
        <option value="">Aucune</option>
        {connectionNodes(data?.companies ?? { edges: [] }).map((c) => (
          <option key={c.id} value={c.id}>
            {c.name} (SIREN {c.siren})
          </option>
        ))}
      </Select>
      <Input label="Adresse (facultatif)" {...fieldState(e, "address")} nativeInputProps={{ value: form.address, onChange: set("address") }} />
      <Input label="Code postal (facultatif)" {...fieldState(e, "postalCode")} nativeInputProps={{ inputMode: "numeric", value: form.postalCode, onChange: set("postalCode") }} />
      <Input label="Commune (facultatif)" {...fieldState(e, "city")} nativeInputProps={{ value: form.city, onChange: set("city") }} />
      <Select label="Région" nativeSelectProps={{ value: form.region, onChange: set("region") }}>
        <option value="">Non renseignée</option>
        {regionOptions.map(([code, name]) => (
          <option key={code} value={code}>
            {name}
          </option>
        ))}
      </Select>
      <Input label="Code NAF (facultatif)" hintText="Par exemple 86.10Z." {...fieldState(e, "nafCode")} nativeInputProps={{ value: form.nafCode, onChange: set("nafCode") }} />
      <FormActions
        editing={!!editing}
        busy={created.fetching || updated.fetching}
        createLabel="Enregistrer l'établissement"
        onCancel={() => {
          setEditing("");
          setForm(empty);
        }}
      />
    </form>
  );
}
