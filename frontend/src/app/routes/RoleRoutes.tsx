import { useState } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { useParams } from "react-router";

import { AdviserWorkerFile } from "../../features/adviser/components/AdviserWorkerFile";
import { ContextComparison } from "../../features/adviser/components/ContextComparison";
import { AdminAccounts } from "../../features/administration/components/AdminAccounts";
import { AdminApiKeys } from "../../features/administration/components/AdminApiKeys";
import { AdminCompanies } from "../../features/administration/components/AdminCompanies";
import { AdminGrants } from "../../features/administration/components/AdminGrants";
import { AdminLaboratories } from "../../features/administration/components/AdminLaboratories";
import { AdminNomenclatures } from "../../features/administration/components/AdminNomenclatures";
import { AnomalyTriage } from "../../features/anomaly-triage/components/AnomalyTriage";
import { BatchFindings } from "../../features/batch-findings/components/BatchFindings";
import { ConflictInbox } from "../../features/correction-conflicts/components/ConflictInbox";
import { ConstraintNotices } from "../../features/dose-constraints/components/ConstraintNotices";
import { EstablishmentConstraints } from "../../features/dose-constraints/components/EstablishmentConstraints";
import { EmployerExceedances } from "../../features/employer/components/EmployerExceedances";
import { BatchHistory } from "../../features/file-upload/components/BatchHistory";
import { FileUpload } from "../../features/file-upload/components/FileUpload";
import { NotificationCentre } from "../../features/live-alerts/components/NotificationCentre";
import { useLiveAlerts } from "../../features/live-alerts/hooks/useLiveAlerts";
import { CertificateDownload } from "../../features/certificate/components/CertificateDownload";
import { DoseCertificate } from "../../features/my-dosimetry/components/DoseCertificate";
import { AnomalyStatistics } from "../../features/national-statistics/components/AnomalyStatistics";
import { useCurrentViewer } from "../../features/session/hooks/useCurrentViewer";
import { ClaimCodePanel } from "../../features/worker-file/components/ClaimCodePanel";
import { PhysicianWorkerFile } from "../../features/worker-file/components/PhysicianWorkerFile";
import { primaryRole } from "../../lib/navigation";
import { grantEstablishments } from "./HomeRoute";

/** `/mon-suivi/attestation`: the worker's printable certificate. */
export function CertificateRoute() {
  const viewer = useCurrentViewer();
  const workerID = viewer.grants.find((g) => g.role === "WORKER" && g.workerID)?.workerID;
  return workerID ? <DoseCertificate workerID={workerID} /> : null;
}

/** `/travailleurs-suivis/:id`: a followed worker's file. */
export function WorkerFileRoute() {
  const { id } = useParams();
  const viewer = useCurrentViewer();
  return (
    <>
      <PhysicianWorkerFile key={id} workerID={id!} canRecord={primaryRole(viewer) === "OCCUPATIONAL_PHYSICIAN"} />
      <CertificateDownload workerID={id!} holder="worker" />
      {primaryRole(viewer) === "OCCUPATIONAL_PHYSICIAN" && <ClaimCodePanel key={`c-${id}`} workerID={id!} />}
      <h2 className={fr.cx("fr-h4", "fr-mt-6w")}>Anomalies de ce travailleur</h2>
      <AnomalyTriage key={`a-${id}`} physician workerID={id!} />
    </>
  );
}

/** `/conseiller/travailleurs/:id`: the adviser's file of a worker, with the worker's anomalies to triage. */
export function AdviserWorkerFileRoute() {
  const { id } = useParams();
  const { alerts } = useLiveAlerts();
  return (
    <>
      <AdviserWorkerFile key={id} workerID={id!} />
      <h2 className={fr.cx("fr-h4", "fr-mt-6w")}>Anomalies de ce travailleur</h2>
      <AnomalyTriage key={`a-${id}`} physician={false} workerID={id!} refreshKey={alerts.length} />
    </>
  );
}

/** `/anomalies`: triage, refreshed when a live alert arrives. */
export function AnomaliesRoute() {
  const viewer = useCurrentViewer();
  const { alerts } = useLiveAlerts();
  const physician = viewer.roles.includes("OCCUPATIONAL_PHYSICIAN") || viewer.roles.includes("PHYSICIAN_DELEGATE");
  return (
    <>
      <h1>Anomalies</h1>
      <AnomalyTriage physician={physician} refreshKey={alerts.length} />
    </>
  );
}

/** `/conflits-correction`: the correction conflicts; the physician decides, the delegate reads. */
export function ConflictsRoute() {
  const viewer = useCurrentViewer();
  return (
    <>
      <h1>Conflits de correction</h1>
      <ConflictInbox canDecide={primaryRole(viewer) === "OCCUPATIONAL_PHYSICIAN"} />
    </>
  );
}

/** `/notifications`: the notification centre. */
export function NotificationsRoute() {
  return <NotificationCentre />;
}

/** `/contexte-national`: the adviser's comparison with national statistics. */
export function ContextRoute() {
  const viewer = useCurrentViewer();
  const ids = grantEstablishments(viewer, ["RADIATION_PROTECTION_ADVISER"]);
  return (
    <>
      <h1>Comparaison avec le contexte national</h1>
      <ContextComparison establishmentID={ids[0] ?? ""} />
    </>
  );
}

/** `/depot-declarations`: the employer's bulk declarations upload and history. */
export function DeclarationsUploadRoute() {
  const [batches, setBatches] = useState(0);
  return (
    <>
      <h1>Dépôt de déclarations</h1>
      <FileUpload
        format="DECLARATIONS"
        prefix="DECL"
        hint="Format « déclarations » v1 : travailleurs et emplois, fichier CSV séparé par des points-virgules, en UTF-8."
        onSubmitted={() => setBatches((n) => n + 1)}
      />
      <h2 className={fr.cx("fr-h4", "fr-mt-6w")}>Derniers dépôts</h2>
      <BatchHistory key={batches} format="DECLARATIONS" />
    </>
  );
}

/** `/depassements`: the employer's limit exceedances, without values. */
export function ExceedancesRoute() {
  const { alerts } = useLiveAlerts();
  return (
    <>
      <h1>Dépassements de limites</h1>
      <EmployerExceedances key={alerts.length} />
    </>
  );
}

/** `/lots`: the laboratory's batch history. */
export function BatchesRoute() {
  return (
    <>
      <h1>Historique des lots</h1>
      <BatchHistory format="LAB_RESULTS" />
    </>
  );
}

/** `/lots-atypiques`: the batches that depart from the laboratory's past and from the other laboratories. */
export function BatchFindingsRoute() {
  const viewer = useCurrentViewer();
  return (
    <>
      <h1>Lots atypiques</h1>
      <p>
        Un lot est atypique quand, dans un même contexte d'exposition, sa part de résultats nuls, son niveau médian ou son
        seuil d'enregistrement s'écarte nettement à la fois des lots précédents du laboratoire et des autres laboratoires sur
        les mêmes mois. Les anomalies individuelles qu'il explique lui sont rattachées.
      </p>
      <BatchFindings showLaboratory={primaryRole(viewer) !== "LABORATORY"} />
    </>
  );
}

/** `/statistiques/anomalies`: anomaly statistics. */
export function AnomalyStatisticsRoute() {
  return (
    <>
      <h1>Statistiques des anomalies</h1>
      <AnomalyStatistics />
    </>
  );
}

/** The administration pages. */
export function AdminPageRoute({ page }: { page: "comptes" | "habilitations" | "cles-api" | "nomenclatures" | "entreprises" | "laboratoires" }) {
  const titles = {
    comptes: "Comptes",
    habilitations: "Habilitations",
    "cles-api": "Clés d'API partenaires",
    nomenclatures: "Nomenclatures",
    entreprises: "Entreprises",
    laboratoires: "Laboratoires",
  };
  return (
    <>
      <h1>{titles[page]}</h1>
      {page === "comptes" && <AdminAccounts />}
      {page === "habilitations" && <AdminGrants />}
      {page === "cles-api" && <AdminApiKeys />}
      {page === "nomenclatures" && <AdminNomenclatures />}
      {page === "entreprises" && <AdminCompanies />}
      {page === "laboratoires" && <AdminLaboratories />}
    </>
  );
}

/** The roles that read an establishment's dose constraints, and those that set them. */
const constraintReaders = ["RADIATION_PROTECTION_ADVISER", "EMPLOYER_CORRESPONDENT", "OCCUPATIONAL_PHYSICIAN", "CONTROL_AGENT"] as const;
const constraintSetters = ["RADIATION_PROTECTION_ADVISER", "EMPLOYER_CORRESPONDENT"];

/** `/contraintes-de-dose`: the dose constraints of the caller's establishments (set by the adviser or correspondent). */
export function DoseConstraintsRoute() {
  const viewer = useCurrentViewer();
  const role = primaryRole(viewer);
  const ids = grantEstablishments(viewer, role ? [role] : [...constraintReaders]);
  return (
    <>
      <h1>Contraintes de dose</h1>
      <p className={fr.cx("fr-text--lead")}>
        Contraintes de dose de l'employeur, fixées par le conseiller en radioprotection pour l'établissement ou un
        métier, en mSv sur 12 mois glissants. Chaque résultat est comparé à la contrainte au prorata de sa période de
        port ; sans contrainte fixée, le niveau par défaut est 3/10 de la limite.
      </p>
      {ids.length === 0 && <p>Aucun établissement n'est rattaché à votre habilitation.</p>}
      {ids.map((id) => (
        <EstablishmentConstraints key={id} establishmentId={id} canEdit={!!role && constraintSetters.includes(role)} />
      ))}
    </>
  );
}

/** `/avis-contrainte`: the notices of results above their dose constraint, apart from the anomalies. */
export function ConstraintNoticesRoute() {
  return (
    <>
      <h1>Avis de dépassement de contrainte</h1>
      <ConstraintNotices />
    </>
  );
}
