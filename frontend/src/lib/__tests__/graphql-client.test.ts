import { afterEach, describe, expect, it, vi } from "vitest";

import { createGraphqlClient, noAuthRedirect } from "../graphql-client";
import { graphql } from "../../graphql";

const ViewerProbe = graphql(`
  query ViewerProbe {
    me {
      account {
        id
      }
    }
  }
`);

/**
 * Makes every fetch answer the GraphQL error `code`. A request error (refused
 * before execution) comes without a data entry and, for
 * application/graphql-response+json, with a 4xx status.
 */
function serverAnswers(code: string, status = 200, contentType = "application/json") {
  const errors = [{ message: "Message du serveur.", extensions: { code } }];
  const body = status === 200 ? { errors, data: null } : { errors };
  const fetchMock = vi.fn(
    async () =>
      new Response(JSON.stringify(body), {
        status,
        headers: { "Content-Type": contentType },
      }),
  );
  vi.stubGlobal("fetch", fetchMock);
  return fetchMock;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("createGraphqlClient", () => {
  it("posts to /graphql with the session cookie and reports UNAUTHENTICATED", async () => {
    const fetchMock = serverAnswers("UNAUTHENTICATED");
    const onUnauthenticated = vi.fn();
    const client = createGraphqlClient({ onUnauthenticated });

    const result = await client.query(ViewerProbe, {}).toPromise();

    expect(result.error?.graphQLErrors[0]?.message).toBe("Message du serveur.");
    expect(onUnauthenticated).toHaveBeenCalledOnce();
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/graphql");
    expect(init.method).toBe("POST");
    expect(init.credentials).toBe("same-origin");
    expect(new Headers(init.headers).get("accept")).not.toContain("text/event-stream");
  });

  it("leaves other errors and opted-out operations alone", async () => {
    serverAnswers("FORBIDDEN");
    const onUnauthenticated = vi.fn();
    const client = createGraphqlClient({ onUnauthenticated });
    await client.query(ViewerProbe, {}).toPromise();

    serverAnswers("UNAUTHENTICATED");
    await client.query(ViewerProbe, {}, { ...noAuthRedirect, requestPolicy: "network-only" }).toPromise();

    expect(onUnauthenticated).not.toHaveBeenCalled();
  });

  it.each([
    [400, "BAD_USER_INPUT"],
    [401, "UNAUTHENTICATED"],
    [403, "FORBIDDEN_FIELD"],
    [503, "SERVICE_UNAVAILABLE"],
  ])("reads the server's message from a %i answer (%s)", async (status, code) => {
    serverAnswers(code, status, "application/graphql-response+json");
    const client = createGraphqlClient({ onUnauthenticated: vi.fn() });
    const result = await client.query(ViewerProbe, {}).toPromise();
    expect(result.error?.graphQLErrors[0]?.message).toBe("Message du serveur.");
    expect(result.error?.graphQLErrors[0]?.extensions?.code).toBe(code);
    expect(result.error?.networkError).toBeUndefined();
  });
});
