// The API explorer (GraphiQL at /explorer/): a partner signs in with its API
// key and sees only the fields of its profile; a signed-in adviser uses the
// session.
import assert from "node:assert/strict";
import { test } from "node:test";

import { keepScreenshot } from "../fixtures/a11y.mjs";
import { apiLogin, gql } from "../fixtures/api.mjs";
import { openAndSignIn } from "../fixtures/auth.mjs";
import { journey, newPage, useServerAndBrowser } from "../fixtures/browser.mjs";
import { demoAccounts } from "../fixtures/server.mjs";

const suite = useServerAndBrowser();

/** Creates, as the demo administrator, a key of the occupational health software profile on the demo physician's grant. */
async function createPartnerKey(baseURL) {
  const admin = await apiLogin(baseURL, demoAccounts.admin);
  const { grants } = await gql(baseURL, admin, `query($where: GrantWhereInput) { grants(first: 1, where: $where) { edges { node { id } } } }`, {
    where: { role: "OCCUPATIONAL_PHYSICIAN", hasAccountWith: [{ email: demoAccounts.physician }] },
  });
  const grantID = grants.edges[0]?.node.id;
  assert.ok(grantID, "le médecin de démonstration a une habilitation");
  const { createApiKey } = await gql(
    baseURL,
    admin,
    `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }`,
    { input: { name: "Logiciel de santé au travail (explorateur)", profile: "OCCUPATIONAL_HEALTH_SOFTWARE", grantID } },
  );
  return createApiKey.key;
}

/** Replaces the query of the GraphiQL editor (CodeMirror 5 keeps its instance on its wrapper). */
async function setQuery(page, query) {
  await page.locator(".graphiql-query-editor .CodeMirror").waitFor();
  await page.evaluate((q) => document.querySelector(".graphiql-query-editor .CodeMirror").CodeMirror.setValue(q), query);
}

/** Opens the documentation explorer on the Query type and returns the names of its fields. */
async function queryFieldsInDocs(page) {
  await page.getByRole("button", { name: "Show Documentation Explorer" }).click();
  const docs = page.locator(".graphiql-doc-explorer");
  await docs.getByRole("link", { name: "Query", exact: true }).first().click();
  await docs.locator(".graphiql-doc-explorer-title", { hasText: "Query" }).waitFor();
  await docs.locator(".graphiql-doc-explorer-field-name").first().waitFor();
  return docs.locator(".graphiql-doc-explorer-field-name").allInnerTexts();
}

test("Un partenaire ouvre l'explorateur avec sa clé d'API", async (t) => {
  const page = await newPage(suite.browser, suite.server.baseURL);
  const step = journey(t, page);
  const key = await createPartnerKey(suite.server.baseURL);

  await step("Ouverture de l'explorateur sans session", async () => {
    await page.goto("/explorer");
    await page.getByRole("heading", { level: 1, name: "SISERI — Explorateur de l'API" }).waitFor();
    await page.getByText("Non connecté·e", { exact: false }).waitFor();
  });

  await step("Saisie de la clé d'API", async () => {
    await page.getByLabel("Clé d'API (partenaires)").fill(key);
    await page.getByRole("button", { name: "Utiliser la clé" }).click();
    await page.getByText("Connecté·e avec la clé d'API saisie.").waitFor();
  });

  await step("Exécution d'une requête", async () => {
    await setQuery(page, "{ workers(first: 1) { totalCount } }");
    await page.getByRole("button", { name: /Execute query/ }).click();
    const response = page.locator(".graphiql-response .CodeMirror");
    await response.getByText('"totalCount"', { exact: false }).waitFor();
    assert.doesNotMatch(await response.innerText(), /"errors"/);
  });

  await step("La documentation ne montre que les champs du profil", async () => {
    const fields = await queryFieldsInDocs(page);
    assert.ok(fields.includes("workers"), `workers dans ${fields}`);
    assert.ok(fields.includes("doseRecords"), `doseRecords dans ${fields}`);
    // The physician's session may list anomalies; the occupational health software profile may not.
    assert.ok(!fields.includes("anomalies"), `anomalies absent de ${fields}`);
    assert.ok(!fields.includes("doseConflicts"), `doseConflicts absent de ${fields}`);
    await keepScreenshot(page, "explorer-partner-key");
  });

  await page.context().close();
});

test("Un conseiller en radioprotection connecté ouvre l'explorateur avec sa session", async (t) => {
  const page = await newPage(suite.browser, suite.server.baseURL);
  const step = journey(t, page);

  await step("Connexion puis ouverture de l'explorateur", async () => {
    await openAndSignIn(page, demoAccounts.adviser);
    await page.waitForURL(`${suite.server.baseURL}/`);
    await page.goto("/explorer/");
    await page.getByText("Connecté·e avec votre session SISERI.").waitFor();
  });

  await step("Requête et documentation avec la session", async () => {
    await setQuery(page, "{ me { activeRole } }");
    await page.getByRole("button", { name: /Execute query/ }).click();
    await page.locator(".graphiql-response .CodeMirror").getByText("RADIATION_PROTECTION_ADVISER", { exact: false }).waitFor();
    const fields = await queryFieldsInDocs(page);
    assert.ok(fields.includes("anomalies"), `anomalies dans ${fields}`);
    // The administrator's audit events are not the adviser's.
    assert.ok(!fields.includes("auditEvents"), `auditEvents absent de ${fields}`);
    await keepScreenshot(page, "explorer-adviser-session");
  });

  await page.context().close();
});
