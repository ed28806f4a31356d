// What a non-administrator sees: their own dashboard and roles, and no registry pages.
import assert from "node:assert/strict";
import { test } from "node:test";

import { openAndSignIn } from "../fixtures/auth.mjs";
import { journey, newPage, useServerAndBrowser } from "../fixtures/browser.mjs";
import { demoAccounts } from "../fixtures/server.mjs";

const suite = useServerAndBrowser();

test("Accueil d'un médecin du travail", async (t) => {
  const page = await newPage(suite.browser, suite.server.baseURL);
  const step = journey(t, page);

  await step("Connexion du médecin du travail", async () => {
    await openAndSignIn(page, demoAccounts.physician);
    await page.getByRole("heading", { level: 1, name: "Mes travailleurs suivis" }).waitFor();
  });

  await step("Son rôle est affiché, sans accès au registre", async () => {
    const nav = page.getByRole("navigation", { name: "Menu principal" });
    assert.equal(await nav.getByRole("link", { name: "Travailleurs", exact: true }).count(), 0);
    await page.goto("/compte");
    await page.getByRole("list", { name: "Vos rôles" }).getByText("Médecin du travail", { exact: true }).waitFor();
  });

  await step("La liste des travailleurs lui est refusée", async () => {
    await page.goto("/travailleurs");
    await page.getByText("Accès refusé").waitFor();
  });

  await step("Une adresse inconnue affiche la page 404", async () => {
    await page.goto("/adresse-inconnue");
    await page.getByRole("heading", { level: 1, name: "Page non trouvée" }).waitFor();
    await page.getByRole("link", { name: "Page d'accueil" }).click();
    await page.waitForURL(`${suite.server.baseURL}/`);
  });

  await page.context().close();
});
