// A physician whose account is not a demo one signs in with a password, then
// a second factor: enrolment of an authenticator app, a code, a recovery code.
import assert from "node:assert/strict";
import { test } from "node:test";

import { apiLogin, gql } from "../fixtures/api.mjs";
import { openAndSignIn } from "../fixtures/auth.mjs";
import { expectAccessible, keepScreenshot } from "../fixtures/a11y.mjs";
import { journey, newPage, useServerAndBrowser } from "../fixtures/browser.mjs";
import { demoAccounts } from "../fixtures/server.mjs";
import { completeSecondFactor } from "../fixtures/totp.mjs";

const suite = useServerAndBrowser();

const physician = { email: "dr.lemaire@hopital.test.fr", password: "un-mot-de-passe-solide-2fa" };

/** Creates, as the demo administrator, a physician account on an establishment. */
async function createPhysician(baseURL) {
  const admin = await apiLogin(baseURL, demoAccounts.admin);
  const { establishments } = await gql(baseURL, admin, `{ establishments(first: 1) { edges { node { id } } } }`);
  const { createAccount } = await gql(
    baseURL,
    admin,
    `mutation($input: CreateAccountInput!) { createAccount(input: $input) { id } }`,
    { input: { email: physician.email, displayName: "Dr Claire Lemaire", password: physician.password } },
  );
  await gql(baseURL, admin, `mutation($input: CreateGrantInput!) { createGrant(input: $input) { id } }`, {
    input: {
      role: "OCCUPATIONAL_PHYSICIAN",
      accountID: createAccount.id,
      establishmentID: establishments.edges[0].node.id,
      validFrom: new Date(Date.now() - 3600_000).toISOString(),
    },
  });
}

/** Checks a screen with axe and keeps its screenshot. */
async function check(page, screen) {
  await expectAccessible(page, screen);
  await keepScreenshot(page, screen);
}

async function signOut(page) {
  await page.getByRole("button", { name: "Se déconnecter" }).first().click();
  await page.getByText("Vous êtes déconnecté. À bientôt sur SISERI.").waitFor();
}

test("Vérification en deux étapes d'un médecin du travail", async (t) => {
  const page = await newPage(suite.browser, suite.server.baseURL);
  const step = journey(t, page);
  const home = page.getByRole("heading", { level: 1, name: "Mes travailleurs suivis" });
  let enrolled;

  await step("L'administrateur crée le compte d'un médecin", async () => {
    await createPhysician(suite.server.baseURL);
  });

  await step("Première connexion : le médecin inscrit son application d'authentification", async () => {
    await openAndSignIn(page, physician.email, physician.password);
    enrolled = await completeSecondFactor(page, null, { check });
    assert.equal(enrolled.recoveryCodes.length, 10);
    assert.match(enrolled.recoveryCodes[0], /^[A-Z2-7]{5}-[A-Z2-7]{5}$/);
    await home.waitFor();
  });

  await step("Reconnexion avec un code de l'application", async () => {
    await signOut(page);
    await openAndSignIn(page, physician.email, physician.password);
    await completeSecondFactor(page, enrolled.secret, { check });
    await home.waitFor();
  });

  await step("Reconnexion avec un code de secours", async () => {
    await signOut(page);
    await openAndSignIn(page, physician.email, physician.password);
    await completeSecondFactor(page, { recoveryCode: enrolled.recoveryCodes[0] });
    await home.waitFor();
  });

  await step("Sécurité du compte : il reste 9 codes de secours", async () => {
    await page.goto("/compte/securite");
    await page.getByRole("heading", { level: 1, name: "Sécurité du compte" }).waitFor();
    await page.getByText("Il vous reste 9 codes de secours inutilisés.").waitFor();
    await check(page, "account-security");
  });

  await step("Un code de secours déjà utilisé est refusé", async () => {
    await signOut(page);
    await openAndSignIn(page, physician.email, physician.password);
    await completeSecondFactor(page, { recoveryCode: enrolled.recoveryCodes[0] });
    await page.getByText("Code incorrect ou expiré.", { exact: false }).waitFor();
    assert.equal(await home.count(), 0);
  });

  await page.context().close();
});
