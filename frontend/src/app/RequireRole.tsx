import type { ReactNode } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";

import { useCurrentViewer } from "../features/session/hooks/useCurrentViewer";
import type { Role } from "../graphql/graphql";

/** Renders its children only when the signed-in caller holds `role` (or one of them). */
export function RequireRole({ role, children }: { role: Role | Role[]; children: ReactNode }) {
  const viewer = useCurrentViewer();
  const allowed = Array.isArray(role) ? role : [role];
  if (viewer.roles.some((r) => allowed.includes(r))) return <>{children}</>;
  return (
    <Alert
      className={fr.cx("fr-my-4w")}
      severity="warning"
      title="Accès refusé"
      description="Vos rôles ne vous donnent pas accès à cette page."
    />
  );
}
