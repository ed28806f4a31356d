import { fr } from "@codegouvfr/react-dsfr";
import { CallOut } from "@codegouvfr/react-dsfr/CallOut";
import { Tile } from "@codegouvfr/react-dsfr/Tile";

import { RoleTags } from "../../features/session/components/RoleTags";
import { useCurrentViewer } from "../../features/session/hooks/useCurrentViewer";

/** `/`: greets the signed-in user, lists their roles and what they can open. */
export function HomeRoute() {
  const { account, roles } = useCurrentViewer();
  const isAdmin = roles.includes("ADMIN");
  return (
    <>
      <h1>Bonjour {account.displayName}</h1>
      <p className={fr.cx("fr-text--lead")}>Vous êtes connecté avec l'adresse {account.email}.</p>
      <h2 className={fr.cx("fr-h4")}>Vos rôles</h2>
      <RoleTags roles={roles} />
      {isAdmin ? (
        <>
          <h2 className={fr.cx("fr-h4", "fr-mt-4w")}>Consulter le registre</h2>
          <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
            <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
              <Tile
                title="Travailleurs"
                desc="Les travailleurs suivis, recherchés par nom."
                linkProps={{ to: "/travailleurs" }}
                enlargeLinkOrButton
                orientation="horizontal"
              />
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-6")}>
              <Tile
                title="Établissements"
                desc="Les établissements déclarés, avec leur SIRET."
                linkProps={{ to: "/etablissements" }}
                enlargeLinkOrButton
                orientation="horizontal"
              />
            </div>
          </div>
        </>
      ) : (
        <CallOut className={fr.cx("fr-mt-4w")} title="Votre tableau de bord arrive bientôt">
          Les informations auxquelles vos rôles vous donnent accès seront affichées ici.
        </CallOut>
      )}
    </>
  );
}
