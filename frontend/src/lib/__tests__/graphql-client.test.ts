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

/** Makes every fetch answer the GraphQL error `code`. */
function serverAnswers(code: string) {
  const fetchMock = vi.fn(
    async () =>
      new Response(JSON.stringify({ errors: [{ message: "Message du serveur.", extensions: { code } }], data: null }), {
        headers: { "Content-Type": "application/json" },
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
});
