import { useState } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";

import type { CreateGrantInput, Role } from "../../../graphql/graphql";
import { connectionNodes } from "../../../lib/connection";
import { apiError } from "../../../lib/errors";
import { regionOptions } from "../../../lib/regions";
import { roleLabels } from "../../../lib/roles";
import { useCreateGrant, useGrantScopes } from "../api/admin-operations";

/** What each role's grant is restricted to (ent/schema/validate.go grantScopes). */
type ScopeKind = "organisation" | "laboratory" | "region" | "worker" | "national";

export const scopeOfRole: Record<Exclude<Role, "PHYSICIAN_DELEGATE">, ScopeKind> = {
  EMPLOYER_CORRESPONDENT: "organisation",
  OCCUPATIONAL_PHYSICIAN: "organisation",
  RADIATION_PROTECTION_ADVISER: "organisation",
  LABORATORY: "laboratory",
  CONTROL_AGENT: "region",
  WORKER: "worker",
  ANALYST: "national",
  LABOUR_MINISTRY: "national",
  ADMIN: "national",
};

const today = () => new Date().toISOString().slice(0, 10);

/** Builds the grant input of the form; `scope` is "e:ID", "c:ID", a laboratory id, a region code or a worker id. */
export function grantInput(accountID: string, role: keyof typeof scopeOfRole, scope: string, from: string): CreateGrantInput {
  const input: CreateGrantInput = { accountID, role, validFrom: `${from}T00:00:00Z` };
  switch (scopeOfRole[role]) {
    case "organisation":
      if (scope.startsWith("c:")) input.companyID = scope.slice(2);
      else input.establishmentID = scope.slice(2);
      break;
    case "laboratory":
      input.laboratoryID = scope;
      break;
    case "region":
      input.region = scope;
      break;
    case "worker":
      input.workerID = scope.trim();
      break;
  }
  return input;
}

/** The form that grants a role to an account, on the scope the role needs. */
export function AdminGrantForm({ onCreated }: { onCreated: () => void }) {
  const [{ data }] = useGrantScopes();
  const [created, createGrant] = useCreateGrant();
  const [accountID, setAccountID] = useState("");
  const [role, setRole] = useState<keyof typeof scopeOfRole>("EMPLOYER_CORRESPONDENT");
  const [scope, setScope] = useState("");
  const [from, setFrom] = useState(today);
  const [done, setDone] = useState<string | null>(null);
  const e = created.error ? apiError(created.error) : null;
  const kind = scopeOfRole[role];
  const accounts = connectionNodes(data?.accounts ?? { edges: [] });

  async function submit(ev: React.FormEvent) {
    ev.preventDefault();
    setDone(null);
    const res = await createGrant({ input: grantInput(accountID, role, scope, from) });
    if (!res.error) {
      const who = accounts.find((a) => a.id === accountID);
      setDone(`Habilitation « ${roleLabels[role]} » accordée à ${who?.email ?? "ce compte"}.`);
      setScope("");
      onCreated();
    }
  }

  return (
    <form onSubmit={submit} className={fr.cx("fr-mt-4w")} aria-label="Accorder une habilitation">
      <h2 className={fr.cx("fr-h5")}>Accorder une habilitation</h2>
      {done && <Alert severity="success" small description={done} className={fr.cx("fr-mb-2w")} />}
      {e && <Alert severity="error" small description={e.message} className={fr.cx("fr-mb-2w")} />}
      <Select label="Compte" nativeSelectProps={{ required: true, value: accountID, onChange: (ev) => setAccountID(ev.target.value) }}>
        <option value="" disabled>
          Choisir un compte
        </option>
        {accounts.map((a) => (
          <option key={a.id} value={a.id}>
            {a.email} — {a.displayName}
          </option>
        ))}
      </Select>
      <Select
        label="Rôle"
        nativeSelectProps={{
          value: role,
          onChange: (ev) => {
            setRole(ev.target.value as keyof typeof scopeOfRole);
            setScope("");
          },
        }}
      >
        {(Object.keys(scopeOfRole) as (keyof typeof scopeOfRole)[]).map((r) => (
          <option key={r} value={r}>
            {roleLabels[r]}
          </option>
        ))}
      </Select>
      {kind === "organisation" && (
        <Select label="Périmètre : établissement ou entreprise" nativeSelectProps={{ required: true, value: scope, onChange: (ev) => setScope(ev.target.value) }}>
          <option value="" disabled>
            Choisir un établissement ou une entreprise
          </option>
          <optgroup label="Établissements">
            {connectionNodes(data?.establishments ?? { edges: [] }).map((x) => (
              <option key={x.id} value={`e:${x.id}`}>
                {x.name} (SIRET {x.siret})
              </option>
            ))}
          </optgroup>
          <optgroup label="Entreprises (tous leurs établissements)">
            {connectionNodes(data?.companies ?? { edges: [] }).map((x) => (
              <option key={x.id} value={`c:${x.id}`}>
                {x.name} (SIREN {x.siren})
              </option>
            ))}
          </optgroup>
        </Select>
      )}
      {kind === "laboratory" && (
        <Select label="Périmètre : laboratoire" nativeSelectProps={{ required: true, value: scope, onChange: (ev) => setScope(ev.target.value) }}>
          <option value="" disabled>
            Choisir un laboratoire
          </option>
          {connectionNodes(data?.laboratories ?? { edges: [] }).map((x) => (
            <option key={x.id} value={x.id}>
              {x.name} ({x.code})
            </option>
          ))}
        </Select>
      )}
      {kind === "region" && (
        <Select label="Périmètre : région" nativeSelectProps={{ required: true, value: scope, onChange: (ev) => setScope(ev.target.value) }}>
          <option value="" disabled>
            Choisir une région
          </option>
          {regionOptions.map(([code, name]) => (
            <option key={code} value={code}>
              {name}
            </option>
          ))}
        </Select>
      )}
      {kind === "worker" && (
        <Input
          label="Identifiant du travailleur dans le registre"
          nativeInputProps={{ required: true, inputMode: "numeric", value: scope, onChange: (ev) => setScope(ev.target.value) }}
        />
      )}
      {kind === "national" && <p className={fr.cx("fr-hint-text")}>Ce rôle s'exerce sur tout le registre.</p>}
      <Input label="Début de validité" nativeInputProps={{ type: "date", required: true, value: from, onChange: (ev) => setFrom(ev.target.value) }} />
      <Button type="submit" disabled={created.fetching}>
        Accorder l'habilitation
      </Button>
    </form>
  );
}
