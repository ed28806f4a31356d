import { fr } from "@codegouvfr/react-dsfr";
import { CallOut } from "@codegouvfr/react-dsfr/CallOut";
import { Tile } from "@codegouvfr/react-dsfr/Tile";

import { AdviserActions } from "../../features/adviser/components/AdviserActions";
import { AdviserWorkers } from "../../features/adviser/components/AdviserWorkers";
import { EmployerDeclarations } from "../../features/employer/components/EmployerDeclarations";
import { ExceedanceNotices } from "../../features/exceedance-notices/components/ExceedanceNotices";
import { BatchHistory } from "../../features/file-upload/components/BatchHistory";
import { FileUpload } from "../../features/file-upload/components/FileUpload";
import { FollowedWorkers } from "../../features/followed-workers/components/FollowedWorkers";
import { MyDosimetry } from "../../features/my-dosimetry/components/MyDosimetry";
import { NationalStatistics } from "../../features/national-statistics/components/NationalStatistics";
import { RegionalControl } from "../../features/regional-control/components/RegionalControl";
import { useLiveAlerts } from "../../features/live-alerts/hooks/useLiveAlerts";
import { useCurrentViewer, type CurrentViewer } from "../../features/session/hooks/useCurrentViewer";
import type { Role } from "../../graphql/graphql";
import { navigationByRole, primaryRole } from "../../lib/navigation";
import { useState } from "react";

/** The IDs of the establishments of the viewer's grants for `role`. */
export function grantEstablishments(viewer: CurrentViewer, roles: Role[]): string[] {
  return [...new Set(viewer.grants.filter((g) => roles.includes(g.role) && g.establishmentID).map((g) => g.establishmentID!))];
}

/** The laboratory results upload, then the batch history refreshed after each stored batch. */
function LaboratoryHome() {
  const [batches, setBatches] = useState(0);
  return (
    <>
      <h1>Dépôt de résultats de dosimétrie</h1>
      <FileUpload
        format="LAB_RESULTS"
        prefix="LABO"
        hint="Format « résultats de laboratoire » v1 : fichier CSV séparé par des points-virgules, en UTF-8."
        onSubmitted={() => setBatches((n) => n + 1)}
      />
      <h2 className={fr.cx("fr-h4", "fr-mt-6w")}>Derniers lots déposés</h2>
      <BatchHistory key={batches} format="LAB_RESULTS" />
    </>
  );
}

/** The adviser's dashboard: what needs action (refreshed by live alerts), then the workers. */
function AdviserHome() {
  const { alerts } = useLiveAlerts();
  return (
    <>
      <h1>Tableau de bord de radioprotection</h1>
      <AdviserActions refreshKey={alerts.length} />
      <h2 className={fr.cx("fr-h4")}>Travailleurs de vos établissements</h2>
      <AdviserWorkers />
    </>
  );
}

function AdminHome() {
  return (
    <>
      <h1>Administration de SISERI</h1>
      <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
        {navigationByRole.ADMIN.slice(1).map((item) => (
          <div key={item.to} className={fr.cx("fr-col-12", "fr-col-md-4")}>
            <Tile title={item.text} linkProps={{ to: item.to }} enlargeLinkOrButton orientation="horizontal" />
          </div>
        ))}
      </div>
    </>
  );
}

/** `/`: the dashboard of the signed-in user's role. */
export function HomeRoute() {
  const viewer = useCurrentViewer();
  const role = primaryRole(viewer);
  switch (role) {
    case "WORKER": {
      const workerID = viewer.grants.find((g) => g.role === "WORKER" && g.workerID)?.workerID;
      return workerID ? <MyDosimetry workerID={workerID} /> : <CallOut title="Aucun dossier rattaché">Votre compte n'est rattaché à aucun travailleur.</CallOut>;
    }
    case "OCCUPATIONAL_PHYSICIAN":
    case "PHYSICIAN_DELEGATE":
      return (
        <>
          <h1>Mes travailleurs suivis</h1>
          <FollowedWorkers establishmentIDs={grantEstablishments(viewer, [role])} linkBase="/travailleurs-suivis" />
        </>
      );
    case "RADIATION_PROTECTION_ADVISER":
      return <AdviserHome />;
    case "EMPLOYER_CORRESPONDENT":
      return (
        <>
          <h1>Déclarations de l'employeur</h1>
          <EmployerDeclarations establishmentIDs={grantEstablishments(viewer, [role])} />
        </>
      );
    case "LABORATORY":
      return <LaboratoryHome />;
    case "CONTROL_AGENT":
      return (
        <>
          <h1>Contrôle régional</h1>
          <RegionalControl region={viewer.grants.find((g) => g.role === "CONTROL_AGENT")?.region ?? null} />
        </>
      );
    case "ANALYST":
      return (
        <>
          <h1>Statistiques nationales</h1>
          <NationalStatistics />
        </>
      );
    case "ADMIN":
      return <AdminHome />;
    case "LABOUR_MINISTRY":
      return (
        <>
          <h1>Signalements anonymes de dépassements</h1>
          <ExceedanceNotices />
        </>
      );
    default:
      return (
        <CallOut title="Aucun rôle actif">Votre compte n'a aucune habilitation active. Contactez votre administrateur.</CallOut>
      );
  }
}
