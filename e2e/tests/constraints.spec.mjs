// Dose constraints (issue 14): the adviser sets the establishment's dose
// constraint below the default 3/10 of the limit; a laboratory result above
// it raises a notice listed in « Avis de dépassement de contrainte », never in
// the anomalies; ending the constraint keeps it in the history.
import assert from "node:assert/strict";
import { test } from "node:test";

import { expectAccessible, expectNoErrorAlert, keepScreenshot } from "../fixtures/a11y.mjs";
import { apiLogin, gql } from "../fixtures/api.mjs";
import { openAndSignIn } from "../fixtures/auth.mjs";
import { journey, newPage, useServerAndBrowser } from "../fixtures/browser.mjs";
import { labInput, monthsBack } from "../fixtures/lab-csv.mjs";
import { demoAccounts } from "../fixtures/server.mjs";

const suite = useServerAndBrowser();

/** Waits until no loading status line is left on the page. */
async function loaded(page) {
  await page.waitForFunction(() => ![...document.querySelectorAll("[role=status]")].some((e) => /^Chargement/.test(e.textContent)));
}

test("Contrainte de dose fixée par le conseiller et avis de dépassement", async (t) => {
  const { baseURL } = suite.server;
  const page = await newPage(suite.browser, baseURL);
  const step = journey(t, page);
  const adviserToken = await apiLogin(baseURL, demoAccounts.adviser);
  const labToken = await apiLogin(baseURL, demoAccounts.laboratory);
  const { me } = await gql(baseURL, adviserToken, "{ me { grants { establishmentID } } }");
  const establishmentID = me.grants.map((g) => g.establishmentID).find(Boolean);
  assert.ok(establishmentID, "le conseiller de démonstration a un établissement");
  const { node: establishment } = await gql(baseURL, adviserToken, `query($id: ID!) { node(id: $id) { ... on Establishment { name siret } } }`, {
    id: establishmentID,
  });
  const { employments } = await gql(
    baseURL,
    adviserToken,
    `query($where: EmploymentWhereInput) {
      employments(first: 1, where: $where) { edges { node { worker { nir lastName firstNames birthDate } } } }
    }`,
    { where: { establishmentID, endDateIsNil: true } },
  );
  const worker = employments.edges[0]?.node.worker;
  assert.ok(worker, "un travailleur en poste dans l'établissement du conseiller");
  const section = () => page.getByRole("region", { name: `Contraintes de dose — ${establishment.name}` });

  await step("Le conseiller ouvre « Contraintes de dose » : les niveaux par défaut s'appliquent", async () => {
    await openAndSignIn(page, demoAccounts.adviser);
    await page.getByRole("navigation", { name: "Menu principal" }).getByRole("link", { name: "Contraintes de dose" }).click();
    await page.getByRole("heading", { level: 1, name: "Contraintes de dose" }).waitFor();
    await loaded(page);
    await section().getByRole("table", { name: /contraintes? de dose applicables?/ }).getByText("Par défaut (3/10 de la limite)").first().waitFor();
    await expectNoErrorAlert(page, "Contraintes de dose");
    await expectAccessible(page, "contraintes de dose");
  });

  await step("Une contrainte au-dessus de la limite est refusée dans le champ", async () => {
    await section().getByLabel("Limite concernée").selectOption("EFFECTIVE");
    await section().getByLabel(/Contrainte en mSv/).fill("25");
    await section().getByRole("button", { name: "Enregistrer la contrainte" }).click();
    await section().getByText(/ne peut pas dépasser la limite réglementaire \(20 mSv/).waitFor();
  });

  await step("Le conseiller fixe 0,8 mSv sur 12 mois pour tout l'établissement", async () => {
    await section().getByLabel(/Contrainte en mSv/).fill("0,8");
    await section().getByLabel(/Commentaire/).fill("Objectif d'optimisation e2e");
    await section().getByRole("button", { name: "Enregistrer la contrainte" }).click();
    await section().getByText("La contrainte de dose est enregistrée.").waitFor();
    await section().getByRole("row").filter({ hasText: "Tous métiers" }).filter({ hasText: "0,80 mSv" }).waitFor();
    await keepScreenshot(page, "contraintes-de-dose");
  });

  await step("Un résultat au-dessus de la contrainte, sous 3/10 de la limite, donne un avis, pas une anomalie", async () => {
    const { submitLabResults: report } = await gql(
      baseURL,
      labToken,
      `mutation($reference: String!, $rows: [LabResultInput!]!) {
        submitLabResults(reference: $reference, rows: $rows) { status constraintNoticesRaised problems { code message } }
      }`,
      { reference: "E2E-CONTRAINTE-1", rows: [labInput(worker, establishment.siret, { dosimeter: "E2E-CONTRAINTE-01", valueMsv: 0.3, period: monthsBack(1) })] },
    );
    assert.equal(report.status, "ACCEPTED", JSON.stringify(report.problems));
    assert.equal(report.constraintNoticesRaised, 1);
    await page.getByRole("navigation", { name: "Menu principal" }).getByRole("link", { name: "Avis de contrainte" }).click();
    await page.getByRole("heading", { level: 1, name: "Avis de dépassement de contrainte" }).waitFor();
    await page
      .getByRole("table", { name: /avis de dépassement de contrainte/ })
      .getByRole("row")
      .filter({ hasText: worker.lastName })
      .filter({ hasText: "au-dessus de la contrainte de dose de l'établissement (0,80 mSv sur 12 mois" })
      .first()
      .waitFor();
    await expectAccessible(page, "avis de dépassement de contrainte");
    const { anomalies } = await gql(baseURL, adviserToken, `{ anomalies(first: 1000) { edges { node { kind } } } }`);
    assert.ok(!anomalies.edges.some((e) => e.node.kind === "DOSE_CONSTRAINT_EXCEEDED"), "aucun avis dans les anomalies");
  });

  await step("Le conseiller met fin à la contrainte : elle reste dans l'historique", async () => {
    await page.goto("/contraintes-de-dose");
    await loaded(page);
    await section().getByRole("row").filter({ hasText: "0,80 mSv" }).getByRole("button", { name: "Mettre fin" }).click();
    await section().getByRole("table", { name: /contraintes? de dose terminées?/ }).getByText("Objectif d'optimisation e2e").waitFor();
  });

  await page.context().close();
});
