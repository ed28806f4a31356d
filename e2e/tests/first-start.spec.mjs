// First start of a real deployment, without demo data, on a fresh PostgreSQL
// database: `siseri admin create` prints the first administrator's activation
// link; the administrator activates, registers a laboratory, a company, an
// establishment, the nomenclature and the accounts of an employer
// correspondent, a physician, an adviser and a laboratory user with their
// grants; each activates their account; the employer declares a worker, the
// laboratory uploads a result over the limit, the adviser gets the live alert
// and the physician confirms the exceedance.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { test } from "node:test";
import { promisify } from "node:util";

import { signIn } from "../fixtures/auth.mjs";
import { journey, newPage, useServerAndBrowser } from "../fixtures/browser.mjs";
import { csvFile, labRow } from "../fixtures/lab-csv.mjs";
import { completeSecondFactor } from "../fixtures/totp.mjs";

const suite = useServerAndBrowser({ demo: false, freshDatabase: true });

const password = "un mot de passe de premier démarrage";
const company = { siren: "732829320", name: "CHU de Première-Ville" };
const establishment = { siret: "73282932000074", name: "Hôpital cardiologique de Première-Ville" };
const laboratory = { code: "LAB-PREMIER", name: "Dosimétrie Première" };
const people = {
  employer: { email: "correspondant@chu-premiere.fr", name: "Sophie Girard", role: "Correspondant de l'employeur", scope: establishment.name },
  physician: { email: "medecin@chu-premiere.fr", name: "Dr Hélène Marchand", role: "Médecin du travail", scope: establishment.name },
  adviser: { email: "pcr@chu-premiere.fr", name: "Julien Lefèvre", role: "Conseiller en radioprotection", scope: establishment.name },
  laboratory: { email: "labo@dosimetrie-premiere.fr", name: "Marc Petit", role: "Laboratoire de dosimétrie", scope: laboratory.name },
};
const nomenclature = "kind;code;label;parent\nDOMAIN;MED;Médical;\nSECTOR;MED-RI;Radiologie interventionnelle;MED\nJOB;CARDIO-INT;Cardiologue interventionnel;MED-RI\n";

/** A valid NIR (key = 97 − number mod 97) for a woman born in May 1990. */
function nir(order) {
  const first = `29005750561${String(order).padStart(2, "0")}`;
  return first + String(97n - (BigInt(first) % 97n)).padStart(2, "0");
}
const worker = { nir: nir(7), lastName: "LAMBERT", firstNames: "Zoé", birthDate: "1990-05-12" };

/** YYYY-MM-DD of today moved by `days`. */
function day(days) {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** The TOTP secret each privileged person enrolled, by e-mail. */
const secrets = new Map();

/**
 * Every sign-in of the journey goes through here: a fresh sign-in form, then
 * the second factor when the role asks for one (enrolment the first time, a
 * code of the enrolled secret afterwards), then the role's home page.
 */
async function signInFresh(page, email, home) {
  await page.goto("/connexion");
  await signIn(page, email, password);
  const homeHeading = page.getByRole("heading", { level: 1, name: home });
  const secondFactor = page.getByRole("heading", { level: 1, name: "Vérification en deux étapes" });
  await homeHeading.or(secondFactor).first().waitFor();
  if (await secondFactor.isVisible()) {
    const { secret } = await completeSecondFactor(page, secrets.get(email) ?? null);
    secrets.set(email, secret);
  }
  await homeHeading.waitFor();
}

/** Opens an activation link, chooses the password and lands on the sign-in page with the notice. */
async function activate(page, link, name) {
  await page.goto(link);
  await page.getByText(name, { exact: true }).waitFor();
  await page.getByLabel(/^Mot de passe/).fill(password);
  await page.getByLabel("Confirmation du mot de passe").fill(password);
  await page.getByRole("button", { name: "Activer mon compte" }).click();
  await page.getByText("Votre compte est activé.", { exact: false }).waitFor();
}

/** Goes to an administration screen through the main menu. */
async function openMenu(page, text, heading = text) {
  await page.getByRole("navigation", { name: "Menu principal" }).getByRole("link", { name: text, exact: true }).click();
  await page.getByRole("heading", { level: 1, name: heading }).waitFor();
}

test("Premier démarrage sans données de démonstration", async (t) => {
  const { baseURL, bin, databaseURL } = suite.server;
  const admin = await newPage(suite.browser, baseURL);
  const step = journey(t, admin);
  const links = {};
  const pages = {};

  await step("L'exploitant crée le premier administrateur en ligne de commande", async () => {
    const { stdout } = await promisify(execFile)(bin, ["admin", "create", "--database-url", databaseURL, "--public-url", baseURL,
      "--email", "admin@agence.fr", "--name", "Claire Dubois"]);
    const link = stdout.match(/(http\S+\/activation\/\S+)/)?.[1];
    assert.ok(link?.startsWith(`${baseURL}/activation/`), `lien d'activation affiché : ${stdout}`);
    links.admin = link;
    await assert.rejects(
      promisify(execFile)(bin, ["admin", "create", "--database-url", databaseURL, "--email", "autre@agence.fr", "--name", "Autre"]),
      (err) => err.code !== 0 && /administrateur actif existe déjà/.test(err.stderr),
    );
  });

  await step("L'administrateur active son compte et se connecte", async () => {
    await activate(admin, links.admin, "Claire Dubois");
    await signInFresh(admin, "admin@agence.fr", "Administration de SISERI");
  });

  await step("Il enregistre un laboratoire accrédité", async () => {
    await openMenu(admin, "Laboratoires");
    const form = admin.getByRole("form", { name: "Enregistrer un laboratoire" });
    await form.getByLabel(/^Code du laboratoire/).fill(laboratory.code);
    await form.getByLabel("Nom", { exact: true }).fill(laboratory.name);
    await form.getByLabel("Numéro d'accréditation").fill("1-2345");
    await form.getByLabel(/^Accréditation valable du/).fill(day(-365));
    await form.getByLabel(/^Accréditation valable jusqu'au/).fill(day(365));
    await form.getByRole("button", { name: "Enregistrer le laboratoire" }).click();
    await admin.getByText(`Le laboratoire ${laboratory.name} a été enregistré.`).waitFor();
    await admin.getByRole("row").filter({ hasText: laboratory.code }).getByText("Valide").waitFor();
  });

  await step("Il enregistre une entreprise et un établissement", async () => {
    await openMenu(admin, "Entreprises");
    await admin.getByLabel(/^SIREN/).fill(company.siren);
    await admin.getByLabel("Raison sociale").fill(company.name);
    await admin.getByRole("button", { name: "Enregistrer l'entreprise" }).click();
    await admin.getByText(`L'entreprise ${company.name} a été enregistrée.`).waitFor();
    await openMenu(admin, "Établissements");
    const form = admin.getByRole("form", { name: "Enregistrer ou modifier un établissement" });
    await form.getByLabel(/^SIRET/).fill(establishment.siret);
    await form.getByLabel("Nom", { exact: true }).fill(establishment.name);
    await form.getByLabel("Entreprise").selectOption({ label: `${company.name} (SIREN ${company.siren})` });
    await form.getByLabel("Région").selectOption({ label: "Auvergne-Rhône-Alpes" });
    await form.getByRole("button", { name: "Enregistrer l'établissement" }).click();
    await admin.getByText(`L'établissement ${establishment.name} a été enregistré.`).waitFor();
  });

  await step("Il importe la nomenclature des secteurs et métiers", async () => {
    await openMenu(admin, "Nomenclatures");
    await admin.getByLabel(/Fichier de nomenclature/).setInputFiles({ name: "nomenclature.csv", mimeType: "text/csv", buffer: Buffer.from(nomenclature) });
    await admin.getByLabel(/^Nom de la version/).fill("2026");
    await admin.getByLabel("En vigueur à partir du").fill("2020-01-01");
    await admin.getByRole("button", { name: "Importer la version" }).click();
    await admin.getByText(/Version 2026 importée.*1 domaines, 1 secteurs, 1 métiers/).waitFor();
  });

  await step("Il crée les comptes et relève leurs liens d'activation", async () => {
    await openMenu(admin, "Comptes");
    for (const [who, p] of Object.entries(people)) {
      const form = admin.getByRole("form", { name: "Créer un compte" });
      await form.getByLabel("Adresse électronique du compte").fill(p.email);
      await form.getByLabel("Nom affiché").fill(p.name);
      await form.getByRole("button", { name: "Créer le compte" }).click();
      await admin.getByText(`Compte ${p.email} créé`).waitFor();
      links[who] = await admin.getByTestId("activation-link").innerText();
      assert.ok(links[who].startsWith(`${baseURL}/activation/`), links[who]);
    }
  });

  await step("Il accorde à chacun son habilitation sur son périmètre", async () => {
    await openMenu(admin, "Habilitations");
    const form = admin.getByRole("form", { name: "Accorder une habilitation" });
    for (const p of Object.values(people)) {
      await form.getByLabel("Compte").selectOption({ label: `${p.email} — ${p.name}` });
      await form.getByLabel("Rôle").selectOption({ label: p.role });
      const scope = form.getByLabel(/^Périmètre/);
      const option = scope.locator("option", { hasText: p.scope });
      await scope.selectOption({ label: await option.innerText() });
      await form.getByRole("button", { name: "Accorder l'habilitation" }).click();
      await admin.getByText(`Habilitation « ${p.role} » accordée à ${p.email}.`).waitFor();
    }
  });

  await step("Chacun active son compte par son lien", async () => {
    for (const [who, p] of Object.entries(people)) {
      pages[who] = await newPage(suite.browser, baseURL);
      await activate(pages[who], links[who], p.name);
    }
  });

  await step("Le correspondant de l'employeur déclare un travailleur", async () => {
    const page = pages.employer;
    await signInFresh(page, people.employer.email, "Déclarations de l'employeur");
    await page.getByRole("link", { name: "Dépôt de déclarations" }).first().click();
    await page.getByRole("heading", { level: 1, name: "Dépôt de déclarations" }).waitFor();
    const header = "siret;nir;nom;prenom;date_naissance;sexe;date_debut;date_fin;type_contrat;secteur;metier;categorie";
    const line = [establishment.siret, worker.nir, worker.lastName, worker.firstNames, worker.birthDate, "F", "2025-01-06", "", "CDI", "MED-RI", "CARDIO-INT", "A"].join(";");
    await page.getByLabel(/Fichier CSV/).setInputFiles({ name: "declarations.csv", mimeType: "text/csv", buffer: Buffer.from(`${header}\n${line}\n`) });
    await page.getByRole("button", { name: "Déposer le fichier" }).click();
    await page.getByText("Lot accepté").waitFor({ timeout: 30_000 });
    await page.getByText(/1 travailleur créé/).waitFor();
  });

  await step("Le conseiller en radioprotection ouvre son tableau de bord", async () => {
    const page = pages.adviser;
    const subscribed = page.waitForEvent("websocket").then((ws) => ws.waitForEvent("framesent", { predicate: (f) => String(f.payload).includes('"subscribe"') }));
    await signInFresh(page, people.adviser.email, "Tableau de bord de radioprotection");
    await subscribed;
  });

  await step("Le laboratoire dépose un résultat au-delà de la limite", async () => {
    const page = pages.laboratory;
    await signInFresh(page, people.laboratory.email, "Dépôt de résultats de dosimétrie");
    await page.getByLabel(/Fichier CSV/).setInputFiles(csvFile("resultats.csv", [labRow(worker, establishment.siret, { dosimeter: "PREMIER-0001", valueMsv: 25 })]));
    await page.getByRole("button", { name: "Déposer le fichier" }).click();
    await page.getByText("Lot accepté").waitFor({ timeout: 30_000 });
  });

  await step("Le conseiller reçoit l'alerte en direct", async () => {
    await pages.adviser.getByText(/Nouvelle anomalie : .*lambert/i).first().waitFor({ timeout: 10_000 });
  });

  await step("Le médecin du travail confirme le dépassement", async () => {
    const page = pages.physician;
    await signInFresh(page, people.physician.email, "Mes travailleurs suivis");
    await openMenu(page, "Anomalies");
    const row = page.getByRole("row").filter({ hasText: /lambert/i }).filter({ hasText: "Dépassement de limite réglementaire" });
    await row.getByRole("button", { name: "Clore" }).click();
    const form = page.getByRole("form", { name: /Clore l'anomalie de/ });
    // DSFR draws the radio on its label: the label takes the click.
    await form.locator("label").filter({ hasText: /^Confirmée/ }).click();
    await form.getByLabel(/^Commentaire/).fill("Dose reçue lors d'une procédure longue, confirmée par l'entretien.");
    await form.getByRole("button", { name: "Enregistrer la conclusion" }).click();
    await form.waitFor({ state: "detached" });
    await page.getByLabel("Anomalies affichées").selectOption({ label: "Closes" });
    await page.getByRole("row").filter({ hasText: /lambert/i }).getByText("Confirmée", { exact: true }).waitFor();
  });

  await step("Une accréditation échue empêche le laboratoire d'envoyer, avec un message clair", async () => {
    await openMenu(admin, "Laboratoires");
    await admin.getByRole("row").filter({ hasText: laboratory.code }).getByRole("button", { name: "Modifier" }).click();
    const form = admin.getByRole("form", { name: "Modifier un laboratoire" });
    await form.getByLabel(/^Accréditation valable jusqu'au/).fill(day(-1));
    await form.getByRole("button", { name: "Enregistrer les modifications" }).click();
    await admin.getByText(`Le laboratoire ${laboratory.name} a été modifié.`).waitFor();
    await admin.getByRole("row").filter({ hasText: laboratory.code }).getByText(/^Expirée le/).waitFor();
    const page = pages.laboratory;
    await page.goto("/");
    await page.getByLabel(/Fichier CSV/).setInputFiles(csvFile("resultats-2.csv", [labRow(worker, establishment.siret, { dosimeter: "PREMIER-0002", valueMsv: 0.2 })]));
    await page.getByRole("button", { name: "Déposer le fichier" }).click();
    const [y, m, d] = day(-1).split("-");
    await page.getByText(`L'accréditation du laboratoire ${laboratory.name} a expiré le ${d}/${m}/${y}`, { exact: false }).waitFor({ timeout: 30_000 });
  });

  for (const p of [admin, ...Object.values(pages)]) await p.context().close();
});
