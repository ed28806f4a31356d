// Every demo account signs in and sees its role's dashboard with real data,
// only its role's menu, and accessible screens (axe: no serious or critical violation).
import assert from "node:assert/strict";
import { test } from "node:test";

import { expectAccessible, expectNoErrorAlert, keepScreenshot } from "../fixtures/a11y.mjs";
import { openAndSignIn } from "../fixtures/auth.mjs";
import { journey, newPage, useServerAndBrowser } from "../fixtures/browser.mjs";
import { demoAccounts } from "../fixtures/server.mjs";

const suite = useServerAndBrowser();

/** Every menu item of every role; each role must show its own and none of the others. */
const menus = {
  worker: ["Mon suivi dosimétrique", "Attestation"],
  // The demo holds one correction conflict for the physician to settle.
  physician: ["Travailleurs suivis", "Anomalies", "Conflits de correction 1 à trancher"],
  adviser: ["Travailleurs", "Anomalies", "Avis de contrainte", "Contraintes de dose", "Contexte national"],
  employer: ["Déclarations", "Dépôt de déclarations", "Dépassements", "Contraintes de dose"],
  laboratory: ["Dépôt de résultats", "Historique des lots", "Lots atypiques"],
  controlAgent: ["Contrôle régional"],
  analyst: ["Statistiques nationales", "Statistiques des anomalies", "Lots atypiques"],
  admin: ["Accueil", "Travailleurs", "Établissements", "Entreprises", "Laboratoires", "Comptes", "Habilitations", "Clés d'API", "Nomenclatures"],
};

/** Waits for a table whose caption matches `caption` and returns its number of body rows. */
async function tableRows(page, caption, timeout) {
  const table = page.getByRole("table", { name: caption });
  await table.waitFor({ timeout });
  return table.locator("tbody tr").count();
}

/** Per role: the dashboard heading, a proof of real data, and the other screens to check. */
const roles = [
  {
    key: "worker",
    heading: "Mon suivi dosimétrique",
    ready: async (page) => {
      assert.ok((await tableRows(page, /résultats/)) > 0, "des résultats");
      await page.getByRole("table", { name: "Cumul de mes doses par limite réglementaire" }).getByText(/Dose efficace/).waitFor();
      await page.getByRole("img", { name: /Histogramme des doses par mois/ }).waitFor();
      await page.getByText(/accès enregistrés?|Personne n.a encore consulté/).first().waitFor();
    },
    screens: [["/mon-suivi/attestation", "Attestation d'historique dosimétrique"]],
  },
  {
    key: "physician",
    heading: "Mes travailleurs suivis",
    ready: async (page) => assert.ok((await tableRows(page, /travailleurs? suivis?/)) > 0, "des travailleurs suivis"),
    screens: [
      ["/anomalies", "Anomalies"],
      ["/conflits-correction", "Conflits de correction"],
    ],
  },
  {
    key: "adviser",
    heading: "Tableau de bord de radioprotection",
    ready: async (page) => {
      assert.ok((await tableRows(page, /situation sur 12 mois glissants/)) > 0, "des travailleurs");
      await page.getByRole("table").getByText(/Conforme|Proche de la limite|Limite dépassée/).first().waitFor();
    },
    screens: [
      ["/anomalies", "Anomalies"],
      ["/avis-contrainte", "Avis de dépassement de contrainte"],
      ["/contraintes-de-dose", "Contraintes de dose"],
      ["/contexte-national", "Comparaison avec le contexte national"],
      ["/notifications", "Notifications"],
    ],
  },
  {
    key: "employer",
    heading: "Déclarations de l'employeur",
    ready: async (page) => assert.ok((await tableRows(page, /établissements? déclarés?/)) > 0, "des établissements"),
    more: async (page) => {
      for (const [tab, caption] of [
        ["Travailleurs", /travailleurs? déclarés?/],
        ["Emplois", /emplois? déclarés?/],
        ["Dosimètres", /affectations? de dosimètres?/],
      ]) {
        await page.getByRole("tab", { name: tab }).click();
        assert.ok((await tableRows(page, caption)) > 0, `des lignes dans l'onglet ${tab}`);
        await expectNoErrorAlert(page, tab);
      }
      await expectAccessible(page, "onglets des déclarations");
    },
    screens: [
      ["/depot-declarations", "Dépôt de déclarations"],
      ["/depassements", "Dépassements de limites"],
      ["/contraintes-de-dose", "Contraintes de dose"],
    ],
  },
  {
    key: "laboratory",
    heading: "Dépôt de résultats de dosimétrie",
    ready: async (page) => assert.ok((await tableRows(page, /lots? déposés?/)) > 0, "des lots déposés"),
    screens: [
      ["/lots", "Historique des lots"],
      ["/lots-atypiques", "Lots atypiques"],
    ],
  },
  {
    key: "controlAgent",
    heading: "Contrôle régional",
    ready: async (page) => {
      assert.ok((await tableRows(page, /doses des 12 derniers mois/)) > 0, "des établissements");
      await page.getByText(/Calcul des doses efficaces/).waitFor({ state: "detached", timeout: 60_000 });
    },
    screens: [],
  },
  {
    key: "analyst",
    heading: "Statistiques nationales",
    ready: async (page) => {
      assert.equal(await tableRows(page, /Travailleurs par classe de dose annuelle/, 90_000), 1);
      await page.getByRole("table", { name: /Effectifs et doses par domaine/ }).waitFor();
    },
    screens: [
      ["/statistiques/anomalies", "Statistiques des anomalies"],
      ["/lots-atypiques", "Lots atypiques"],
    ],
  },
  {
    key: "admin",
    heading: "Administration de SISERI",
    ready: async (page) => page.getByRole("link", { name: "Comptes" }).first().waitFor(),
    more: async (page) => {
      await page.goto("/administration/cles-api");
      await page.getByLabel("Nom de la clé").fill("Logiciel du laboratoire (e2e)");
      const grant = page.getByLabel("Habilitation sous laquelle la clé agit");
      await grant.locator("option", { hasText: "labo@demo.siseri.fr" }).first().waitFor({ state: "attached" });
      const value = await grant.locator("option", { hasText: "labo@demo.siseri.fr" }).first().getAttribute("value");
      await grant.selectOption(value);
      await page.getByRole("button", { name: "Créer la clé" }).click();
      await page.getByText("Copiez-la maintenant : elle ne sera plus jamais affichée.").waitFor();
      const row = page.getByRole("row").filter({ hasText: "Logiciel du laboratoire (e2e)" });
      await row.getByRole("button", { name: "Révoquer" }).click();
      await row.getByText(/Révoquée le/).waitFor();
      await page.reload();
      await page.getByRole("heading", { level: 1, name: "Clés d'API partenaires" }).waitFor();
      assert.equal(await page.getByText("Copiez-la maintenant").count(), 0, "la clé n'est montrée qu'une fois");
    },
    screens: [
      ["/administration/comptes", "Comptes"],
      ["/administration/habilitations", "Habilitations"],
      ["/administration/cles-api", "Clés d'API partenaires"],
      ["/administration/nomenclatures", "Nomenclatures"],
      ["/administration/entreprises", "Entreprises"],
      ["/administration/laboratoires", "Laboratoires"],
      ["/travailleurs", "Travailleurs"],
      ["/etablissements", "Établissements"],
    ],
  },
];

test("La page de connexion est accessible", async () => {
  const page = await newPage(suite.browser, suite.server.baseURL);
  await page.goto("/connexion");
  await page.getByRole("heading", { level: 1, name: "Connexion à SISERI" }).waitFor();
  await expectAccessible(page, "connexion");
  await page.context().close();
});

for (const role of roles) {
  test(`Tableau de bord : ${role.heading} (${demoAccounts[role.key]})`, async (t) => {
    const page = await newPage(suite.browser, suite.server.baseURL);
    const step = journey(t, page);

    await step("Connexion et tableau de bord du rôle", async () => {
      await openAndSignIn(page, demoAccounts[role.key]);
      await page.getByRole("heading", { level: 1, name: role.heading }).waitFor();
      await role.ready(page);
      await keepScreenshot(page, `tableau-de-bord-${role.key}`);
    });

    await step("Le menu ne montre que les écrans du rôle", async () => {
      const nav = page.getByRole("navigation", { name: "Menu principal" });
      const shown = (await nav.getByRole("link").allTextContents()).map((s) => s.replace(/\s+/g, " ").trim());
      assert.deepEqual(shown, menus[role.key]);
    });

    await step("Le tableau de bord est accessible et sans erreur", async () => {
      await expectNoErrorAlert(page, role.heading);
      await expectAccessible(page, role.heading);
    });

    if (role.more) await step("Les autres vues du tableau de bord s'affichent", () => role.more(page));

    for (const [path, heading] of role.screens) {
      await step(`L'écran ${path} s'affiche et est accessible`, async () => {
        await page.goto(path);
        await page.getByRole("heading", { level: 1, name: heading }).waitFor();
        await page.waitForFunction(() => ![...document.querySelectorAll("[role=status]")].some((e) => e.textContent.startsWith("Chargement")));
        await expectNoErrorAlert(page, heading);
        await expectAccessible(page, heading);
      });
    }

    await page.context().close();
  });
}
