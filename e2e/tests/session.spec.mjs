// Session expiry and sign-in throttling, as the user sees them.
import assert from "node:assert/strict";
import { test } from "node:test";

import { openAndSignIn, signIn } from "../fixtures/auth.mjs";
import { journey, newPage, useServerAndBrowser } from "../fixtures/browser.mjs";
import { demoAccounts } from "../fixtures/server.mjs";

const suite = useServerAndBrowser();

test("Expiration de la session pendant la consultation", async (t) => {
  const page = await newPage(suite.browser, suite.server.baseURL);
  const step = journey(t, page);

  await step("Connexion de l'administrateur", async () => {
    await openAndSignIn(page, demoAccounts.admin);
    await page.getByRole("heading", { level: 1, name: "Administration de SISERI" }).waitFor();
  });

  await step("La session disparaît, puis l'administrateur ouvre les établissements", async () => {
    await page.context().clearCookies();
    await page.getByRole("navigation", { name: "Menu principal" }).getByRole("link", { name: "Établissements" }).click();
    await page.waitForURL(`${suite.server.baseURL}/connexion?session=expiree`);
    await page.getByText("Votre session a expiré. Reconnectez-vous pour continuer.").waitFor();
  });

  await step("Reconnexion et consultation des établissements", async () => {
    await signIn(page, demoAccounts.admin);
    await page.waitForURL(`${suite.server.baseURL}/`);
    await page.goto("/etablissements");
    await page.getByRole("heading", { level: 1, name: "Établissements" }).waitFor();
    await page.getByRole("table").waitFor();
    const headers = await page.getByRole("table").getByRole("columnheader").allInnerTexts();
    assert.deepEqual(headers, ["SIRET", "Nom", "Ville", "Région"]);
    assert.ok((await page.getByRole("table").locator("tbody tr").count()) > 0, "au moins un établissement");
  });

  await page.context().close();
});

test("Trop de tentatives de connexion : message d'alerte", async (t) => {
  const page = await newPage(suite.browser, suite.server.baseURL);
  const step = journey(t, page);

  await step("Six mauvais mots de passe de suite pour le même compte", async () => {
    await page.goto("/connexion");
    for (let i = 0; i < 6; i++) {
      await signIn(page, demoAccounts.laboratory, `mauvais-${i}`);
      await page.getByRole("button", { name: "Se connecter" }).and(page.locator(":enabled")).waitFor();
    }
    const alert = page.locator(".fr-alert").filter({ hasText: "Trop de tentatives" });
    await alert.waitFor();
    await alert.getByText("Réessayez dans quelques minutes.", { exact: false }).waitFor();
  });

  await page.context().close();
});
