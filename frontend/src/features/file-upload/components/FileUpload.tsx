import { useState } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Upload } from "@codegouvfr/react-dsfr/Upload";

import type { FragmentType } from "../../../graphql";
import type { ImportFormat } from "../../../graphql/graphql";
import { networkErrorMessage } from "../../../lib/errors";
import { uploadOperation } from "../../../lib/upload";
import { ImportReportFieldsFragment, SubmitFileDocument, reportHasDoses } from "../api/submit-file";
import { ImportReportView } from "./ImportReportView";
import { redirectToSignIn } from "../../../app/sign-in-redirect";

/** A reference unique enough for one submitter, e.g. `LABO-20261127-153012`. */
function defaultReference(prefix: string): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, "0");
  return `${prefix}-${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

type Report = FragmentType<typeof ImportReportFieldsFragment>;

/**
 * Sends a CSV file of `format` with a progress bar, as a dry run or for real,
 * and shows its execution report. `onSubmitted` runs after a stored batch.
 */
export function FileUpload({ format, prefix, hint, onSubmitted }: { format: ImportFormat; prefix: string; hint: string; onSubmitted?: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [reference, setReference] = useState(() => defaultReference(prefix));
  const [dryRun, setDryRun] = useState(false);
  const [partial, setPartial] = useState(true);
  const [progress, setProgress] = useState<number | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<{ message: string; field?: string } | null>(null);
  const [missing, setMissing] = useState(false);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    if (!file || !reference.trim()) {
      setMissing(true);
      return;
    }
    setMissing(false);
    setError(null);
    setReport(null);
    setProgress(0);
    try {
      const answer = await uploadOperation<{ submitFile: Report }>(
        SubmitFileDocument,
        { input: { format, reference: reference.trim(), file: null, dryRun, partial }, withDoses: reportHasDoses(format) },
        "input.file",
        file,
        setProgress,
      );
      const first = answer.errors?.[0];
      if (first) {
        if (first.extensions?.code === "UNAUTHENTICATED") redirectToSignIn();
        const field = typeof first.extensions?.field === "string" ? first.extensions.field : undefined;
        setError({ message: first.message, field });
      } else if (answer.data?.submitFile) {
        setReport(answer.data.submitFile);
        if (!dryRun) {
          onSubmitted?.();
          setReference(defaultReference(prefix));
        }
      }
    } catch {
      setError({ message: networkErrorMessage });
    } finally {
      setProgress(null);
    }
  }

  const referenceError = (missing && !reference.trim() ? "La référence est obligatoire." : undefined) ?? (error?.field?.endsWith("reference") ? error.message : undefined);
  const fileError = (missing && !file ? "Choisissez un fichier CSV." : undefined) ?? (error?.field?.endsWith("file") ? error.message : undefined);
  return (
    <>
      <form onSubmit={submit}>
        <Upload
          label="Fichier CSV"
          hint={hint}
          state={fileError ? "error" : "default"}
          stateRelatedMessage={fileError}
          nativeInputProps={{ accept: ".csv,text/csv", onChange: (e) => setFile(e.target.files?.[0] ?? null) }}
        />
        <Input
          className={fr.cx("fr-mt-2w")}
          label="Référence du lot"
          hintText="Identifie le lot : un second dépôt avec la même référence renvoie le premier rapport."
          state={referenceError ? "error" : "default"}
          stateRelatedMessage={referenceError}
          nativeInputProps={{ value: reference, onChange: (e) => setReference(e.target.value) }}
        />
        <Checkbox
          options={[
            {
              label: "Contrôle à blanc",
              hintText: "Vérifie le fichier et produit le rapport sans rien enregistrer.",
              nativeInputProps: { checked: dryRun, onChange: (e) => setDryRun(e.target.checked) },
            },
            {
              label: "Accepter les lignes valides",
              hintText: "Sinon, une seule erreur rejette tout le lot.",
              nativeInputProps: { checked: partial, onChange: (e) => setPartial(e.target.checked) },
            },
          ]}
        />
        {progress !== null && (
          <div className={fr.cx("fr-mb-2w")}>
            <label htmlFor="progression-envoi">Envoi du fichier : {Math.round(progress * 100)} %</label>
            <br />
            <progress id="progression-envoi" max={1} value={progress} style={{ width: "100%" }} />
          </div>
        )}
        {error && !referenceError && !fileError && <Alert severity="error" title="Le dépôt a échoué" description={error.message} className={fr.cx("fr-mb-2w")} />}
        <Button type="submit" iconId="fr-icon-upload-line" disabled={progress !== null}>
          {dryRun ? "Contrôler le fichier" : "Déposer le fichier"}
        </Button>
      </form>
      {report && <ImportReportView report={report} />}
    </>
  );
}
