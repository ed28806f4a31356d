// A physician corrects a dose: the correction is a new version, the old one stays.
import { test } from "node:test";

import { expectAccessible, expectNoErrorAlert } from "../fixtures/a11y.mjs";
import { openAndSignIn } from "../fixtures/auth.mjs";
import { journey, newPage, useServerAndBrowser } from "../fixtures/browser.mjs";
import { demoAccounts } from "../fixtures/server.mjs";

const suite = useServerAndBrowser();

test("Correction d'une dose par le médecin du travail", async (t) => {
  const page = await newPage(suite.browser, suite.server.baseURL);
  const step = journey(t, page);
  const reason = "Erreur de saisie du laboratoire confirmée";

  await step("Le médecin recherche un travailleur suivi et ouvre son dossier", async () => {
    await openAndSignIn(page, demoAccounts.physician);
    await page.getByRole("heading", { level: 1, name: "Mes travailleurs suivis" }).waitFor();
    await page.getByLabel("Nom de naissance").fill("Roy");
    await page.getByRole("button", { name: "Rechercher" }).click();
    await page.getByRole("table", { name: /travailleurs? suivis?/ }).getByRole("link").first().click();
    await page.getByRole("heading", { level: 2, name: "Résultats, versions et corrections" }).waitFor();
    await page.getByRole("table", { name: /résultats? \(toutes versions\)/ }).waitFor();
    await page.getByRole("heading", { level: 2, name: "Anomalies de ce travailleur" }).waitFor();
    await page.waitForFunction(() => ![...document.querySelectorAll("[role=status]")].some((e) => e.textContent.startsWith("Chargement") || e.textContent.startsWith("Calcul")));
    await expectNoErrorAlert(page, "dossier du travailleur");
    await expectAccessible(page, "dossier du travailleur");
  });

  await step("Il corrige la dernière dose avec un motif", async () => {
    await page.getByRole("button", { name: "Corriger" }).first().click();
    await page.getByLabel(/Nouvelle valeur/).fill("0,42");
    await page.getByLabel(/Motif de la correction/).fill(reason);
    await page.getByRole("button", { name: "Enregistrer la correction" }).click();
    await page.getByText("La correction a été enregistrée : une nouvelle version remplace la précédente.").waitFor();
  });

  await step("La correction apparaît comme une nouvelle version", async () => {
    const table = page.getByRole("table", { name: /résultats? \(toutes versions\)/ });
    await table.getByRole("row").filter({ hasText: reason }).filter({ hasText: "Corrigé" }).first().waitFor();
    await table.getByRole("row").filter({ hasText: "Remplacé" }).first().waitFor();
    await expectAccessible(page, "dossier après correction");
  });

  await page.context().close();
});
