// Correction conflicts (REGULATION-CASES RC01): a laboratory re-sends a result
// the occupational physician corrected. The correction stays the dose of
// record until the physician decides, from the « Conflits de correction »
// inbox, to keep it or to accept the laboratory's value; the laboratory never
// reads the physician's correction.
import assert from "node:assert/strict";
import { test } from "node:test";

import { expectAccessible, expectNoErrorAlert, keepScreenshot } from "../fixtures/a11y.mjs";
import { apiLogin, createDelegate, gql } from "../fixtures/api.mjs";
import { apiLoginWithCode, completeSecondFactor } from "../fixtures/totp.mjs";
import { openAndSignIn } from "../fixtures/auth.mjs";
import { journey, newPage, useServerAndBrowser } from "../fixtures/browser.mjs";
import { labInput, monthsBack } from "../fixtures/lab-csv.mjs";
import { demoAccounts } from "../fixtures/server.mjs";

const suite = useServerAndBrowser();

const submitLabResults = `mutation($reference: String!, $rows: [LabResultInput!]!) {
  submitLabResults(reference: $reference, rows: $rows) { status rowsAccepted rowsRejected problems { code message } }
}`;

/** A worker the demo physician follows, currently employed, with the SIRET of that establishment (read as the physician). */
async function followedWorker(baseURL, token) {
  const { me } = await gql(baseURL, token, "{ me { account { displayName } grants { establishmentID } } }");
  const ids = me.grants.map((g) => g.establishmentID).filter(Boolean);
  const { employments, doseConflicts } = await gql(
    baseURL,
    token,
    `query($where: EmploymentWhereInput) {
      employments(first: 20, where: $where) { edges { node { worker { id nir lastName firstNames birthDate } establishment { id siret } } } }
      doseConflicts(first: 20, where: { status: OPEN }) { edges { node { workerID } } }
    }`,
    { where: { establishmentIDIn: ids, endDateIsNil: true } },
  );
  // Not the worker of the demo's own pending conflict.
  const busy = new Set(doseConflicts.edges.map((e) => e.node.workerID));
  const found = employments.edges.map((e) => e.node).find((n) => !busy.has(n.worker.id));
  assert.ok(found, "un travailleur suivi par le médecin de démonstration");
  return { worker: found.worker, establishment: found.establishment, physicianName: me.account.displayName };
}

/** Waits until no loading status line is left on the page. */
async function loaded(page) {
  await page.waitForFunction(() => ![...document.querySelectorAll("[role=status]")].some((e) => /^(Chargement|Calcul)/.test(e.textContent)));
}

test("Conflit entre la correction du médecin et un renvoi du laboratoire", async (t) => {
  const { baseURL } = suite.server;
  const page = await newPage(suite.browser, baseURL);
  const step = journey(t, page);

  const physicianToken = await apiLogin(baseURL, demoAccounts.physician);
  const labToken = await apiLogin(baseURL, demoAccounts.laboratory);
  const { worker, establishment, physicianName } = await followedWorker(baseURL, physicianToken);
  const siret = establishment.siret;
  const name = `${worker.firstNames} ${worker.lastName}`;
  const period = monthsBack(2);
  const [start, end] = [period.start, period.end].map((d) => d.split("-").reverse().join("/"));
  const periodText = `${start} – ${end}`;
  const dosimeter = "E2E-CONFLIT-0001";
  const keepReason = "Dosimètre porté par un collègue le 12, confirmé par l'entretien";
  const acceptReason = "Nouvelle lecture du dosimètre confirmée par le laboratoire";

  /** Submits one result of `valueMsv` for the worker's dosimeter and period as the laboratory; checks it was accepted. */
  async function labSends(valueMsv, reference) {
    const { submitLabResults: report } = await gql(baseURL, labToken, submitLabResults, {
      reference,
      rows: [labInput(worker, siret, { dosimeter, valueMsv, period })],
    });
    assert.equal(report.status, "ACCEPTED", JSON.stringify(report.problems));
    assert.equal(report.rowsAccepted, 1);
  }

  /** The row of the worker file's results table for the period with `value` shown. */
  const resultRow = (value) =>
    page.getByRole("table", { name: /résultats? \(toutes versions\)/ }).getByRole("row").filter({ hasText: periodText }).filter({ hasText: value });

  /** The open conflict of the worker in the inbox. */
  const conflictCard = () => page.getByRole("region", { name });

  await step("Le laboratoire transmet un résultat pour un travailleur suivi", async () => {
    await labSends(1.234, "E2E-CONFLIT-1");
  });

  await step("Le médecin corrige ce résultat dans le dossier du travailleur", async () => {
    await openAndSignIn(page, demoAccounts.physician);
    await page.getByRole("heading", { level: 1, name: "Mes travailleurs suivis" }).waitFor();
    await page.goto(`/travailleurs-suivis/${worker.id}`);
    await page.getByRole("heading", { level: 1, name }).waitFor();
    await resultRow("1,234 mSv").getByRole("button", { name: "Corriger" }).click();
    await page.getByLabel(/Nouvelle valeur/).fill("0,8");
    await page.getByLabel(/Motif de la correction/).fill(keepReason);
    await page.getByRole("button", { name: "Enregistrer la correction" }).click();
    await page.getByText("La correction a été enregistrée : une nouvelle version remplace la précédente.").waitFor();
    await resultRow("0,8 mSv").filter({ hasText: "Corrigé" }).waitFor();
  });

  await step("Le laboratoire renvoie une autre valeur pour le même dosimètre", async () => {
    await labSends(1.5, "E2E-CONFLIT-2");
  });

  await step("Le délégataire du médecin consulte le conflit sans pouvoir le trancher", async () => {
    const delegate = await createDelegate(baseURL, {
      adminToken: await apiLogin(baseURL, demoAccounts.admin),
      physicianToken,
      physicianEmail: demoAccounts.physician,
      establishmentID: establishment.id,
      email: "delegue-conflits@demo.siseri.fr",
    });
    const delegatePage = await newPage(suite.browser, baseURL);
    let secret;
    try {
      await openAndSignIn(delegatePage, delegate.email, delegate.password);
      // Not a demo account: the delegate enrols an authenticator app first.
      ({ secret } = await completeSecondFactor(delegatePage, null));
      await delegatePage.getByRole("heading", { level: 1, name: "Mes travailleurs suivis" }).waitFor();
      await delegatePage.getByRole("navigation", { name: "Menu principal" }).getByRole("link", { name: /Conflits de correction/ }).click();
      await delegatePage.getByText("Seul le médecin du travail tranche ces conflits", { exact: false }).waitFor();
      const card = delegatePage.getByRole("region", { name });
      await card.getByRole("table").getByRole("row").filter({ hasText: "1,5 mSv" }).waitFor();
      assert.equal(await delegatePage.getByRole("button", { name: "Valider la décision" }).count(), 0);
      assert.equal(await delegatePage.getByRole("radio").count(), 0);
      await loaded(delegatePage);
      await expectAccessible(delegatePage, "conflits de correction du délégataire");
    } finally {
      await delegatePage.context().close();
    }
    // The server refuses the decision too, whatever the screen shows.
    const token = await apiLoginWithCode(baseURL, delegate.email, delegate.password, secret);
    // The demo holds a conflict of its own (another worker's): this worker's only.
    const { doseConflicts } = await gql(baseURL, token, "query($w: ID!) { doseConflicts(first: 5, where: { status: OPEN, workerID: $w }) { edges { node { id } } } }", { w: worker.id });
    assert.equal(doseConflicts.edges.length, 1);
    await assert.rejects(
      gql(baseURL, token, `mutation($id: ID!) { resolveDoseConflict(id: $id, decision: ACCEPT_LABORATORY, reason: "Essai") { id } }`, { id: doseConflicts.edges[0].node.id }),
      /"code":"FORBIDDEN(_FIELD)?"/,
    );
  });

  await step("Le dossier montre le renvoi en attente de décision, la correction en vigueur", async () => {
    await page.reload();
    await resultRow("1,5 mSv").filter({ hasText: "En attente de décision" }).waitFor();
    await resultRow("0,8 mSv").getByRole("link", { name: "Voir le conflit" }).waitFor();
    await loaded(page);
    await expectAccessible(page, "dossier avec un renvoi en attente");
  });

  await step("Le médecin ouvre les conflits de correction depuis le menu", async () => {
    await page.getByRole("navigation", { name: "Menu principal" }).getByRole("link", { name: /^Conflits de correction \d+ à trancher$/ }).click();
    await page.getByRole("heading", { level: 1, name: "Conflits de correction" }).waitFor();
    const values = conflictCard().getByRole("table", { name: `Valeurs en conflit pour ${name}` });
    const correction = values.getByRole("row").filter({ hasText: "Correction du médecin du travail" });
    await correction.filter({ hasText: "0,8 mSv" }).filter({ hasText: keepReason }).waitFor();
    const resend = values.getByRole("row").filter({ hasText: "Renvoi du laboratoire" });
    await resend.filter({ hasText: "1,5 mSv" }).waitFor();
    await conflictCard().getByText(`Dosimétrie passive corps entier, Hp(10), du ${start} au ${end}`).waitFor();
    await loaded(page);
    await expectNoErrorAlert(page, "conflits de correction");
    await expectAccessible(page, "conflits de correction");
    await keepScreenshot(page, "conflits-de-correction");
  });

  await step("Il valide sans motif : le motif lui est demandé", async () => {
    // DSFR draws the radio on its label: the label takes the click.
    await conflictCard().getByText("Conserver ma correction").click();
    assert.ok(await conflictCard().getByLabel(/Conserver ma correction/).isChecked());
    await conflictCard().getByRole("button", { name: "Valider la décision" }).click();
    await conflictCard().getByText("Le motif de la décision est obligatoire.").waitFor();
    await expectAccessible(page, "décision sans motif");
  });

  await step("Il conserve sa correction avec un motif", async () => {
    await conflictCard().getByLabel(/Motif de la décision/).fill("Le collègue a confirmé avoir porté ce dosimètre");
    await conflictCard().getByRole("button", { name: "Valider la décision" }).click();
    await page.getByText("La décision a été enregistrée.").waitFor();
    // The demo's own conflict (another worker's) stays open.
    await conflictCard().waitFor({ state: "detached" });
  });

  await step("Le conflit figure parmi les conflits tranchés", async () => {
    await page.getByRole("tab", { name: "Conflits tranchés" }).click();
    const decided = page.getByRole("table", { name: /conflits? tranchés?/ });
    const row = decided.getByRole("row").filter({ hasText: name });
    await row.filter({ hasText: "Correction conservée" }).filter({ hasText: "Le collègue a confirmé avoir porté ce dosimètre" }).filter({ hasText: physicianName }).waitFor();
    await expectAccessible(page, "conflits tranchés");
  });

  await step("Le laboratoire ne lit pas la correction du médecin (RC01)", async () => {
    const { corrections, mine } = await gql(
      baseURL,
      labToken,
      `query($serial: String!) {
        corrections: doseRecords(first: 10, where: { source: PHYSICIAN }) { totalCount }
        mine: doseRecords(first: 10, where: { dosimeterSerial: $serial }) { edges { node { source valueMsv } } }
      }`,
      { serial: dosimeter },
    );
    assert.equal(corrections.totalCount, 0, "aucune correction de médecin lisible par le laboratoire");
    const versions = mine.edges.map((e) => e.node);
    assert.ok(versions.length >= 2, "le laboratoire lit ses propres envois");
    assert.ok(versions.every((v) => v.source === "LABORATORY" && v.valueMsv !== 0.8), JSON.stringify(versions));
  });

  await step("Le laboratoire renvoie encore une valeur, le médecin l'accepte", async () => {
    await labSends(1.6, "E2E-CONFLIT-3");
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Conflits de correction" }).waitFor();
    await conflictCard().getByRole("table").getByRole("row").filter({ hasText: "1,6 mSv" }).waitFor();
    await conflictCard().getByText("Accepter la valeur du laboratoire").click();
    await conflictCard().getByLabel(/Motif de la décision/).fill(acceptReason);
    await conflictCard().getByRole("button", { name: "Valider la décision" }).click();
    await page.getByText("La décision a été enregistrée.").waitFor();
    await conflictCard().waitFor({ state: "detached" });
    await page.getByRole("tab", { name: "Conflits tranchés" }).click();
    await page.getByRole("table", { name: /conflits? tranchés?/ }).getByRole("row").filter({ hasText: "Valeur du laboratoire acceptée" }).filter({ hasText: acceptReason }).waitFor();
  });

  await step("Le dossier montre la valeur du laboratoire comme version en vigueur", async () => {
    await page.goto(`/travailleurs-suivis/${worker.id}`);
    await page.getByRole("heading", { level: 1, name }).waitFor();
    // Only the version in force can be corrected.
    await resultRow("1,6 mSv").getByRole("button", { name: "Corriger" }).waitFor();
    await resultRow("0,8 mSv").filter({ hasText: "Remplacé" }).waitFor();
    await resultRow("1,5 mSv").filter({ hasText: "Non retenu" }).waitFor();
    assert.equal(await resultRow("En attente de décision").count(), 0);
    await loaded(page);
    await expectNoErrorAlert(page, "dossier après la décision");
    await keepScreenshot(page, "dossier-apres-conflit");
  });

  await page.context().close();
});
