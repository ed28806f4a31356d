import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";

/** Any unknown path: the DSFR "page not found" message. */
export function NotFoundRoute() {
  return (
    <div className={fr.cx("fr-my-7w", "fr-mt-md-12w", "fr-mb-md-10w")}>
      <h1>Page non trouvée</h1>
      <p className={fr.cx("fr-text--sm", "fr-mb-3w")}>Erreur 404</p>
      <p className={fr.cx("fr-text--lead", "fr-mb-3w")}>La page que vous cherchez est introuvable. Excusez-nous pour la gêne occasionnée.</p>
      <p className={fr.cx("fr-text--sm", "fr-mb-5w")}>
        Si vous avez tapé l'adresse web dans le navigateur, vérifiez qu'elle est correcte. La page n'est peut-être
        plus disponible. Dans ce cas, pour continuer votre visite, vous pouvez consulter notre page d'accueil.
      </p>
      <Button linkProps={{ to: "/" }}>Page d'accueil</Button>
    </div>
  );
}
