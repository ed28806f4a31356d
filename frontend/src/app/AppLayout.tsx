import { fr } from "@codegouvfr/react-dsfr";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import type { HeaderProps } from "@codegouvfr/react-dsfr/Header";
import { Outlet, useLocation } from "react-router";

import { useOpenConflictCount } from "../features/correction-conflicts/api/get-open-conflict-count";
import { LiveAlertsProvider } from "../features/live-alerts/components/LiveAlertsProvider";
import { useLiveAlerts } from "../features/live-alerts/hooks/useLiveAlerts";
import { useSignOutAndLeave } from "../features/session/api/sign-out";
import { useCurrentViewer } from "../features/session/hooks/useCurrentViewer";
import { alertAudience, conflictsPath, isActive, navigationByRole, primaryRole, type NavItem } from "../lib/navigation";
import { SiteFooter } from "./SiteFooter";
import { SiteHeader } from "./SiteHeader";

/** The text of a navigation link: the conflicts link carries a badge with the open ones. */
function navText(item: NavItem, openConflicts: number) {
  if (item.to !== conflictsPath || openConflicts === 0) return item.text;
  return (
    <>
      {item.text}{" "}
      <Badge as="span" small noIcon severity="warning">
        {openConflicts}
        <span className={fr.cx("fr-sr-only")}> à trancher</span>
      </Badge>
    </>
  );
}

/** The header of a signed-in page: the role's navigation, notifications, account and sign-out. */
function SignedInHeader() {
  const viewer = useCurrentViewer();
  const { pathname } = useLocation();
  const [{ fetching }, onSignOut] = useSignOutAndLeave(viewer.signedInWith != null);
  const { unread } = useLiveAlerts();
  const role = primaryRole(viewer);
  const navItems = role ? navigationByRole[role] : [];
  const [conflicts] = useOpenConflictCount(!navItems.some((item) => item.to === conflictsPath));
  const navigation = navItems.map((item) => ({
    text: navText(item, conflicts.data?.doseConflicts.totalCount ?? 0),
    linkProps: { to: item.to },
    isActive: isActive(item.to, pathname),
  }));

  const quickAccessItems: HeaderProps.QuickAccessItem[] = [];
  if (alertAudience(role)) {
    quickAccessItems.push({
      iconId: "fr-icon-notification-3-line",
      text: unread ? `Notifications (${unread} non lues)` : "Notifications",
      linkProps: { to: "/notifications" },
    });
  }
  quickAccessItems.push(
    { iconId: "fr-icon-account-circle-line", text: viewer.account.displayName, linkProps: { to: "/compte" } },
    { iconId: "fr-icon-logout-box-r-line", text: "Se déconnecter", buttonProps: { onClick: onSignOut, disabled: fetching } },
  );
  return <SiteHeader navigation={navigation} quickAccessItems={quickAccessItems} />;
}

/** The signed-in shell: header with the role's navigation, the live alerts, page, footer. */
export function AppLayout() {
  const viewer = useCurrentViewer();
  return (
    <LiveAlertsProvider audience={alertAudience(primaryRole(viewer))}>
      <SignedInHeader />
      <main id="contenu" className={fr.cx("fr-container", "fr-py-4w")} tabIndex={-1}>
        <Outlet />
      </main>
      <SiteFooter />
    </LiveAlertsProvider>
  );
}
