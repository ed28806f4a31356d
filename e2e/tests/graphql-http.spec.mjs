// The GraphQL over HTTP conformance audit of graphql-http, the reference
// implementation of the specification, run unchanged against SISERI's
// endpoint: every MUST and every SHOULD passes (statuses, content types,
// no `data` entry on a request error with application/graphql-response+json),
// for a partner system signed in with a bearer token as any client is.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";

import { serverAudits } from "graphql-http";

import { apiLogin } from "../fixtures/api.mjs";
import { demoAccounts, startServer } from "../fixtures/server.mjs";

let server;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.stop();
});

test("Audit GraphQL over HTTP (graphql-http) : toutes les exigences MUST et SHOULD", async () => {
  const token = await apiLogin(server.baseURL, demoAccounts.admin);
  const fetchFn = (input, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set("authorization", `Bearer ${token}`);
    return fetch(input, { ...init, headers });
  };
  const audits = serverAudits({ url: `${server.baseURL}/graphql`, fetchFn });
  assert.ok(audits.length > 30, `the audit lists ${audits.length} checks`);
  const failed = [];
  let must = 0;
  let should = 0;
  for (const audit of audits) {
    const result = await audit.fn();
    if (audit.name.startsWith("MUST")) must++;
    else should++;
    if (result.status !== "ok") {
      let body = "";
      try {
        body = await result.response?.text();
      } catch {
        // The body was read by the audit.
      }
      failed.push(`${result.id} ${result.status}: ${audit.name}: ${result.reason} ${body}`.trim());
    }
  }
  assert.deepEqual(failed, [], `${failed.length} of ${audits.length} audits (${must} MUST, ${should} SHOULD) failed`);
});
