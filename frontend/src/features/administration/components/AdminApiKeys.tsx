import { useState } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";

import { ConnectionTable } from "../../../components/ConnectionTable";
import type { ApiKeyProfile, Role } from "../../../graphql/graphql";
import { useCursorStack } from "../../../hooks/useCursorStack";
import { connectionNodes } from "../../../lib/connection";
import { apiError } from "../../../lib/errors";
import { formatDateTime, plural } from "../../../lib/format";
import { roleLabels } from "../../../lib/roles";
import { useAdminApiKeys, useAdminGrants, useCreateApiKey, useRevokeApiKey } from "../api/admin-operations";

const profileLabels: Record<ApiKeyProfile, string> = {
  OCCUPATIONAL_HEALTH_SOFTWARE: "Logiciel de santé au travail",
  LABORATORY_SYSTEM: "Système de laboratoire",
  STATISTICS_CONSUMER: "Consommateur de statistiques",
};

/** Partner API keys: the secret of a new key is shown once; keys can be revoked. */
export function AdminApiKeys() {
  const pages = useCursorStack();
  const [{ data, error }, refetch] = useAdminApiKeys(pages.after);
  const [grants] = useAdminGrants(null, true);
  const [created, createKey] = useCreateApiKey();
  const [revoked, revoke] = useRevokeApiKey();
  const [name, setName] = useState("");
  const [profile, setProfile] = useState<ApiKeyProfile>("LABORATORY_SYSTEM");
  const [grantID, setGrantID] = useState("");
  const [secret, setSecret] = useState<{ name: string; key: string } | null>(null);
  const e = created.error ? apiError(created.error) : null;

  async function submit(ev: React.FormEvent) {
    ev.preventDefault();
    setSecret(null);
    const res = await createKey({ input: { name: name.trim(), profile, grantID } });
    if (res.data) {
      setSecret({ name: res.data.createApiKey.apiKey.name, key: res.data.createApiKey.key });
      setName("");
      refetch({ requestPolicy: "network-only" });
    }
  }

  return (
    <>
      {secret && (
        <Alert
          severity="success"
          title={`Clé « ${secret.name} » créée`}
          className={fr.cx("fr-mb-4w")}
          description={
            <>
              Copiez-la maintenant : elle ne sera plus jamais affichée.
              <br />
              <code>{secret.key}</code>
            </>
          }
        />
      )}
      {revoked.error && <Alert severity="error" small description={apiError(revoked.error).message} className={fr.cx("fr-mb-2w")} />}
      <ConnectionTable
        error={error}
        connection={data?.apiKeys}
        pages={pages}
        caption={(n) => plural(n, "clé d'API", "clés d'API")}
        empty="Aucune clé d'API."
        headers={["Nom", "Préfixe", "Profil", "Compte", "Dernier usage", "État", "Action"]}
        row={(k) => [
          k.name,
          <code key="p">{k.prefix}</code>,
          profileLabels[k.profile],
          k.account.email,
          formatDateTime(k.lastUsedAt),
          k.revokedAt ? `Révoquée le ${formatDateTime(k.revokedAt)}` : "Active",
          k.revokedAt ? (
            "—"
          ) : (
            <Button
              key="r"
              size="small"
              priority="tertiary"
              onClick={async () => {
                await revoke({ id: k.id });
                refetch({ requestPolicy: "network-only" });
              }}
            >
              Révoquer
            </Button>
          ),
        ]}
      />
      <form onSubmit={submit} className={fr.cx("fr-mt-4w")}>
        <h2 className={fr.cx("fr-h5")}>Créer une clé d'API partenaire</h2>
        {e && e.field !== "name" && <Alert severity="error" small description={e.message} className={fr.cx("fr-mb-2w")} />}
        <Input
          label="Nom de la clé"
          state={e?.field?.endsWith("name") ? "error" : "default"}
          stateRelatedMessage={e?.message}
          nativeInputProps={{ required: true, value: name, onChange: (ev) => setName(ev.target.value) }}
        />
        <Select label="Profil" nativeSelectProps={{ value: profile, onChange: (ev) => setProfile(ev.target.value as ApiKeyProfile) }}>
          {Object.entries(profileLabels).map(([k, l]) => (
            <option key={k} value={k}>
              {l}
            </option>
          ))}
        </Select>
        <Select label="Habilitation sous laquelle la clé agit" nativeSelectProps={{ required: true, value: grantID, onChange: (ev) => setGrantID(ev.target.value) }}>
          <option value="" disabled>
            Choisir une habilitation
          </option>
          {connectionNodes(grants.data?.grants ?? { edges: [] }).map((g) => (
            <option key={g.id} value={g.id}>
              {g.account.email} — {roleLabels[g.role as Role] ?? g.role}
              {g.establishment ? ` — ${g.establishment.name}` : g.laboratory ? ` — ${g.laboratory.name}` : ""}
            </option>
          ))}
        </Select>
        <Button type="submit" disabled={created.fetching}>
          Créer la clé
        </Button>
      </form>
    </>
  );
}
