import { fr } from "@codegouvfr/react-dsfr";
import type { MainNavigationProps } from "@codegouvfr/react-dsfr/MainNavigation";
import { Outlet, useLocation } from "react-router";

import { useSignOut } from "../features/session/api/sign-out";
import { useCurrentViewer } from "../features/session/hooks/useCurrentViewer";
import { clearSignedIn } from "../lib/session-marker";
import { SiteFooter } from "./SiteFooter";
import { SiteHeader } from "./SiteHeader";

/** The signed-in shell: header with navigation and account, page, footer. */
export function AppLayout() {
  const viewer = useCurrentViewer();
  const { pathname } = useLocation();
  const [{ fetching }, signOut] = useSignOut();

  const navigation: MainNavigationProps.Item[] = [
    { text: "Accueil", linkProps: { to: "/" }, isActive: pathname === "/" },
  ];
  if (viewer.roles.includes("ADMIN")) {
    navigation.push(
      { text: "Travailleurs", linkProps: { to: "/travailleurs" }, isActive: pathname.startsWith("/travailleurs") },
      { text: "Établissements", linkProps: { to: "/etablissements" }, isActive: pathname.startsWith("/etablissements") },
    );
  }

  async function onSignOut() {
    await signOut();
    // Whatever the answer (an expired session is fine), forget the session.
    clearSignedIn();
    // A full load drops every cached answer of the previous user.
    window.location.assign("/connexion?deconnexion=1");
  }

  return (
    <>
      <SiteHeader
        navigation={navigation}
        quickAccessItems={[
          { iconId: "fr-icon-account-circle-line", text: viewer.account.displayName, linkProps: { to: "/" } },
          {
            iconId: "fr-icon-logout-box-r-line",
            text: "Se déconnecter",
            buttonProps: { onClick: onSignOut, disabled: fetching },
          },
        ]}
      />
      <main id="contenu" className={fr.cx("fr-container", "fr-py-4w")} tabIndex={-1}>
        <Outlet />
      </main>
      <SiteFooter />
    </>
  );
}
