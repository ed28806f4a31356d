import { Footer } from "@codegouvfr/react-dsfr/Footer";

/** The DSFR footer of SISERI. */
export function SiteFooter() {
  return (
    <Footer
      accessibility="non compliant"
      contentDescription="SISERI, le système d'information de la surveillance de l'exposition aux rayonnements ionisants, rassemble les doses reçues par les travailleurs exposés, pour leur suivi médical et la radioprotection."
    />
  );
}
