// A person chooses their e-mail notifications from their account page; the choice is kept.
import assert from "node:assert/strict";
import { test } from "node:test";

import { openAndSignIn } from "../fixtures/auth.mjs";
import { journey, newPage, useServerAndBrowser } from "../fixtures/browser.mjs";
import { demoAccounts } from "../fixtures/server.mjs";

const suite = useServerAndBrowser();

test("Notifications par courriel d'un médecin du travail", async (t) => {
  const page = await newPage(suite.browser, suite.server.baseURL);
  const step = journey(t, page);

  await step("Depuis son compte, le médecin ouvre ses notifications par courriel", async () => {
    await openAndSignIn(page, demoAccounts.physician);
    await page.getByRole("heading", { level: 1, name: "Mes travailleurs suivis" }).waitFor();
    await page.goto("/compte");
    await page.getByRole("link", { name: "Notifications par courriel" }).click();
    await page.getByRole("heading", { level: 1, name: "Notifications par courriel" }).waitFor();
  });

  await step("Les réglages par défaut de son rôle sont affichés", async () => {
    const exceedances = page.getByLabel(/Dépassement de limite à confirmer/);
    await exceedances.waitFor();
    assert.equal(await exceedances.inputValue(), "IMMEDIATE");
    assert.equal(await page.getByLabel(/Nouvelle anomalie/).inputValue(), "DAILY_DIGEST");
  });

  await step("Il choisit de ne plus recevoir de courriel pour les nouvelles anomalies", async () => {
    await page.getByLabel(/Nouvelle anomalie/).selectOption("OFF");
    await page.getByText("Réglage enregistré : nouvelle anomalie.").waitFor();
  });

  await step("Le choix est conservé après un rechargement", async () => {
    await page.reload();
    const anomalies = page.getByLabel(/Nouvelle anomalie/);
    await anomalies.waitFor();
    assert.equal(await anomalies.inputValue(), "OFF");
  });

  await page.context().close();
});
