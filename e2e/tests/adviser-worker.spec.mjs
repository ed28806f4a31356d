// The adviser opens a worker from the dashboard and reads the values of the
// contract period only (R.4451-69, REGULATION-CASES RC12): a worker who came
// from another establishment has results before the contract, which the
// physician reads and the adviser never sees, in the API or in the file.
import assert from "node:assert/strict";
import { test } from "node:test";

import { expectAccessible, expectNoErrorAlert, keepScreenshot } from "../fixtures/a11y.mjs";
import { apiLogin, gql } from "../fixtures/api.mjs";
import { openAndSignIn } from "../fixtures/auth.mjs";
import { journey, newPage, useServerAndBrowser } from "../fixtures/browser.mjs";
import { demoAccounts } from "../fixtures/server.mjs";

const suite = useServerAndBrowser();

/** `YYYY-MM-DD` as the SPA writes it, `JJ/MM/AAAA`. */
const frDate = (d) => d.slice(0, 10).split("-").reverse().join("/");
/** A result's period as the results table writes it. */
const period = (r) => `${frDate(r.periodStart)} – ${frDate(r.periodEnd)}`;
/** A dose as the SPA writes it with { fine: true }. */
const frMsv = (v) => `${new Intl.NumberFormat("fr-FR", { minimumFractionDigits: 1, maximumFractionDigits: 3 }).format(v)} mSv`;

const workerRecords = `query($id: ID!) {
  node(id: $id) {
    ... on Worker {
      employments(first: 10) { edges { node { startDate endDate establishment { id } } } }
      doseRecords(first: 500, where: { current: true }) { totalCount edges { node { id periodStart periodEnd valueMsv } } }
      exposure { limitCode valueMsv }
    }
  }
}`;

/** The adviser's workers who joined one of the adviser's establishments, latest arrival first. */
async function joiners(baseURL, token) {
  const out = [];
  let after = null;
  for (;;) {
    const { workers } = await gql(
      baseURL,
      token,
      `query($after: Cursor) { workers(first: 100, after: $after) { pageInfo { hasNextPage endCursor }
        edges { node { id lastName firstNames employments(first: 5) { edges { node { startDate } } } } } } }`,
      { after },
    );
    for (const { node: w } of workers.edges) {
      const starts = w.employments.edges.map((e) => e.node.startDate).sort();
      if (starts[0] && starts[0] >= "2022-01-01") out.push({ ...w, contractStart: starts[0] });
    }
    if (!workers.pageInfo.hasNextPage) break;
    after = workers.pageInfo.endCursor;
  }
  return out.sort((a, b) => b.contractStart.localeCompare(a.contractStart));
}

/**
 * A worker whose results the physician reads both before and during the
 * adviser's contract period (an effective dose above zero in it, else any dose
 * above zero, when the demo has one),
 * with the physician's and the adviser's views.
 */
async function workerAcrossEmployers(baseURL) {
  const adviser = await apiLogin(baseURL, demoAccounts.adviser);
  const physician = await apiLogin(baseURL, demoAccounts.physician);
  let fallback = null;
  for (const w of await joiners(baseURL, adviser)) {
    let seenByPhysician;
    try {
      seenByPhysician = (await gql(baseURL, physician, workerRecords, { id: w.id })).node;
    } catch {
      continue; // not followed by the demo physician
    }
    const records = seenByPhysician?.doseRecords.edges.map((e) => e.node) ?? [];
    const before = records.filter((r) => r.periodEnd < w.contractStart);
    const during = records.filter((r) => r.periodStart >= w.contractStart);
    if (before.length === 0 || during.length === 0) continue;
    const seenByAdviser = (await gql(baseURL, adviser, workerRecords, { id: w.id })).node;
    const found = { worker: w, before, during, physicianRecords: records, adviser: seenByAdviser };
    if (seenByAdviser.exposure.some((l) => l.limitCode === "EFFECTIVE" && l.valueMsv > 0)) return found;
    if (during.some((r) => r.valueMsv > 0)) fallback = fallback?.nonZero ? fallback : { ...found, nonZero: true };
    fallback ??= found;
  }
  if (fallback) return fallback;
  throw new Error("la démo n'a aucun travailleur arrivé chez le conseiller avec des résultats antérieurs lisibles par le médecin");
}

test("Le conseiller ouvre un travailleur depuis son tableau de bord et ne voit que la période de contrat", async (t) => {
  const page = await newPage(suite.browser, suite.server.baseURL);
  const step = journey(t, page);
  let found;

  await step("L'API, interrogée comme le conseiller, ne rend que les résultats de la période de contrat", async () => {
    found = await workerAcrossEmployers(suite.server.baseURL);
    const adviserRecords = found.adviser.doseRecords.edges.map((e) => e.node);
    assert.ok(adviserRecords.length > 0, "le conseiller lit des résultats de la période de contrat");
    for (const r of adviserRecords) assert.ok(r.periodEnd >= found.worker.contractStart, `résultat ${period(r)} hors de la période de contrat (depuis le ${found.worker.contractStart})`);
    const adviserIDs = new Set(adviserRecords.map((r) => r.id));
    for (const r of found.before) assert.ok(!adviserIDs.has(r.id), `le résultat antérieur ${period(r)} est visible du conseiller`);
    const physicianIDs = new Set(found.physicianRecords.map((r) => r.id));
    for (const id of adviserIDs) assert.ok(physicianIDs.has(id), "le conseiller ne lit rien que le médecin ne lise");
  });

  await step("Le conseiller voit d'abord ce qui demande une action", async () => {
    await openAndSignIn(page, demoAccounts.adviser);
    await page.getByRole("heading", { level: 1, name: "Tableau de bord de radioprotection" }).waitFor();
    for (const region of ["Travailleurs proches d'une limite", "Anomalies ouvertes", "Résultats en retard", "Dépassements de contrainte de dose"]) {
      await page.getByRole("region", { name: region }).waitFor();
    }
    const table = page.getByRole("table", { name: /situation sur 12 mois glissants/ });
    await table.waitFor();
    assert.match(await table.locator("thead").innerText(), /Dose efficace \(période de contrat\)/);
    await page.waitForFunction(() => ![...document.querySelectorAll("[role=status]")].some((e) => e.textContent.startsWith("Chargement")));
    await expectNoErrorAlert(page, "tableau de bord du conseiller");
    await expectAccessible(page, "tableau de bord du conseiller");
    await keepScreenshot(page, "adviser-dashboard");
  });

  await step("Il recherche le travailleur et ouvre son dossier depuis la liste", async () => {
    const { worker } = found;
    await page.getByLabel("Nom de naissance").fill(worker.lastName);
    await page.getByRole("button", { name: "Rechercher" }).click();
    const row = page.getByRole("table", { name: /situation sur 12 mois glissants/ }).getByRole("row").filter({ hasText: worker.firstNames });
    // The list shows the effective dose of the contract period, as the API gives it to the adviser.
    const effective = found.adviser.exposure.find((l) => l.limitCode === "EFFECTIVE");
    await row.filter({ hasText: `${frMsv(effective.valueMsv)} / 20,00 mSv` }).waitFor();
    await row.getByRole("link", { name: worker.lastName }).click();
    await page.waitForURL((url) => url.pathname === `/conseiller/travailleurs/${worker.id}`);
    await page.getByRole("heading", { level: 1, name: `${worker.firstNames} ${worker.lastName}` }).waitFor();
  });

  await step("Le dossier ne montre que les valeurs de la période de contrat", async () => {
    const adviserRecords = found.adviser.doseRecords.edges.map((e) => e.node);
    const n = found.adviser.doseRecords.totalCount;
    const results = page.getByRole("table", { name: `${n} ${n > 1 ? "résultats" : "résultat"} de la période de contrat` });
    await results.waitFor();
    assert.equal(await results.locator("tbody tr").count(), adviserRecords.length);
    const text = await results.innerText();
    assert.ok(text.includes(period(found.during[0])), `le résultat ${period(found.during[0])} de la période de contrat est affiché`);
    for (const r of found.before) assert.ok(!text.includes(period(r)), `le résultat antérieur ${period(r)} n'est pas affiché`);

    const effective = found.adviser.exposure.find((l) => l.limitCode === "EFFECTIVE");
    const standing = page.getByRole("table", { name: "Cumul par limite réglementaire sur la période de contrat" });
    await standing.getByRole("row").filter({ hasText: "Dose efficace" }).filter({ hasText: frMsv(effective.valueMsv) }).waitFor();
    await page.getByRole("img", { name: /Dose efficace par mois et cumul sur 12 mois glissants/ }).waitFor();
    await page.getByRole("heading", { level: 2, name: "Dosimétrie opérationnelle et dosimétrie passive" }).waitFor();
    await page.getByRole("heading", { level: 2, name: "Anomalies de ce travailleur" }).waitFor();
    await page.waitForFunction(() => ![...document.querySelectorAll("[role=status]")].some((e) => e.textContent.startsWith("Chargement")));
    await expectNoErrorAlert(page, "dossier du travailleur (conseiller)");
    await expectAccessible(page, "dossier du travailleur (conseiller)");
    await keepScreenshot(page, "adviser-worker-file");
  });

  await page.context().close();
});
