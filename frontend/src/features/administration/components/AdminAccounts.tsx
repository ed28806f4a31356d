import { useState } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";

import { ConnectionTable } from "../../../components/ConnectionTable";
import { useCursorStack } from "../../../hooks/useCursorStack";
import { apiError } from "../../../lib/errors";
import { formatDateTime, plural } from "../../../lib/format";
import { useAdminAccounts, useCreateAccount } from "../api/admin-operations";

/** Accounts, and the form that creates one. */
export function AdminAccounts() {
  const pages = useCursorStack();
  const [{ data, error }, refetch] = useAdminAccounts(pages.after);
  const [created, createAccount] = useCreateAccount();
  const [form, setForm] = useState({ email: "", displayName: "", password: "" });
  const [done, setDone] = useState<string | null>(null);
  const e = created.error ? apiError(created.error) : null;
  const fieldState = (name: string) => (e?.field?.endsWith(name) ? { state: "error" as const, stateRelatedMessage: e.message } : {});

  async function submit(ev: React.FormEvent) {
    ev.preventDefault();
    setDone(null);
    const res = await createAccount({ input: form });
    if (!res.error && res.data) {
      setDone(`Le compte ${res.data.createAccount.email} a été créé.`);
      setForm({ email: "", displayName: "", password: "" });
      refetch({ requestPolicy: "network-only" });
    }
  }

  return (
    <>
      <ConnectionTable
        error={error}
        connection={data?.accounts}
        pages={pages}
        caption={(n) => plural(n, "compte", "comptes")}
        empty="Aucun compte."
        headers={["Adresse électronique", "Nom", "Actif", "Dernière connexion"]}
        row={(a) => [a.email, a.displayName, a.active ? "Oui" : "Non", formatDateTime(a.lastLoginAt)]}
      />
      <form onSubmit={submit} className={fr.cx("fr-mt-4w")}>
        <h2 className={fr.cx("fr-h5")}>Créer un compte</h2>
        {done && <Alert severity="success" small description={done} className={fr.cx("fr-mb-2w")} />}
        {e && !["email", "displayName", "password"].some((f) => e.field?.endsWith(f)) && (
          <Alert severity="error" small description={e.message} className={fr.cx("fr-mb-2w")} />
        )}
        <Input label="Adresse électronique du compte" {...fieldState("email")} nativeInputProps={{ type: "email", required: true, value: form.email, onChange: (ev) => setForm({ ...form, email: ev.target.value }) }} />
        <Input label="Nom affiché" {...fieldState("displayName")} nativeInputProps={{ required: true, value: form.displayName, onChange: (ev) => setForm({ ...form, displayName: ev.target.value }) }} />
        <Input
          label="Mot de passe initial"
          hintText="Au moins 12 caractères."
          {...fieldState("password")}
          nativeInputProps={{ type: "password", required: true, autoComplete: "new-password", value: form.password, onChange: (ev) => setForm({ ...form, password: ev.target.value }) }}
        />
        <Button type="submit" disabled={created.fetching}>
          Créer le compte
        </Button>
      </form>
    </>
  );
}
