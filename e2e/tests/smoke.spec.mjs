// The main journey of an administrator, from the sign-in page to sign-out.
import assert from "node:assert/strict";
import { test } from "node:test";

import { signIn } from "../fixtures/auth.mjs";
import { journey, newPage, useServerAndBrowser } from "../fixtures/browser.mjs";
import { demoAccounts } from "../fixtures/server.mjs";

const suite = useServerAndBrowser();

/** Returns the text of the first cell of each data row of the page's table. */
async function firstColumn(page) {
  return page.getByRole("table").locator("tbody tr td:first-child").allInnerTexts();
}

test("Parcours principal de l'administrateur", async (t) => {
  const page = await newPage(suite.browser, suite.server.baseURL);
  const step = journey(t, page);
  const origin = suite.server.baseURL;
  let firstPage = [];

  await step("Ouverture de l'accueil sans session : renvoi vers la connexion", async () => {
    await page.goto("/");
    await page.waitForURL(`${origin}/connexion`);
    await page.getByRole("heading", { level: 1, name: "Connexion à SISERI" }).waitFor();
    assert.equal(await page.getByText("Votre session a expiré").count(), 0);
  });

  await step("Connexion avec un mauvais mot de passe : message d'erreur en français", async () => {
    await signIn(page, demoAccounts.admin, "pas-le-bon-mot-de-passe");
    await page.getByText("Adresse électronique ou mot de passe incorrect.").waitFor();
    assert.equal(new URL(page.url()).pathname, "/connexion");
  });

  await step("Connexion de l'administrateur", async () => {
    await signIn(page, demoAccounts.admin);
    await page.waitForURL(`${origin}/`);
    await page.getByRole("heading", { level: 1, name: "Administration de SISERI" }).waitFor();
    await page.goto("/compte");
    await page.getByRole("heading", { level: 1, name: /^Bonjour / }).waitFor();
    await page.getByRole("list", { name: "Vos rôles" }).getByText("Administrateur", { exact: true }).waitFor();
    await page.getByRole("button", { name: "Se déconnecter" }).waitFor();
  });

  await step("Ouverture de la liste des travailleurs", async () => {
    await page.getByRole("navigation", { name: "Menu principal" }).getByRole("link", { name: "Travailleurs" }).click();
    await page.waitForURL(`${origin}/travailleurs`);
    await page.getByRole("heading", { level: 1, name: "Travailleurs" }).waitFor();
    await page.getByText(/^Page 1 sur \d+$/).waitFor();
    firstPage = await firstColumn(page);
    assert.equal(firstPage.length, 20, "une page complète de 20 travailleurs");
  });

  await step("Passage à la page suivante", async () => {
    await page.getByRole("button", { name: "Page suivante" }).click();
    await page.getByText(/^Page 2 sur \d+$/).waitFor();
    const secondPage = await firstColumn(page);
    assert.ok(secondPage.length > 0, "la deuxième page n'est pas vide");
    assert.notDeepEqual(secondPage, firstPage);
    assert.equal(await page.getByRole("button", { name: "Page précédente" }).isEnabled(), true);
  });

  await step("Recherche d'un travailleur par son nom", async () => {
    const name = (await firstColumn(page))[0];
    assert.ok(name, "un nom à rechercher");
    const search = page.getByRole("searchbox", { name: "Rechercher un travailleur par nom" });
    await search.fill(name);
    await search.press("Enter");
    await page.waitForURL((url) => url.pathname === "/travailleurs" && url.searchParams.get("nom") === name);
    await page.getByRole("table", { name: new RegExp(`pour « ${name} »`) }).waitFor();
    const names = await firstColumn(page);
    assert.ok(names.length > 0, "au moins un résultat");
    for (const found of names) assert.match(found.toLowerCase(), new RegExp(name.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  });

  await step("Déconnexion : retour à la page de connexion", async () => {
    await page.getByRole("button", { name: "Se déconnecter" }).click();
    await page.waitForURL(`${origin}/connexion?deconnexion=1`);
    await page.getByText("Vous êtes déconnecté.").waitFor();
    await page.getByRole("button", { name: "Se connecter" }).waitFor();
  });

  await step("Après la déconnexion, les pages du registre demandent de se reconnecter", async () => {
    await page.goto("/travailleurs");
    await page.waitForURL(`${origin}/connexion?retour=%2Ftravailleurs`);
    await page.getByRole("button", { name: "Se connecter" }).waitFor();
  });

  await page.context().close();
});

test("Une requête anonyme à l'API est refusée (UNAUTHENTICATED)", async () => {
  const page = await newPage(suite.browser, suite.server.baseURL);
  await page.goto("/connexion");
  const body = await page.evaluate(async () => {
    const res = await fetch("/graphql", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ query: "{ me { account { id } } }" }),
    });
    return res.json();
  });
  assert.equal(body.errors?.[0]?.extensions?.code, "UNAUTHENTICATED");
  assert.ok(body.errors[0].message.length > 0, "un message pour l'utilisateur");
  assert.equal(body.data ?? null, null);
  await page.context().close();
});
