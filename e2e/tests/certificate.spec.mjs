// The worker downloads a signed PDF certificate; the public verification page
// says it is authentic, then that a modified copy is not.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";

import { expectAccessible, expectNoErrorAlert, keepScreenshot } from "../fixtures/a11y.mjs";
import { openAndSignIn } from "../fixtures/auth.mjs";
import { journey, newPage, useServerAndBrowser } from "../fixtures/browser.mjs";
import { demoAccounts } from "../fixtures/server.mjs";

const suite = useServerAndBrowser();

test("Attestation signée et page de vérification publique", async (t) => {
  const page = await newPage(suite.browser, suite.server.baseURL);
  const step = journey(t, page);
  let pdf;
  let verifyPath;

  await step("Le travailleur télécharge son attestation signée", async () => {
    await openAndSignIn(page, demoAccounts.worker);
    await page.getByRole("heading", { level: 1, name: "Mon suivi dosimétrique" }).waitFor();
    await page.goto("/mon-suivi/attestation");
    await page.getByRole("heading", { level: 1, name: "Attestation d'historique dosimétrique" }).waitFor();
    await page.getByRole("heading", { level: 2, name: "Attestation signée par le registre" }).waitFor();
    await expectNoErrorAlert(page, "attestation");
    await expectAccessible(page, "attestation");
    await keepScreenshot(page, "certificate-worker");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: /Télécharger l'attestation signée/ }).click()]);
    assert.match(download.suggestedFilename(), /^attestation-dosimetrique-[A-Z2-7]{12}\.pdf$/);
    pdf = await readFile(await download.path());
    assert.equal(pdf.subarray(0, 5).toString(), "%PDF-");
    // The QR code's link is also the PDF's link annotation, in clear.
    const link = /\(https?:\/\/[^/]+(\/verification\/[A-Z2-7]{12}\?[^)\s]+)\)/.exec(pdf.toString("latin1"));
    assert.ok(link, "le PDF contient le lien de vérification");
    verifyPath = link[1];
  });

  // Whoever receives the certificate is not signed in.
  const reader = await newPage(suite.browser, suite.server.baseURL);

  await step("Le lien du QR code dit que l'attestation est authentique", async () => {
    await reader.goto(verifyPath);
    await reader.getByRole("heading", { level: 1, name: "Vérifier une attestation d'historique dosimétrique" }).waitFor();
    await reader.getByText("Lien de vérification : authentique et non modifié").waitFor();
    const text = await reader.locator("main").innerText();
    assert.match(text, /Titulaire : [A-ZÀ-Ý]\. [A-ZÀ-Ý]\. — certificat n° [A-Z2-7]{12}, délivré le \d\d\/\d\d\/\d{4}/);
    assert.doesNotMatch(text, /mSv|NIR|Hp\(10\)/, "aucune donnée de santé sur la page publique");
  });

  await step("Le fichier déposé tel quel est authentique", async () => {
    await reader.getByLabel("Attestation au format PDF").setInputFiles({ name: "attestation.pdf", mimeType: "application/pdf", buffer: pdf });
    await reader.getByRole("button", { name: "Vérifier le fichier" }).click();
    await reader.getByText("Fichier : authentique et non modifié").waitFor();
    await expectAccessible(reader, "vérification d'une attestation");
    await keepScreenshot(reader, "certificate-verification-authentic");
  });

  await step("Un fichier modifié n'est pas authentique", async () => {
    const modified = Buffer.from(pdf);
    const at = modified.indexOf("/Title");
    assert.ok(at > 0);
    modified[at + 5] = "f".charCodeAt(0);
    await reader.getByLabel("Attestation au format PDF").setInputFiles({ name: "attestation-modifiee.pdf", mimeType: "application/pdf", buffer: modified });
    await reader.getByRole("button", { name: "Vérifier le fichier" }).click();
    await reader.getByText("Fichier : non authentique").waitFor();
    assert.equal(await reader.getByText("Fichier : authentique et non modifié").count(), 0);
    await expectAccessible(reader, "attestation modifiée");
    await keepScreenshot(reader, "certificate-verification-modified");
  });

  await reader.context().close();
  await page.context().close();
});
