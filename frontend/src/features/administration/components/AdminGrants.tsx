import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";

import { ConnectionTable } from "../../../components/ConnectionTable";
import type { Role } from "../../../graphql/graphql";
import { useCursorStack } from "../../../hooks/useCursorStack";
import { apiError } from "../../../lib/errors";
import { formatDateTime, plural } from "../../../lib/format";
import { regionName } from "../../../lib/regions";
import { roleLabels } from "../../../lib/roles";
import { useAdminGrants, useRevokeGrant } from "../api/admin-operations";
import { AdminGrantForm } from "./AdminGrantForm";

/** Grants (role and scope per account), each revocable, and the form that grants one. */
export function AdminGrants() {
  const pages = useCursorStack();
  const [{ data, error }, refetch] = useAdminGrants(pages.after);
  const [revoked, revoke] = useRevokeGrant();
  return (
    <>
      {revoked.error && <Alert severity="error" small description={apiError(revoked.error).message} className={fr.cx("fr-mb-2w")} />}
      <ConnectionTable
        error={error}
        connection={data?.grants}
        pages={pages}
        caption={(n) => plural(n, "habilitation", "habilitations")}
        empty="Aucune habilitation."
        headers={["Compte", "Rôle", "Périmètre", "Début", "Fin", "Action"]}
        row={(g) => [
          g.account.email,
          roleLabels[g.role as Role] ?? g.role,
          g.establishment?.name ?? g.company?.name ?? g.laboratory?.name ?? (g.region ? `Région ${regionName(g.region)}` : "National"),
          formatDateTime(g.validFrom),
          g.revokedAt ? `Révoquée le ${formatDateTime(g.revokedAt)}` : formatDateTime(g.validTo),
          g.revokedAt ? (
            "—"
          ) : (
            <Button
              key="r"
              size="small"
              priority="tertiary"
              disabled={revoked.fetching}
              onClick={async () => {
                if (!window.confirm(`Révoquer l'habilitation ${roleLabels[g.role as Role] ?? g.role} de ${g.account.email} ?`)) return;
                await revoke({ id: g.id });
                refetch({ requestPolicy: "network-only" });
              }}
            >
              Révoquer
            </Button>
          ),
        ]}
      />
      <AdminGrantForm onCreated={() => refetch({ requestPolicy: "network-only" })} />
    </>
  );
}
