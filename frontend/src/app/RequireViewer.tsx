import { useEffect, type ReactNode } from "react";
import { fr } from "@codegouvfr/react-dsfr";

import { Loading } from "../components/Loading";
import { QueryErrorAlert } from "../components/QueryErrorAlert";
import { useViewer } from "../features/session/api/get-viewer";
import { useSignOutAndLeave } from "../features/session/api/sign-out";
import { SecondFactorScreen } from "../features/session/components/SecondFactor";
import { CurrentViewerContext } from "../features/session/hooks/useCurrentViewer";
import { hasErrorCode } from "../lib/errors";
import { markSignedIn } from "../lib/session-marker";
import { SiteFooter } from "./SiteFooter";
import { SiteHeader } from "./SiteHeader";

/**
 * Renders its children for a signed-in caller only. Without a session the
 * client's error exchange sends the user to the sign-in page; a session that
 * waits for its second factor shows the « Vérification en deux étapes »
 * screen instead, whatever the page asked.
 */
export function RequireViewer({ children }: { children: ReactNode }) {
  const [{ data, error }, refetch] = useViewer();
  const [, signOut] = useSignOutAndLeave();
  const me = data?.me;

  useEffect(() => {
    if (me) markSignedIn();
  }, [me]);

  if (me?.secondFactor) {
    return (
      <>
        <SiteHeader />
        <main id="contenu" className={fr.cx("fr-container", "fr-py-4w")} tabIndex={-1}>
          <SecondFactorScreen
            need={me.secondFactor}
            onDone={() => refetch({ requestPolicy: "network-only" })}
            onSignOut={() => void signOut()}
          />
        </main>
        <SiteFooter />
      </>
    );
  }
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
