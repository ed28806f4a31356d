// Sign-in through OpenID Connect (ProConnect), against a real OpenID provider
// started on loopback (bin/siseri-test-op), as the user sees it.
import { after, before, test } from "node:test";

import { expectAccessible, keepScreenshot } from "../fixtures/a11y.mjs";
import { journey, launchBrowser, newPage } from "../fixtures/browser.mjs";
import { startProvider } from "../fixtures/oidc-provider.mjs";
import { freePort, startServer } from "../fixtures/server.mjs";

const suite = { server: undefined, browser: undefined, provider: undefined };

before(async () => {
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  suite.provider = await startProvider({
    clients: [
      {
        id: "siseri-e2e",
        secret: "secret-e2e",
        redirectURI: `${baseURL}/auth/oidc/proconnect/callback`,
        postLogoutURIs: [`${baseURL}/connexion?deconnexion`],
      },
      { id: "siseri-e2e-fc", secret: "secret-fc", redirectURI: `${baseURL}/auth/oidc/fcplus/callback` },
    ],
    users: [
      // The demo physician's professional identity, its e-mail verified.
      { ID: "pc-medecin", Username: "medecin", Password: "pc-pass", GivenName: "Claire", FamilyName: "Médecin",
        Email: "medecin@demo.siseri.fr", EmailVerified: true, ACR: "eidas1" },
      // Signed in with a level SISERI does not accept.
      { ID: "pc-faible", Username: "faible", Password: "pc-pass", GivenName: "Paul", FamilyName: "Faible",
        Email: "pcr@demo.siseri.fr", EmailVerified: true, ACR: "eidas0" },
      // A worker whose FranceConnect+ identity matches no registry record.
      { ID: "fc-inconnu", Username: "inconnu", Password: "pc-pass", GivenName: "Zoé", FamilyName: "Introuvable",
        Email: "zoe.introuvable@exemple.fr", EmailVerified: true, ACR: "eidas2", Birthdate: "1985-06-15", Birthplace: "75056" },
    ],
    providers: [
      { name: "proconnect", label: "ProConnect", audience: "PROFESSIONAL", clientId: "siseri-e2e", clientSecret: "secret-e2e",
        scopes: ["email", "profile"], acrValues: ["eidas1"], linkByEmail: true },
      { name: "fcplus", label: "FranceConnect+", audience: "WORKER", clientId: "siseri-e2e-fc", clientSecret: "secret-fc",
        scopes: ["email", "profile"], acrValues: ["eidas2", "eidas3"] },
    ],
  });
  suite.server = await startServer({ port, env: { SISERI_OIDC_CONFIG: suite.provider.siseriConfig, SISERI_PUBLIC_URL: baseURL } });
  suite.browser = await launchBrowser();
});

after(async () => {
  await suite.browser?.close();
  await suite.server?.stop();
  await suite.provider?.stop();
});

/** Signs in at the provider's login form, where the ProConnect button led. */
async function signInAtProvider(page, username) {
  await page.waitForURL((url) => url.href.startsWith(`${suite.provider.issuer}/login/username`));
  await page.locator("#username").fill(username);
  await page.locator("#password").fill("pc-pass");
  await page.getByRole("button", { name: "Login" }).click();
}

test("Connexion d'un médecin avec ProConnect, puis déconnexion chez le fournisseur", async (t) => {
  const page = await newPage(suite.browser, suite.server.baseURL);
  const step = journey(t, page);

  await step("La page de connexion propose ProConnect", async () => {
    await page.goto("/connexion");
    await page.getByRole("heading", { name: "Se connecter avec un service public d'identité" }).waitFor();
    await expectAccessible(page, "connexion avec ProConnect");
    await keepScreenshot(page, "connexion-proconnect");
    await page.locator('a[href="/auth/oidc/proconnect/login"]').click();
  });

  await step("Identification chez le fournisseur et retour dans SISERI", async () => {
    await signInAtProvider(page, "medecin");
    await page.waitForURL(`${suite.server.baseURL}/`);
    await page.getByRole("navigation", { name: "Menu principal" }).getByRole("link", { name: "Travailleurs suivis" }).waitFor();
  });

  await step("Déconnexion : SISERI puis le fournisseur", async () => {
    await page.getByRole("button", { name: "Se déconnecter" }).click();
    await page.waitForURL((url) => url.pathname === "/connexion" && url.searchParams.has("deconnexion"));
    await page.getByText("Vous êtes déconnecté. À bientôt sur SISERI.").waitFor();
  });

  await page.context().close();
});

test("Niveau d'authentification insuffisant : message en français", async (t) => {
  const page = await newPage(suite.browser, suite.server.baseURL);
  const step = journey(t, page);

  await step("Connexion ProConnect avec un niveau refusé", async () => {
    await page.goto("/connexion");
    await page.locator('a[href="/auth/oidc/proconnect/login"]').click();
    await signInAtProvider(page, "faible");
    await page.waitForURL(`${suite.server.baseURL}/connexion?erreur=OIDC_ACR_INSUFFICIENT`);
    await page.getByText("Le niveau de sécurité de votre connexion est insuffisant pour SISERI.", { exact: false }).waitFor();
    await expectAccessible(page, "connexion refusée");
  });

  await step("La page du code de rattachement est accessible", async () => {
    await page.goto("/connexion/code-travailleur?erreur=CLAIM_CODE_INVALID");
    await page.getByRole("heading", { level: 1, name: "Rattacher votre identité à votre dossier" }).waitFor();
    await expectAccessible(page, "code de rattachement");
  });

  await page.context().close();
});

test("Travailleur non reconnu : code de rattachement remis par le médecin", async (t) => {
  const doctor = await newPage(suite.browser, suite.server.baseURL);
  const worker = await newPage(suite.browser, suite.server.baseURL);
  const step = journey(t, doctor);
  let code = "";

  await step("Le médecin émet un code depuis le dossier d'un travailleur suivi", async () => {
    await doctor.goto("/connexion");
    await doctor.locator('a[href="/auth/oidc/proconnect/login"]').click();
    await signInAtProvider(doctor, "medecin");
    await doctor.getByRole("heading", { level: 1, name: "Mes travailleurs suivis" }).waitFor();
    await doctor.getByLabel("Nom de naissance").fill("Roy");
    await doctor.getByRole("button", { name: "Rechercher" }).click();
    await doctor.getByRole("table", { name: /travailleurs? suivis?/ }).getByRole("link").first().click();
    await doctor.getByRole("heading", { level: 2, name: "Code de rattachement FranceConnect+" }).waitFor();
    await doctor.getByRole("button", { name: "Émettre un code de rattachement" }).click();
    const title = await doctor.getByText(/^Code : /).innerText();
    code = title.replace("Code : ", "").trim();
    if (!/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/.test(code)) throw new Error(`code inattendu : ${title}`);
  });

  await step("Le travailleur se connecte avec FranceConnect+ et saisit le code", async () => {
    await worker.goto("/connexion");
    await worker.locator('a[href="/auth/oidc/fcplus/login"]').click();
    await signInAtProvider(worker, "inconnu");
    await worker.waitForURL(`${suite.server.baseURL}/connexion/code-travailleur`);
    await worker.getByLabel("Code de rattachement").fill(code.toLowerCase());
    await worker.getByRole("button", { name: "Valider le code" }).click();
    await worker.waitForURL(`${suite.server.baseURL}/`);
    await worker.getByRole("navigation", { name: "Menu principal" }).getByRole("link", { name: "Mon suivi dosimétrique" }).waitFor();
  });

  await doctor.context().close();
  await worker.context().close();
});
