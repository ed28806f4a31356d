// The living demo: on first start, the detector has already judged the seeded
// history (the adviser and the physician find anomalies, the physician one
// correction conflict to settle), and the demo laboratory's ticker
// (SISERI_DEMO_TICK) brings a live alert to an adviser's open dashboard.
import assert from "node:assert/strict";
import { test } from "node:test";

import { expectAccessible } from "../fixtures/a11y.mjs";
import { openAndSignIn } from "../fixtures/auth.mjs";
import { journey, newPage, useServerAndBrowser } from "../fixtures/browser.mjs";
import { demoAccounts } from "../fixtures/server.mjs";

const suite = useServerAndBrowser({ env: { SISERI_DEMO_TICK: "4s" } });

/** Opens the « Anomalies » page from the main menu and checks it lists some. */
async function anomaliesListed(page) {
  await page.getByRole("navigation", { name: "Menu principal" }).getByRole("link", { name: "Anomalies", exact: true }).click();
  await page.getByRole("heading", { level: 1, name: "Anomalies" }).waitFor();
  const table = page.getByRole("table", { name: /^[\d\s  ]+ anomalies?$/ });
  await table.waitFor({ timeout: 30_000 });
  assert.ok((await table.locator("tbody tr").count()) > 0, "des anomalies dans le tableau");
  assert.equal(await page.getByText("Aucune anomalie dans cette sélection.").count(), 0);
}

test("Une démonstration vivante", async (t) => {
  const { baseURL } = suite.server;
  const adviser = await newPage(suite.browser, baseURL);
  const physician = await newPage(suite.browser, baseURL);
  const step = journey(t, adviser);

  await step("Le médecin du travail trouve des anomalies et un conflit de correction", async () => {
    await openAndSignIn(physician, demoAccounts.physician);
    await physician.getByRole("heading", { level: 1, name: "Mes travailleurs suivis" }).waitFor();
    await anomaliesListed(physician);
    await physician.getByRole("navigation", { name: "Menu principal" }).getByRole("link", { name: "Conflits de correction 1 à trancher" }).click();
    await physician.getByRole("heading", { level: 1, name: "Conflits de correction" }).waitFor();
    await physician.getByRole("table", { name: /^Valeurs en conflit pour / }).waitFor();
    await expectAccessible(physician, "conflit de correction de la démonstration");
  });

  await step("Le conseiller en radioprotection trouve des anomalies dès le premier démarrage", async () => {
    await openAndSignIn(adviser, demoAccounts.adviser);
    await adviser.getByRole("heading", { level: 1, name: "Tableau de bord de radioprotection" }).waitFor();
    await anomaliesListed(adviser);
    await expectAccessible(adviser, "anomalies de la démonstration");
  });

  await step("Un lot du laboratoire de démonstration fait apparaître une alerte en direct", async () => {
    const subscribed = adviser.waitForEvent("websocket").then((ws) => ws.waitForEvent("framesent", { predicate: (f) => String(f.payload).includes('"subscribe"') }));
    await adviser.goto("/");
    await adviser.getByRole("heading", { level: 1, name: "Tableau de bord de radioprotection" }).waitFor();
    await subscribed;
    // The ticker sends a batch every 4 s; one in three has an abnormal value.
    await adviser.getByText(/^Nouvelle anomalie : /).first().waitFor({ timeout: 60_000 });
  });

  await adviser.context().close();
  await physician.context().close();
});
