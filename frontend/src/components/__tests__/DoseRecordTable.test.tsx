import { render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { DoseRecordTable, markSetAside, sortRecords, type DoseRecordView } from "../DoseRecordTable";

const base = {
  monitoringKind: "PASSIVE_WHOLE_BODY",
  quantity: "HP10",
  status: "MEASURED",
  periodStart: "2026-09-01",
  periodEnd: "2026-09-30",
  laboratory: { name: "Dosilab" },
} as const;

/** One result of September: laboratory 1,2 mSv, corrected to 0,8, then re-sent twice. */
const versions: DoseRecordView[] = [
  { ...base, id: "1", version: 1, valueMsv: 1.2, source: "LABORATORY", current: false, pending: false, supersedesID: null },
  { ...base, id: "2", version: 2, valueMsv: 0.8, source: "PHYSICIAN", current: true, pending: false, supersedesID: "1", correctionReason: "Erreur de port" },
  { ...base, id: "3", version: 3, valueMsv: 1.5, source: "LABORATORY", current: false, pending: false, supersedesID: null },
  { ...base, id: "4", version: 4, valueMsv: 1.6, source: "LABORATORY", current: false, pending: true, supersedesID: null },
];

describe("markSetAside", () => {
  it("sets aside only the re-sends nobody supersedes and that wait no more", () => {
    expect(markSetAside(versions).map((r) => [r.id, r.setAside])).toEqual([
      ["1", false],
      ["2", false],
      ["3", true],
      ["4", false],
    ]);
  });
});

describe("DoseRecordTable", () => {
  it("shows a pending re-send apart from the replaced and set-aside versions", () => {
    render(<DoseRecordTable caption="4 résultats (toutes versions)" records={sortRecords(markSetAside(versions))} />);
    const rows = within(screen.getByRole("table", { name: "4 résultats (toutes versions)" })).getAllByRole("row").slice(1);
    expect(rows.map((r) => within(r).getAllByRole("cell")[4]!.textContent)).toEqual(["En attente de décision", "Non retenu", "Corrigé", "Remplacé"]);
    expect(rows[0]).toHaveTextContent("1,6 mSv");
  });
});
