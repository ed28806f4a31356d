// The live alert: a laboratory uploads an abnormal dose; the adviser, already on
// their dashboard, gets the toast without reloading and takes the anomaly in hand;
// the employer correspondent sees the exceedance without any value. Then a
// laboratory upload with errors shows the report rows.
import assert from "node:assert/strict";
import { test } from "node:test";

import { expectAccessible, keepScreenshot } from "../fixtures/a11y.mjs";
import { apiLogin, gql } from "../fixtures/api.mjs";
import { openAndSignIn } from "../fixtures/auth.mjs";
import { journey, newPage, useServerAndBrowser } from "../fixtures/browser.mjs";
import { csvFile, labRow } from "../fixtures/lab-csv.mjs";
import { demoAccounts } from "../fixtures/server.mjs";

const suite = useServerAndBrowser();

const workerFields = "worker { id nir lastName firstNames birthDate } establishment { id siret }";

/**
 * A worker currently employed in one of the account's establishments, read
 * through the API as that account: `workerID` when given, else the first not in `skipNames`.
 */
async function currentEmployee(baseURL, email, { skipNames = [], workerID } = {}) {
  const token = await apiLogin(baseURL, email);
  const { me } = await gql(baseURL, token, "{ me { grants { establishmentID } } }");
  const ids = me.grants.map((g) => g.establishmentID).filter(Boolean);
  const { employments } = await gql(
    baseURL,
    token,
    `query($where: EmploymentWhereInput) { employments(first: 20, where: $where) { edges { node { ${workerFields} } } } }`,
    { where: { establishmentIDIn: ids, endDateIsNil: true, ...(workerID ? { workerID } : {}) } },
  );
  const found = employments.edges.map((e) => e.node).find((n) => !skipNames.includes(n.worker.lastName));
  assert.ok(found, `un travailleur employé dans les établissements de ${email}`);
  return { ...found.worker, siret: found.establishment.siret };
}

test("Alerte en direct d'une dose anormale", async (t) => {
  const { baseURL } = suite.server;
  const adviser = await newPage(suite.browser, baseURL);
  const lab = await newPage(suite.browser, baseURL);
  const employer = await newPage(suite.browser, baseURL);
  const step = journey(t, adviser);

  const worker = await newPage(suite.browser, baseURL);

  // Test data read through the API: the laboratory cannot browse workers. The
  // adviser's worker is the demo worker account, who watches their own page.
  const workerToken = await apiLogin(baseURL, demoAccounts.worker);
  const { me: workerMe } = await gql(baseURL, workerToken, "{ me { grants { workerID } } }");
  const followed = await currentEmployee(baseURL, demoAccounts.adviser, { workerID: workerMe.grants[0].workerID });
  const employerToken = await apiLogin(baseURL, demoAccounts.employer);
  const { exposureSummaries } = await gql(baseURL, employerToken, "{ exposureSummaries(first: 100, where: { statusIn: [EXCEEDED] }) { edges { node { worker { lastName } } } } }");
  const alreadyOver = exposureSummaries.edges.map((e) => e.node.worker.lastName);
  const declared = await currentEmployee(baseURL, demoAccounts.employer, { skipNames: alreadyOver });
  const followedName = `${followed.firstNames} ${followed.lastName}`;
  const declaredName = `${declared.firstNames} ${declared.lastName}`;

  await step("Le conseiller en radioprotection ouvre son tableau de bord", async () => {
    const subscribed = adviser.waitForEvent("websocket").then((ws) => ws.waitForEvent("framesent", { predicate: (f) => String(f.payload).includes('"subscribe"') }));
    await openAndSignIn(adviser, demoAccounts.adviser);
    await adviser.getByRole("heading", { level: 1, name: "Tableau de bord de radioprotection" }).waitFor();
    await subscribed;
  });

  await step("Le travailleur ouvre son suivi dosimétrique", async () => {
    const subscribed = worker.waitForEvent("websocket").then((ws) => ws.waitForEvent("framesent", { predicate: (f) => String(f.payload).includes('"subscribe"') }));
    await openAndSignIn(worker, demoAccounts.worker);
    await worker.getByRole("heading", { level: 1, name: "Mon suivi dosimétrique" }).waitFor();
    await worker.getByRole("table", { name: "Cumul de mes doses par limite réglementaire" }).waitFor();
    assert.equal(await worker.getByText("Limite dépassée").count(), 0);
    await subscribed;
  });

  await step("Le laboratoire dépose un lot avec une dose anormale", async () => {
    await openAndSignIn(lab, demoAccounts.laboratory);
    await lab.getByRole("heading", { level: 1, name: "Dépôt de résultats de dosimétrie" }).waitFor();
    await lab.getByLabel(/Fichier CSV/).setInputFiles(
      csvFile("resultats-anormaux.csv", [
        labRow(followed, followed.siret, { dosimeter: "E2E-A-0001", valueMsv: 25 }),
        labRow(declared, declared.siret, { dosimeter: "E2E-A-0002", valueMsv: 25 }),
      ]),
    );
    await lab.getByRole("button", { name: "Déposer le fichier" }).click();
    await lab.getByText("Lot accepté").waitFor({ timeout: 30_000 });
    await lab.getByText(/2 lignes acceptées|2 acceptées/).waitFor();
    await expectAccessible(lab, "rapport d'exécution");
  });

  await step("Le toast apparaît chez le conseiller sans recharger la page", async () => {
    const started = Date.now();
    await adviser.getByText(`Nouvelle anomalie : ${followedName}`).first().waitFor({ timeout: 5_000 });
    assert.ok(Date.now() - started < 5_000);
    await adviser.getByRole("link", { name: /Notifications \(\d+ non lues\)/ }).first().waitFor();
    await keepScreenshot(adviser, "alerte-en-direct-conseiller");
  });

  await step("Le suivi du travailleur se met à jour sans recharger la page", async () => {
    await worker
      .getByRole("table", { name: "Cumul de mes doses par limite réglementaire" })
      .getByRole("row")
      .filter({ hasText: "Dose efficace" })
      .getByText("Limite dépassée")
      .waitFor({ timeout: 5_000 });
    await worker.getByRole("table", { name: /résultats/ }).getByText("25,0 mSv").first().waitFor();
  });

  await step("Le conseiller prend l'anomalie en charge", async () => {
    await adviser.getByRole("link", { name: "Voir les anomalies" }).first().click();
    await adviser.getByRole("heading", { level: 1, name: "Anomalies" }).waitFor();
    const row = adviser.getByRole("row").filter({ hasText: followedName }).filter({ hasText: "Dépassement de limite réglementaire" });
    await row.getByRole("button", { name: "Prendre en charge" }).click();
    await row.getByText("Prise en charge", { exact: true }).waitFor();
    await expectAccessible(adviser, "anomalies du conseiller");
  });

  await step("Le correspondant de l'employeur voit le dépassement, sans valeur", async () => {
    await openAndSignIn(employer, demoAccounts.employer);
    await employer.getByRole("heading", { level: 1, name: "Déclarations de l'employeur" }).waitFor();
    await employer.getByRole("navigation", { name: "Menu principal" }).getByRole("link", { name: "Dépassements" }).click();
    const alerts = employer.getByRole("table", { name: /alertes? de dépassement/ });
    await alerts.getByText(declaredName).waitFor();
    const exceedances = employer.getByRole("table", { name: /dépassements? en cours/ });
    await exceedances.getByText(declaredName).waitFor();
    const text = (await alerts.innerText()) + (await exceedances.innerText());
    assert.doesNotMatch(text, /mSv|µSv|\d+,\d+/, "aucune valeur de dose chez l'employeur");
    await keepScreenshot(employer, "depassement-employeur");
    await expectAccessible(employer, "dépassements de l'employeur");
  });

  await step("Un lot avec des erreurs affiche les lignes du rapport", async () => {
    await lab.goto("/");
    const bad = { ...followed, nir: followed.nir.slice(0, 13) + (followed.nir.slice(13) === "00" ? "01" : "00") };
    await lab.getByLabel(/Fichier CSV/).setInputFiles(
      csvFile("resultats-en-erreur.csv", [
        labRow(bad, followed.siret, { dosimeter: "E2E-B-0001", valueMsv: 0.2 }),
        labRow(followed, "12345678901234", { dosimeter: "E2E-B-0002", valueMsv: 0.2 }),
        labRow(followed, followed.siret, { dosimeter: "", valueMsv: 0.2 }),
      ]),
    );
    await lab.getByText("Contrôle à blanc").click();
    await lab.getByRole("button", { name: "Contrôler le fichier" }).click();
    await lab.getByText(/Contrôle à blanc terminé|Lot rejeté|Lot partiellement accepté/).first().waitFor({ timeout: 30_000 });
    const problems = lab.getByRole("table", { name: /Erreurs et avertissements/ });
    await problems.waitFor();
    const lines = await problems.locator("tbody tr td:first-child").allInnerTexts();
    for (const line of ["2", "3", "4"]) assert.ok(lines.includes(line), `la ligne ${line} est dans le rapport (${lines})`);
    await lab.getByRole("button", { name: "Télécharger le rapport (CSV)" }).waitFor();
    await keepScreenshot(lab, "rapport-laboratoire-erreurs");
  });

  await adviser.context().close();
  await lab.context().close();
  await employer.context().close();
  await worker.context().close();
});
