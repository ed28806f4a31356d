import { useState } from "react";
import { Select } from "@codegouvfr/react-dsfr/Select";

import { ConnectionTable } from "../../../components/ConnectionTable";
import { useCursorStack } from "../../../hooks/useCursorStack";
import { formatDate, plural } from "../../../lib/format";
import { useAdminNomenclatures } from "../api/admin-operations";
import { NomenclatureImportForm } from "./NomenclatureImportForm";

const kindLabels: Record<string, string> = { DOMAIN: "Domaine", SECTOR: "Secteur", JOB: "Métier" };

/** The versioned nomenclatures (domains, sectors, jobs), and the import of a new version. */
export function AdminNomenclatures() {
  const [kind, setKind] = useState("");
  const pages = useCursorStack();
  const [{ data, error }, refetch] = useAdminNomenclatures(pages.after, kind);
  return (
    <>
      <Select
        label="Nomenclature"
        nativeSelectProps={{
          value: kind,
          onChange: (e) => {
            setKind(e.target.value);
            pages.reset();
          },
        }}
      >
        <option value="">Toutes</option>
        {Object.entries(kindLabels).map(([k, l]) => (
          <option key={k} value={k}>
            {l}
          </option>
        ))}
      </Select>
      <ConnectionTable
        error={error}
        connection={data?.nomenclatures}
        pages={pages}
        pageSize={50}
        caption={(n) => plural(n, "entrée de nomenclature", "entrées de nomenclature")}
        empty="Aucune entrée."
        headers={["Nomenclature", "Version", "Code", "Libellé", "Parent", "Valide du", "au"]}
        row={(n) => [kindLabels[n.kind] ?? n.kind, n.version, n.code, n.label, n.parentCode || "—", formatDate(n.validFrom), formatDate(n.validTo)]}
      />
      <NomenclatureImportForm onImported={() => refetch({ requestPolicy: "network-only" })} />
    </>
  );
}
