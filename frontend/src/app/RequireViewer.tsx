import { useEffect, type ReactNode } from "react";
import { fr } from "@codegouvfr/react-dsfr";

import { Loading } from "../components/Loading";
import { QueryErrorAlert } from "../components/QueryErrorAlert";
import { useViewer } from "../features/session/api/get-viewer";
import { CurrentViewerContext } from "../features/session/hooks/useCurrentViewer";
import { hasErrorCode } from "../lib/errors";
import { markSignedIn } from "../lib/session-marker";

/**
 * Renders its children for a signed-in caller only. Without a session the
 * client's error exchange sends the user to the sign-in page.
 */
export function RequireViewer({ children }: { children: ReactNode }) {
  const [{ data, error }] = useViewer();
  const me = data?.me;

  useEffect(() => {
    if (me) markSignedIn();
  }, [me]);

  if (me) {
    return <CurrentViewerContext.Provider value={me}>{children}</CurrentViewerContext.Provider>;
  }
  if (error && !hasErrorCode(error, "UNAUTHENTICATED")) {
    return (
      <main className={fr.cx("fr-container")}>
        <QueryErrorAlert error={error} />
      </main>
    );
  }
  return (
    <main className={fr.cx("fr-container")}>
      <Loading label={error ? "Redirection vers la page de connexion…" : "Chargement de votre session…"} />
    </main>
  );
}
