import { Button } from "@codegouvfr/react-dsfr/Button";

import { downloadCsv, toCsv } from "../lib/csv";

/** A secondary DSFR button that downloads the given table as a CSV file. */
export function DownloadCsvButton({
  filename,
  headers,
  rows,
  label = "Télécharger en CSV",
}: {
  filename: string;
  headers: readonly string[];
  rows: readonly (readonly unknown[])[];
  label?: string;
}) {
  return (
    <Button
      priority="secondary"
      size="small"
      iconId="fr-icon-download-line"
      onClick={() => downloadCsv(filename, toCsv(headers, rows))}
    >
      {label}
    </Button>
  );
}
