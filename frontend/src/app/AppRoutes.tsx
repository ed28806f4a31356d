import type { ReactNode } from "react";
import { Route, Routes } from "react-router";

import type { Role } from "../graphql/graphql";
import { AppLayout } from "./AppLayout";
import { PublicLayout } from "./PublicLayout";
import { RequireRole } from "./RequireRole";
import { RequireViewer } from "./RequireViewer";
import { AccountSecurity } from "../features/session/components/AccountSecurity";
import { AccountRoute, EmailNotificationsRoute } from "./routes/AccountRoute";
import { ActivationRoute } from "./routes/ActivationRoute";
import { EstablishmentsRoute } from "./routes/EstablishmentsRoute";
import { HomeRoute } from "./routes/HomeRoute";
import { NotFoundRoute } from "./routes/NotFoundRoute";
import {
  AdminPageRoute,
  AdviserWorkerFileRoute,
  AnomaliesRoute,
  AnomalyStatisticsRoute,
  BatchesRoute,
  BatchFindingsRoute,
  CertificateRoute,
  ConflictsRoute,
  ConstraintNoticesRoute,
  ContextRoute,
  DeclarationsUploadRoute,
  DoseConstraintsRoute,
  ExceedancesRoute,
  NotificationsRoute,
  WorkerFileRoute,
} from "./routes/RoleRoutes";
import { SignInRoute } from "./routes/SignInRoute";
import { VerificationRoute } from "./routes/VerificationRoute";
import { WorkerClaimRoute } from "./routes/WorkerClaimRoute";
import { WorkersRoute } from "./routes/WorkersRoute";
import { signInPath } from "./sign-in-redirect";

const physicians: Role[] = ["OCCUPATIONAL_PHYSICIAN", "PHYSICIAN_DELEGATE"];
const clinicians: Role[] = [...physicians, "RADIATION_PROTECTION_ADVISER"];

/** A route open only to `role`. */
function only(role: Role | Role[], element: ReactNode) {
  return <RequireRole role={role}>{element}</RequireRole>;
}

/** The application's routes; every page but sign-in, activation and certificate verification needs a session. */
export function AppRoutes() {
  return (
    <Routes>
      <Route element={<PublicLayout />}>
        <Route path={signInPath} element={<SignInRoute />} />
        <Route path={`${signInPath}/code-travailleur`} element={<WorkerClaimRoute />} />
        <Route path="activation/:token" element={<ActivationRoute />} />
        <Route path="verification" element={<VerificationRoute />} />
        <Route path="verification/:id" element={<VerificationRoute />} />
      </Route>
      <Route
        element={
          <RequireViewer>
            <AppLayout />
          </RequireViewer>
        }
      >
        <Route index element={<HomeRoute />} />
        <Route path="compte" element={<AccountRoute />} />
        <Route path="compte/securite" element={<AccountSecurity />} />
        <Route path="compte/notifications" element={<EmailNotificationsRoute />} />
        <Route path="mon-suivi/attestation" element={only("WORKER", <CertificateRoute />)} />
        <Route path="travailleurs-suivis/:id" element={only(physicians, <WorkerFileRoute />)} />
        <Route path="conflits-correction" element={only(physicians, <ConflictsRoute />)} />
        <Route path="anomalies" element={only(clinicians, <AnomaliesRoute />)} />
        <Route path="notifications" element={only([...clinicians, "EMPLOYER_CORRESPONDENT"], <NotificationsRoute />)} />
        <Route
          path="contraintes-de-dose"
          element={only(["OCCUPATIONAL_PHYSICIAN", "RADIATION_PROTECTION_ADVISER", "EMPLOYER_CORRESPONDENT", "CONTROL_AGENT"], <DoseConstraintsRoute />)}
        />
        <Route path="avis-contrainte" element={only(clinicians, <ConstraintNoticesRoute />)} />
        <Route path="conseiller/travailleurs/:id" element={only("RADIATION_PROTECTION_ADVISER", <AdviserWorkerFileRoute />)} />
        <Route path="contexte-national" element={only("RADIATION_PROTECTION_ADVISER", <ContextRoute />)} />
        <Route path="depot-declarations" element={only("EMPLOYER_CORRESPONDENT", <DeclarationsUploadRoute />)} />
        <Route path="depassements" element={only("EMPLOYER_CORRESPONDENT", <ExceedancesRoute />)} />
        <Route path="lots" element={only("LABORATORY", <BatchesRoute />)} />
        <Route path="lots-atypiques" element={only(["LABORATORY", "ANALYST", "ADMIN"], <BatchFindingsRoute />)} />
        <Route path="statistiques/anomalies" element={only("ANALYST", <AnomalyStatisticsRoute />)} />
        <Route path="travailleurs" element={only("ADMIN", <WorkersRoute />)} />
        <Route path="etablissements" element={only("ADMIN", <EstablishmentsRoute />)} />
        <Route path="administration/comptes" element={only("ADMIN", <AdminPageRoute page="comptes" />)} />
        <Route path="administration/habilitations" element={only("ADMIN", <AdminPageRoute page="habilitations" />)} />
        <Route path="administration/cles-api" element={only("ADMIN", <AdminPageRoute page="cles-api" />)} />
        <Route path="administration/nomenclatures" element={only("ADMIN", <AdminPageRoute page="nomenclatures" />)} />
        <Route path="administration/entreprises" element={only("ADMIN", <AdminPageRoute page="entreprises" />)} />
        <Route path="administration/laboratoires" element={only("ADMIN", <AdminPageRoute page="laboratoires" />)} />
        <Route path="*" element={<NotFoundRoute />} />
      </Route>
    </Routes>
  );
}
