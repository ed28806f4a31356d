import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Table } from "@codegouvfr/react-dsfr/Table";
import type { ReactNode } from "react";

import { DownloadCsvButton } from "../../../components/DownloadCsvButton";
import { useFragment, type FragmentType } from "../../../graphql";
import { formatCount, plural } from "../../../lib/format";
import { ImportReportFieldsFragment } from "../api/submit-file";

const statusViews: Record<string, { severity: "success" | "warning" | "error" | "info"; title: string }> = {
  ACCEPTED: { severity: "success", title: "Lot accepté" },
  PARTIAL: { severity: "warning", title: "Lot partiellement accepté" },
  REJECTED: { severity: "error", title: "Lot rejeté" },
  DRY_RUN: { severity: "info", title: "Contrôle à blanc terminé (rien n'a été enregistré)" },
  PENDING: { severity: "info", title: "Lot en cours de traitement" },
};

/** Headers of the problems table and its CSV export. */
const problemHeaders = ["Ligne", "Colonne", "Valeur", "Gravité", "Code", "Message"];

/** How each severity reads: an error rejects its row, a warning does not. */
const severityViews: Record<string, { severity: "error" | "warning"; label: string }> = {
  ERROR: { severity: "error", label: "Erreur" },
  WARNING: { severity: "warning", label: "Avertissement" },
};

/** The execution report of a batch: status, counts, dose classes and every problem (downloadable). */
export function ImportReportView({ report: masked }: { report: FragmentType<typeof ImportReportFieldsFragment> }) {
  const report = useFragment(ImportReportFieldsFragment, masked);
  const view = statusViews[report.status] ?? statusViews.PENDING!;
  const severityOf = (s: string) => severityViews[s] ?? severityViews.ERROR!;
  const rows = report.problems.map((p) => [String(p.line), p.column ?? "—", p.value ?? "", severityOf(p.severity).label, p.code, p.message]);
  const cells = report.problems.map((p, i) => {
    const sv = severityOf(p.severity);
    const row: ReactNode[] = [...rows[i]!];
    row[3] = (
      <Badge key="severity" small noIcon severity={sv.severity}>
        {sv.label}
      </Badge>
    );
    return row;
  });
  const errorCount = report.problemCount - report.warningCount;
  return (
    <section aria-labelledby="rapport-titre" className={fr.cx("fr-mt-4w")}>
      <h2 id="rapport-titre" className={fr.cx("fr-h4")}>
        Rapport d'exécution — {report.reference}
      </h2>
      <Alert
        severity={view.severity}
        title={view.title}
        description={
          `${plural(report.rowsTotal, "ligne lue", "lignes lues")}, ${plural(report.rowsAccepted, "acceptée", "acceptées")}, ` +
          `${plural(report.rowsRejected, "rejetée", "rejetées")}.` +
          (report.warningCount
            ? ` ${plural(report.warningCount, "avertissement", "avertissements")} (un avertissement ne rejette pas sa ligne).`
            : "") +
          (report.anomaliesRaised ? ` ${plural(report.anomaliesRaised, "anomalie détectée", "anomalies détectées")}.` : "") +
          (report.workersCreated || report.employmentsCreated
            ? ` ${plural(report.workersCreated, "travailleur créé ou mis à jour", "travailleurs créés ou mis à jour")}, ${plural(report.employmentsCreated, "emploi", "emplois")}.`
            : "") +
          (report.replayed ? " Cette référence avait déjà été déposée : voici le premier rapport, rien n'a été enregistré à nouveau." : "")
        }
      />
      {report.doseClasses && report.doseClasses.length > 0 && (
        <Table
          className={fr.cx("fr-mt-2w")}
          caption="Répartition des doses du lot"
          bordered
          headers={["Classe de dose", "Nombre"]}
          data={report.doseClasses.map((c) => [c.label, formatCount(c.count)])}
        />
      )}
      {report.problemCount > 0 && (
        <>
          <Table
            caption={
              `Erreurs et avertissements (${formatCount(report.problemCount)}` +
              (report.warningCount > 0 ? ` : ${plural(errorCount, "erreur", "erreurs")}, ${plural(report.warningCount, "avertissement", "avertissements")})` : ")")
            }
            bordered
            fixed={false}
            headers={problemHeaders}
            data={cells}
          />
          <DownloadCsvButton filename={`rapport-${report.reference}.csv`} headers={problemHeaders} rows={rows} label="Télécharger le rapport (CSV)" />
        </>
      )}
    </section>
  );
}
