import { fr } from "@codegouvfr/react-dsfr";

import { certificateDownloadPath } from "../api/certificate";

/** The link to the signed PDF certificate of a worker, and what it proves. */
export function CertificateDownload({ workerID, holder }: { workerID: string; holder: "self" | "worker" }) {
  return (
    <div className={fr.cx("fr-callout", "fr-my-3w", "fr-no-print")}>
      <h2 className={fr.cx("fr-callout__title", "fr-h5")}>Attestation signée par le registre</h2>
      <p className={fr.cx("fr-callout__text", "fr-text--md")}>
        {holder === "self"
          ? "Le PDF est signé par le registre SISERI. Vous choisissez à qui le transmettre : son destinataire vérifie, par le QR code ou sur la page de vérification, qu'il est authentique et non modifié ; cette page ne montre que la date et vos initiales."
          : "Le PDF est signé par le registre SISERI ; son téléchargement est enregistré dans la trace d'accès du travailleur."}
      </p>
      <a className={fr.cx("fr-link", "fr-link--download")} href={certificateDownloadPath(workerID)} download>
        Télécharger l'attestation signée <span className={fr.cx("fr-link__detail")}>PDF</span>
      </a>
    </div>
  );
}
