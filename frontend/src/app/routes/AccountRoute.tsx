import { fr } from "@codegouvfr/react-dsfr";
import { Link } from "react-router";

import { NotificationSettings } from "../../features/notification-settings/components/NotificationSettings";
import { RoleTags } from "../../features/session/components/RoleTags";
import { useCurrentViewer } from "../../features/session/hooks/useCurrentViewer";

/** Where the signed-in person chooses their e-mail notifications. */
export const emailNotificationsPath = "/compte/notifications";

/** `/compte`: who is signed in and with which roles. */
export function AccountRoute() {
  const { account, roles } = useCurrentViewer();
  return (
    <>
      <h1>Bonjour {account.displayName}</h1>
      <p className={fr.cx("fr-text--lead")}>Vous êtes connecté avec l'adresse {account.email}.</p>
      <h2 className={fr.cx("fr-h4")}>Vos rôles</h2>
      <RoleTags roles={roles} />
      <p className={fr.cx("fr-mt-4w")}>
        <Link className={fr.cx("fr-link")} to="/compte/securite">
          Sécurité du compte
        </Link>
      </p>
      <h2 className={fr.cx("fr-h4", "fr-mt-4w")}>Vos préférences</h2>
      <p>
        <Link className={fr.cx("fr-link")} to={emailNotificationsPath}>
          Notifications par courriel
        </Link>
      </p>
    </>
  );
}

/** `/compte/notifications`: the person's e-mail notifications. */
export function EmailNotificationsRoute() {
  return (
    <>
      <h1>Notifications par courriel</h1>
      <NotificationSettings />
    </>
  );
}
