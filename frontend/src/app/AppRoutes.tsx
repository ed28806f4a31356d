import { Route, Routes } from "react-router";

import { AppLayout } from "./AppLayout";
import { PublicLayout } from "./PublicLayout";
import { RequireRole } from "./RequireRole";
import { RequireViewer } from "./RequireViewer";
import { EstablishmentsRoute } from "./routes/EstablishmentsRoute";
import { HomeRoute } from "./routes/HomeRoute";
import { NotFoundRoute } from "./routes/NotFoundRoute";
import { SignInRoute } from "./routes/SignInRoute";
import { WorkersRoute } from "./routes/WorkersRoute";
import { signInPath } from "./sign-in-redirect";

/** The application's routes; every page but sign-in needs a session. */
export function AppRoutes() {
  return (
    <Routes>
      <Route element={<PublicLayout />}>
        <Route path={signInPath} element={<SignInRoute />} />
      </Route>
      <Route
        element={
          <RequireViewer>
            <AppLayout />
          </RequireViewer>
        }
      >
        <Route index element={<HomeRoute />} />
        <Route
          path="travailleurs"
          element={
            <RequireRole role="ADMIN">
              <WorkersRoute />
            </RequireRole>
          }
        />
        <Route
          path="etablissements"
          element={
            <RequireRole role="ADMIN">
              <EstablishmentsRoute />
            </RequireRole>
          }
        />
        <Route path="*" element={<NotFoundRoute />} />
      </Route>
    </Routes>
  );
}
