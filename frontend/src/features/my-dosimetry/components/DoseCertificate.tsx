import { fr } from "@codegouvfr/react-dsfr";
import { ButtonsGroup } from "@codegouvfr/react-dsfr/ButtonsGroup";

import { CertificateDownload } from "../../certificate/components/CertificateDownload";
import { DoseRecordTable, doseRecordCells, doseRecordHeaders, sortRecords } from "../../../components/DoseRecordTable";
import { Loading } from "../../../components/Loading";
import { QueryErrorAlert } from "../../../components/QueryErrorAlert";
import { connectionNodes } from "../../../lib/connection";
import { downloadCsv, toCsv } from "../../../lib/csv";
import { formatDate } from "../../../lib/format";
import { useMyDoseRecords } from "../api/get-my-dose-records";

/** The printable dose-history certificate: identity, employments and every current result. */
export function DoseCertificate({ workerID }: { workerID: string }) {
  const [{ data, error }] = useMyDoseRecords(workerID);
  if (error) return <QueryErrorAlert error={error} />;
  const worker = data?.node?.__typename === "Worker" ? data.node : null;
  if (!worker) return <Loading label="Préparation de l'attestation…" />;
  const records = sortRecords(connectionNodes(worker.doseRecords).filter((r) => r.current));
  return (
    <>
      <h1>Attestation d'historique dosimétrique</h1>
      <p>
        Établie le {new Date().toLocaleDateString("fr-FR")} à partir du registre SISERI, pour{" "}
        <strong>
          {worker.firstNames} {worker.lastName}
          {worker.usageName ? ` (nom d'usage ${worker.usageName})` : ""}
        </strong>
        , né(e) le {formatDate(worker.birthDate)}, NIR {worker.nir || "—"}.
      </p>
      <ButtonsGroup
        className={fr.cx("fr-no-print")}
        inlineLayoutWhen="always"
        buttonsSize="small"
        buttons={[
          { children: "Imprimer ou enregistrer en PDF", iconId: "fr-icon-printer-line", onClick: () => window.print() },
          {
            children: "Télécharger en CSV",
            priority: "secondary",
            iconId: "fr-icon-download-line",
            onClick: () => downloadCsv("attestation-historique-dosimetrique.csv", toCsv(doseRecordHeaders, records.map(doseRecordCells))),
          },
          { children: "Retour à mon suivi", priority: "tertiary", linkProps: { to: "/" } },
        ]}
      />
      <CertificateDownload workerID={worker.id} holder="self" />
      <h2 className={fr.cx("fr-h5")}>Emplois déclarés</h2>
      <ul>
        {connectionNodes(worker.employments).map((e) => (
          <li key={e.id}>
            {e.establishment.name} (SIRET {e.establishment.siret}) : du {formatDate(e.startDate)}
            {e.endDate ? ` au ${formatDate(e.endDate)}` : " à ce jour"}
          </li>
        ))}
      </ul>
      <DoseRecordTable caption="Résultats de la surveillance dosimétrique individuelle (versions en vigueur)" records={records} />
    </>
  );
}
