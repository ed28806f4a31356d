import { useState } from "react";
import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Upload } from "@codegouvfr/react-dsfr/Upload";

import { redirectToSignIn } from "../../../app/sign-in-redirect";
import type { ImportNomenclatureMutation } from "../../../graphql/graphql";
import { networkErrorMessage } from "../../../lib/errors";
import { formatDate } from "../../../lib/format";
import { uploadOperation } from "../../../lib/upload";
import { ImportNomenclatureDocument } from "../api/admin-operations";

/** Imports a new version of the nomenclature from a CSV file; every problem of the file is listed. */
export function NomenclatureImportForm({ onImported }: { onImported: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [version, setVersion] = useState("");
  const [validFrom, setValidFrom] = useState("");
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const [done, setDone] = useState<string | null>(null);

  async function submit(ev: React.FormEvent) {
    ev.preventDefault();
    if (!file) {
      setProblems(["Choisissez le fichier CSV de la nomenclature."]);
      return;
    }
    setBusy(true);
    setProblems([]);
    setDone(null);
    try {
      const answer = await uploadOperation<ImportNomenclatureMutation>(
        ImportNomenclatureDocument,
        { input: { file: null, version: version.trim(), validFrom } },
        "input.file",
        file,
        () => {},
      );
      if (answer.errors?.length) {
        if (answer.errors[0].extensions?.code === "UNAUTHENTICATED") redirectToSignIn();
        setProblems(answer.errors.map((e) => e.message));
      } else if (answer.data?.importNomenclature) {
        const r = answer.data.importNomenclature;
        setDone(`Version ${r.version} importée, en vigueur à partir du ${formatDate(r.validFrom)} : ${r.domains} domaines, ${r.sectors} secteurs, ${r.jobs} métiers.`);
        onImported();
      }
    } catch {
      setProblems([networkErrorMessage]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className={fr.cx("fr-mt-4w")} aria-label="Importer une version de la nomenclature">
      <h2 className={fr.cx("fr-h5")}>Importer une nouvelle version</h2>
      <p className={fr.cx("fr-hint-text")}>
        Fichier CSV séparé par des points-virgules : kind;code;label;parent (DOMAIN, SECTOR ou JOB ; docs/formats.md). Les
        versions existantes ne sont jamais modifiées.
      </p>
      {done && <Alert severity="success" small description={done} className={fr.cx("fr-mb-2w")} />}
      {problems.length > 0 && (
        <Alert
          severity="error"
          title="Import refusé : rien n'a été enregistré"
          className={fr.cx("fr-mb-2w")}
          description={
            <ul>
              {problems.map((p, i) => (
                <li key={i}>{p}</li>
              ))}
            </ul>
          }
        />
      )}
      <Upload label="Fichier de nomenclature (CSV)" nativeInputProps={{ accept: ".csv,text/csv", onChange: (ev) => setFile(ev.target.files?.[0] ?? null) }} />
      <Input label="Nom de la version" hintText="Par exemple 2027." nativeInputProps={{ required: true, value: version, onChange: (ev) => setVersion(ev.target.value) }} />
      <Input label="En vigueur à partir du" nativeInputProps={{ type: "date", required: true, value: validFrom, onChange: (ev) => setValidFrom(ev.target.value) }} />
      <Button type="submit" disabled={busy}>
        Importer la version
      </Button>
    </form>
  );
}
