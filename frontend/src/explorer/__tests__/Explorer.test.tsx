import { afterEach, describe, expect, it, vi } from "vitest";
import { explorerFetcher } from "../Explorer";

describe("explorerFetcher", () => {
  afterEach(() => vi.unstubAllGlobals());

  function stubFetch() {
    const calls: [string, RequestInit][] = [];
    vi.stubGlobal("fetch", async (url: string, init: RequestInit) => {
      calls.push([url, init]);
      return new Response(JSON.stringify({ data: { me: { __typename: "Viewer" } } }));
    });
    return calls;
  }

  it("sends the partner's key as a bearer token, without the session cookie", async () => {
    const calls = stubFetch();
    const res = await explorerFetcher("sk_test")({ query: "{ me { __typename } }", operationName: null }, undefined);
    expect(res).toEqual({ data: { me: { __typename: "Viewer" } } });
    const [url, init] = calls[0];
    expect(url).toBe("/graphql");
    expect((init.headers as Record<string, string>).authorization).toBe("Bearer sk_test");
    expect(init.credentials).toBe("omit");
  });

  it("uses the session cookie when no key is given", async () => {
    const calls = stubFetch();
    await explorerFetcher("")({ query: "{ me { __typename } }", operationName: null }, undefined);
    const [, init] = calls[0];
    expect((init.headers as Record<string, string>).authorization).toBeUndefined();
    expect(init.credentials).toBe("same-origin");
    expect(JSON.parse(init.body as string)).toEqual({ query: "{ me { __typename } }", operationName: null });
  });
});
