import { useState } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";

import { ConnectionTable } from "../../../components/ConnectionTable";
import { useCursorStack } from "../../../hooks/useCursorStack";
import { apiError } from "../../../lib/errors";
import { plural } from "../../../lib/format";
import { useAdminCompanies, useCreateCompany, useUpdateCompany } from "../api/admin-operations";
import { fieldState, otherError } from "./field-state";
import { FormActions } from "./FormActions";

/** Companies (SIREN), the form that registers one and renames it. */
export function AdminCompanies() {
  const pages = useCursorStack();
  const [{ data, error }, refetch] = useAdminCompanies(pages.after);
  const [created, createCompany] = useCreateCompany();
  const [updated, updateCompany] = useUpdateCompany();
  const [editing, setEditing] = useState<{ id: string; siren: string } | null>(null);
  const [siren, setSiren] = useState("");
  const [name, setName] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const failed = editing ? updated.error : created.error;
  const e = failed ? apiError(failed) : null;

  async function submit(ev: React.FormEvent) {
    ev.preventDefault();
    setDone(null);
    const res = editing
      ? await updateCompany({ id: editing.id, input: { name: name.trim() } })
      : await createCompany({ input: { siren: siren.replace(/\s/g, ""), name: name.trim() } });
    if (!res.error) {
      setDone(editing ? `L'entreprise ${name.trim()} a été modifiée.` : `L'entreprise ${name.trim()} a été enregistrée.`);
      setEditing(null);
      setSiren("");
      setName("");
      refetch({ requestPolicy: "network-only" });
    }
  }

  return (
    <>
      <ConnectionTable
        error={error}
        connection={data?.companies}
        pages={pages}
        caption={(n) => plural(n, "entreprise", "entreprises")}
        empty="Aucune entreprise."
        headers={["SIREN", "Raison sociale", "Établissements", "Action"]}
        row={(c) => [
          c.siren,
          c.name,
          String(c.establishments.totalCount),
          <Button
            key="m"
            size="small"
            priority="tertiary"
            onClick={() => {
              setEditing({ id: c.id, siren: c.siren });
              setSiren(c.siren);
              setName(c.name);
            }}
          >
            Modifier
          </Button>,
        ]}
      />
      <form onSubmit={submit} className={fr.cx("fr-mt-4w")} aria-label={editing ? "Modifier une entreprise" : "Enregistrer une entreprise"}>
        <h2 className={fr.cx("fr-h5")}>{editing ? `Modifier l'entreprise ${editing.siren}` : "Enregistrer une entreprise"}</h2>
        {done && <Alert severity="success" small description={done} className={fr.cx("fr-mb-2w")} />}
        {otherError(e, ["siren", "name"]) && <Alert severity="error" small description={e.message} className={fr.cx("fr-mb-2w")} />}
        <Input
          label="SIREN"
          hintText="9 chiffres, clé de contrôle comprise."
          disabled={!!editing}
          {...fieldState(e, "siren")}
          nativeInputProps={{ required: true, inputMode: "numeric", value: siren, onChange: (ev) => setSiren(ev.target.value) }}
        />
        <Input label="Raison sociale" {...fieldState(e, "name")} nativeInputProps={{ required: true, value: name, onChange: (ev) => setName(ev.target.value) }} />
        <FormActions
          editing={!!editing}
          busy={created.fetching || updated.fetching}
          createLabel="Enregistrer l'entreprise"
          onCancel={() => {
            setEditing(null);
            setSiren("");
            setName("");
          }}
        />
      </form>
    </>
  );
}
