// The employer correspondent's bulk declaration: a declarations file uploaded
// from the browser creates the worker and the employment, and the report shows
// no dose distribution (dosimetric data the employer may not read).
import assert from "node:assert/strict";
import { test } from "node:test";

import { expectAccessible } from "../fixtures/a11y.mjs";
import { apiLogin, gql } from "../fixtures/api.mjs";
import { openAndSignIn } from "../fixtures/auth.mjs";
import { journey, newPage, useServerAndBrowser } from "../fixtures/browser.mjs";
import { demoAccounts } from "../fixtures/server.mjs";

const suite = useServerAndBrowser();

/** A valid NIR (key = 97 − number mod 97) for a woman born in May 1990. */
function nir(order) {
  const first = `29005750561${String(order).padStart(2, "0")}`;
  const key = 97n - (BigInt(first) % 97n);
  return first + String(key).padStart(2, "0");
}

const header = "siret;nir;nom;prenom;date_naissance;sexe;date_debut;date_fin;type_contrat;secteur;metier;categorie";

test("Déclaration en masse par le correspondant de l'employeur", async (t) => {
  const { baseURL } = suite.server;
  const token = await apiLogin(baseURL, demoAccounts.employer);
  const { me } = await gql(baseURL, token, "{ me { grants { establishmentID } } }");
  const ids = me.grants.map((g) => g.establishmentID).filter(Boolean);
  const { employments } = await gql(
    baseURL,
    token,
    `query($ids: [ID!]) { employments(first: 1, where: { establishmentIDIn: $ids, sectorCodeNotNil: true, jobCodeNotNil: true }) { edges { node { sectorCode jobCode establishment { siret } } } } }`,
    { ids },
  );
  const e = employments.edges[0].node;
  const lines = [
    [e.establishment.siret, nir(42), "Lambert", "Zoé", "1990-05-12", "F", "2025-01-06", "", "CDD", e.sectorCode, e.jobCode, "B"].join(";"),
  ];
  const page = await newPage(suite.browser, baseURL);
  const step = journey(t, page);

  await step("Le correspondant dépose un fichier de déclarations", async () => {
    await openAndSignIn(page, demoAccounts.employer);
    await page.getByRole("link", { name: "Dépôt de déclarations" }).first().click();
    await page.getByRole("heading", { level: 1, name: "Dépôt de déclarations" }).waitFor();
    await page.getByLabel(/Fichier CSV/).setInputFiles({ name: "declarations.csv", mimeType: "text/csv", buffer: Buffer.from(`${header}\n${lines.join("\n")}\n`) });
    await page.getByRole("button", { name: "Déposer le fichier" }).click();
    await page.getByText("Lot accepté").waitFor({ timeout: 15_000 });
    await page.getByText(/1 travailleur créé/).waitFor();
    assert.equal(await page.getByRole("table", { name: /Répartition des doses/ }).count(), 0, "aucune répartition de doses pour l'employeur");
    await expectAccessible(page, "dépôt de déclarations");
  });

  await step("Le travailleur déclaré figure dans les données de l'employeur", async () => {
    const { workers } = await gql(baseURL, token, `{ workers(first: 5, where: { lastNameContainsFold: "lambert" }) { edges { node { firstNames } } } }`);
    assert.ok(workers.edges.some((w) => w.node.firstNames.toUpperCase().includes("ZO")), JSON.stringify(workers));
  });
});
