// The official graphql-ws client subscribes to SISERI unchanged: an adviser's
// client receives the anomaly a laboratory's batch raises, with its cursor, and
// a client resuming from that cursor receives nothing twice.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { createClient } from "graphql-ws";
import WebSocket from "ws";

import { apiLogin, gql } from "../fixtures/api.mjs";
import { labRow } from "../fixtures/lab-csv.mjs";
import { demoAccounts, startServer } from "../fixtures/server.mjs";

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

const subscription = `subscription($after: Cursor) { anomalyRaised(after: $after) { cursor anomaly { id kind workerID explanation } } }`;

/** Collects the events of one subscription until `until` says stop or the timeout passes. */
function collect(client, variables, until, timeoutMs = 15_000) {
  return new Promise((resolve, reject) => {
    const events = [];
    const timer = setTimeout(() => {
      dispose();
      resolve(events);
    }, timeoutMs);
    const dispose = client.subscribe(
      { query: subscription, variables },
      {
        next: (msg) => {
          if (msg.errors) {
            clearTimeout(timer);
            dispose();
            reject(new Error(JSON.stringify(msg.errors)));
            return;
          }
          events.push(msg.data.anomalyRaised);
          if (until(events)) {
            clearTimeout(timer);
            dispose();
            resolve(events);
          }
        },
        error: (err) => {
          clearTimeout(timer);
          reject(err instanceof Error ? err : new Error(String(err?.reason ?? err)));
        },
        complete: () => {},
      },
    );
  });
}

test("Le client graphql-ws officiel reçoit l'alerte d'un lot, puis reprend à son curseur", async () => {
  const { baseURL } = server;
  const token = await apiLogin(baseURL, demoAccounts.adviser);
  const client = createClient({
    url: baseURL.replace(/^http/, "ws") + "/graphql",
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: `Bearer ${token}` },
    lazy: true,
    retryAttempts: 0,
  });
  try {
    // A worker of the adviser's establishment, read as the adviser.
    const { me } = await gql(baseURL, token, "{ me { grants { establishmentID } } }");
    const ids = me.grants.map((g) => g.establishmentID).filter(Boolean);
    const { employments } = await gql(
      baseURL,
      token,
      `query($ids: [ID!]) { employments(first: 5, where: { establishmentIDIn: $ids, endDateIsNil: true }) { edges { node { worker { id nir lastName firstNames birthDate } establishment { siret } } } } }`,
      { ids },
    );
    const { worker, establishment } = employments.edges[0].node;

    // Replay first: the adviser's existing anomalies, up to the last one.
    const backlog = await collect(client, {}, () => false, 3_000);
    const cursor = backlog.length ? backlog[backlog.length - 1].cursor : null;

    // Live: a laboratory result far above the usual doses of the context.
    // Every anomaly the batch raises (its count is known once it is accepted).
    let expected = Infinity;
    const live = collect(client, cursor ? { after: cursor } : {}, (evs) => evs.filter((e) => e.anomaly.workerID === worker.id).length >= expected);
    await new Promise((r) => setTimeout(r, 500));
    const labToken = await apiLogin(baseURL, demoAccounts.laboratory);
    const row = labRow(worker, establishment.siret, { dosimeter: "WS-E2E-1", valueMsv: 22.5 }).split(";");
    const { submitLabResults } = await gql(
      baseURL,
      labToken,
      `mutation($rows: [LabResultInput!]!) { submitLabResults(reference: "graphql-ws-e2e", rows: $rows) { status anomaliesRaised problems { code message } } }`,
      {
        rows: [{
          nir: row[0], nom: row[1], prenom: row[2], dateNaissance: row[3], siret: row[4], dosimetre: row[5], typeSuivi: row[6],
          grandeur: row[7], debutPeriode: row[8], finPeriode: row[9], resultat: row[10], unite: row[11],
        }],
      },
    );
    assert.equal(submitLabResults.status, "ACCEPTED", JSON.stringify(submitLabResults.problems));
    assert.ok(submitLabResults.anomaliesRaised > 0, "le lot lève au moins une anomalie");
    expected = submitLabResults.anomaliesRaised;
    const events = await live;
    const mine = events.filter((e) => e.anomaly.workerID === worker.id);
    assert.equal(mine.length, expected, "chaque anomalie du lot arrive en direct, une fois");
    assert.ok(mine.every((e) => e.anomaly.explanation.length > 0 && e.cursor), "chaque événement a son explication et son curseur");

    // Resume from the last live cursor: nothing is delivered twice.
    const last = events[events.length - 1].cursor;
    const again = await collect(client, { after: last }, () => false, 2_000);
    assert.deepEqual(again, [], "rien n'est redélivré après le dernier curseur");
  } finally {
    await client.dispose();
  }
});
