import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Table } from "@codegouvfr/react-dsfr/Table";

import type { DoseConstraintLimitCode } from "../../../graphql/graphql";
import { formatMsv, limitLabels } from "../../../lib/dose";
import { apiError } from "../../../lib/errors";
import { formatDate, plural } from "../../../lib/format";
import { useEndDoseConstraint } from "../api/end-dose-constraint";
import { useDoseConstraints } from "../api/get-dose-constraints";
import { defaultLimitsMsv } from "./constraint-input";
import { DoseConstraintForm } from "./DoseConstraintForm";

/**
 * An establishment's dose constraints: those in force and the defaults (3/10
 * of the limit) of the limits with none, their history, and for the adviser
 * or the employer correspondent the form that sets one and the button that
 * ends one.
 */
export function DoseConstraints({ establishmentId, canEdit }: { establishmentId: string; canEdit: boolean }) {
  const [{ data, error, fetching }, refetch] = useDoseConstraints(establishmentId);
  const [ending, end] = useEndDoseConstraint();
  const reload = () => refetch({ requestPolicy: "network-only" });
  const entries = data?.doseConstraints ?? [];
  const current = entries.filter((e) => !e.constraint?.validTo);
  const ended = entries.filter((e) => e.constraint?.validTo);
  const limitsMsv = { ...defaultLimitsMsv };
  for (const e of entries) limitsMsv[e.limit as DoseConstraintLimitCode] = e.limitMsv;
  const endError = ending.error ? apiError(ending.error) : null;

  if (error) return <Alert severity="error" small description={apiError(error).message} />;
  if (fetching && !data) return <p>Chargement des contraintes de dose…</p>;
  return (
    <>
      {endError && <Alert severity="error" small description={endError.message} className={fr.cx("fr-mb-2w")} />}
      <Table
        caption={plural(current.length, "contrainte de dose applicable", "contraintes de dose applicables")}
        bordered
        fixed={false}
        headers={["Limite", "Métier", "Valeur sur 12 mois", "Depuis le", "Fixée par", ...(canEdit ? ["Action"] : [])]}
        data={current.map((e) => {
          const c = e.constraint;
          const row = [
            limitLabels[e.limit],
            e.jobCode ?? "Tous métiers",
            c ? (
              formatMsv(e.annualMsv)
            ) : (
              <>
                {formatMsv(e.annualMsv)}{" "}
                <Badge small noIcon severity="info">
                  Par défaut (3/10 de la limite)
                </Badge>
              </>
            ),
            c ? formatDate(c.validFrom) : "—",
            c ? c.setByName : "Niveau par défaut",
          ];
          if (canEdit)
            row.push(
              c ? (
                <Button
                  key="end"
                  size="small"
                  priority="secondary"
                  disabled={ending.fetching}
                  onClick={async () => {
                    const res = await end({ id: c.id });
                    if (!res.error) reload();
                  }}
                  title={`Mettre fin à la contrainte ${limitLabels[e.limit]} — ${e.jobCode ?? "tous métiers"}`}
                >
                  Mettre fin
                </Button>
              ) : (
                "—"
              ),
            );
          return row;
        })}
      />
      {ended.length > 0 && (
        <Table
          caption={plural(ended.length, "contrainte de dose terminée", "contraintes de dose terminées")}
          bordered
          fixed={false}
          headers={["Limite", "Métier", "Valeur sur 12 mois", "Du", "Au", "Fixée par", "Terminée par", "Commentaire"]}
          data={ended.map((e) => [
            limitLabels[e.limit],
            e.jobCode ?? "Tous métiers",
            formatMsv(e.annualMsv),
            formatDate(e.constraint!.validFrom),
            formatDate(e.constraint!.validTo),
            e.constraint!.setByName,
            e.constraint!.endedByName ?? "—",
            e.constraint!.comment || "—",
          ])}
        />
      )}
      {canEdit && <DoseConstraintForm establishmentId={establishmentId} limitsMsv={limitsMsv} onDone={reload} />}
    </>
  );
}
