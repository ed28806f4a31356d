import { useEffect, useState, type FormEvent } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Upload } from "@codegouvfr/react-dsfr/Upload";

import { Loading } from "../../../components/Loading";
import { formatDate } from "../../../lib/format";
import { verifyFile, verifyLink, type Verdict } from "../api/certificate";

/** A verdict as a DSFR alert: authentic (date, initials) or not, nothing else. */
function VerdictAlert({ verdict, title }: { verdict: Verdict; title: string }) {
  return verdict.authentic ? (
    <Alert
      severity="success"
      title={`${title} : authentique et non modifié`}
      description={`Titulaire : ${verdict.holder} — certificat n° ${verdict.id}, délivré le ${formatDate(verdict.issued)} par le registre SISERI`}
    />
  ) : (
    <Alert severity="error" title={`${title} : non authentique`} description={verdict.message} />
  );
}

/**
 * The public verification page of a certificate: the QR code's link is
 * checked on arrival, and a PDF can be dropped to check that it is exactly
 * the file the registry issued. It shows no health data.
 */
export function CertificateVerification({ id, search }: { id?: string; search: string }) {
  const [link, setLink] = useState<Verdict | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [fileVerdict, setFileVerdict] = useState<Verdict | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  useEffect(() => {
    if (!id || !search) return;
    let live = true;
    verifyLink(id, search).then(
      (v) => live && setLink(v),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [id, search]);

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    if (!file) {
      setError("Choisissez le fichier PDF de l'attestation.");
      return;
    }
    setPending(true);
    setError(null);
    setFileVerdict(null);
    try {
      setFileVerdict(await verifyFile(file));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setPending(false);
    }
  }

  return (
    <>
      <h1>Vérifier une attestation d'historique dosimétrique</h1>
      <p>
        Le registre SISERI signe chaque attestation qu'il délivre. Cette page dit seulement si une attestation est authentique et non
        modifiée, sa date et les initiales de son titulaire : aucune donnée de santé n'y figure.
      </p>
      {id && search && (
        <section className={fr.cx("fr-mb-4w")} aria-live="polite">
          <h2 className={fr.cx("fr-h5")}>Lien du QR code</h2>
          {link ? <VerdictAlert verdict={link} title="Lien de vérification" /> : !error && <Loading label="Vérification du lien…" />}
        </section>
      )}
      <section>
        <h2 className={fr.cx("fr-h5")}>Vérifier le fichier</h2>
        <p>Déposez le PDF reçu : le registre vérifie que pas un octet n'a changé depuis sa délivrance.</p>
        <form onSubmit={submit} noValidate>
          <Upload
            label="Attestation au format PDF"
            hint="Le fichier téléchargé depuis SISERI, tel que vous l'avez reçu."
            state={error ? "error" : "default"}
            stateRelatedMessage={error ?? undefined}
            nativeInputProps={{
              accept: ".pdf,application/pdf",
              onChange: (e) => {
                setFile(e.target.files?.[0] ?? null);
                setFileVerdict(null);
                setError(null);
              },
            }}
          />
          <Button type="submit" className={fr.cx("fr-mt-2w")} disabled={pending}>
            Vérifier le fichier
          </Button>
        </form>
        <div className={fr.cx("fr-mt-3w")} aria-live="polite">
          {pending && <Loading label="Vérification du fichier…" />}
          {fileVerdict && <VerdictAlert verdict={fileVerdict} title="Fichier" />}
        </div>
      </section>
    </>
  );
}
