import { useState } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";

import { ConnectionTable } from "../../../components/ConnectionTable";
import { useCursorStack } from "../../../hooks/useCursorStack";
import { apiError } from "../../../lib/errors";
import { formatDateTime, plural } from "../../../lib/format";
import { useFragment, type FragmentType } from "../../../graphql";
import { InvitationFieldsFragment, useAdminAccounts, useInviteAccount, useReissueActivation } from "../api/admin-operations";
import { ActivationLinkNotice, type IssuedLink } from "./ActivationLinkNotice";
import { fieldState, optional, otherError } from "./field-state";

const emptyForm = { email: "", displayName: "", rpps: "" };

/** The link to show, from an invitation the server returned. */
function issuedLink(masked: FragmentType<typeof InvitationFieldsFragment>): IssuedLink {
  // Not a hook: the client preset's name for reading a fragment.
  const inv = useFragment(InvitationFieldsFragment, masked);
  return { ...inv.account, activationLink: inv.activationLink, expiresAt: inv.expiresAt };
}

/** Accounts, the form that invites one, and new activation links for lost or expired ones. */
export function AdminAccounts() {
  const pages = useCursorStack();
  const [{ data, error }, refetch] = useAdminAccounts(pages.after);
  const [invited, invite] = useInviteAccount();
  const [reissued, reissue] = useReissueActivation();
  const [form, setForm] = useState(emptyForm);
  const [issued, setIssued] = useState<{ title: string; link: IssuedLink } | null>(null);
  const e = invited.error ? apiError(invited.error) : null;

  async function submit(ev: React.FormEvent) {
    ev.preventDefault();
    setIssued(null);
    const res = await invite({ input: { email: form.email.trim(), displayName: form.displayName.trim(), rpps: optional(form.rpps) } });
    if (!res.error && res.data) {
      const link = issuedLink(res.data.inviteAccount);
      setIssued({ title: `Compte ${link.email} créé`, link });
      setForm(emptyForm);
      refetch({ requestPolicy: "network-only" });
    }
  }

  async function reissueFor(accountID: string) {
    setIssued(null);
    const res = await reissue({ accountID });
    if (!res.error && res.data) {
      const link = issuedLink(res.data.reissueActivation);
      setIssued({ title: `Nouveau lien d'activation pour ${link.email}`, link });
    }
  }

  return (
    <>
      {issued && <ActivationLinkNotice title={issued.title} link={issued.link} />}
      {reissued.error && <Alert severity="error" small description={apiError(reissued.error).message} className={fr.cx("fr-mb-2w")} />}
      <ConnectionTable
        error={error}
        connection={data?.accounts}
        pages={pages}
        caption={(n) => plural(n, "compte", "comptes")}
        empty="Aucun compte."
        headers={["Adresse électronique", "Nom", "Actif", "Dernière connexion", "Action"]}
        row={(a) => [
          a.email,
          a.displayName,
          a.active ? "Oui" : "Non",
          formatDateTime(a.lastLoginAt),
          a.active ? (
            <Button key="r" size="small" priority="tertiary" disabled={reissued.fetching} onClick={() => reissueFor(a.id)}>
              Renvoyer un lien d'activation
            </Button>
          ) : (
            "—"
          ),
        ]}
      />
      <form onSubmit={submit} className={fr.cx("fr-mt-4w")} aria-label="Créer un compte">
        <h2 className={fr.cx("fr-h5")}>Créer un compte</h2>
        <p className={fr.cx("fr-hint-text")}>
          Le compte est créé sans mot de passe : son titulaire le choisit avec le lien d'activation affiché une seule fois,
          valable 24 heures. Ajoutez ensuite ses habilitations.
        </p>
        {otherError(e, ["email", "displayName", "rpps"]) && (
          <Alert severity="error" small description={e.message} className={fr.cx("fr-mb-2w")} />
        )}
        <Input
          label="Adresse électronique du compte"
          {...fieldState(e, "email")}
          nativeInputProps={{ type: "email", required: true, value: form.email, onChange: (ev) => setForm({ ...form, email: ev.target.value }) }}
        />
        <Input
          label="Nom affiché"
          {...fieldState(e, "displayName")}
          nativeInputProps={{ required: true, value: form.displayName, onChange: (ev) => setForm({ ...form, displayName: ev.target.value }) }}
        />
        <Input
          label="Numéro RPPS (facultatif)"
          hintText="Pour un professionnel de santé : 11 chiffres."
          {...fieldState(e, "rpps")}
          nativeInputProps={{ inputMode: "numeric", value: form.rpps, onChange: (ev) => setForm({ ...form, rpps: ev.target.value }) }}
        />
        <Button type="submit" disabled={invited.fetching}>
          Créer le compte
        </Button>
      </form>
    </>
  );
}
