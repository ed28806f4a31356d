import { Client, cacheExchange, fetchExchange, mapExchange, subscriptionExchange } from "urql";
import { createClient as createWSClient, type Client as WSClient } from "graphql-ws";

import { hasErrorCode } from "./errors";

/** The API path, the same for HTTP and the websocket (same origin as the app). */
export const graphqlPath = "/graphql";

export type GraphqlClientOptions = {
  /** Called once per operation answered UNAUTHENTICATED, except the sign-in itself. */
  onUnauthenticated: () => void;
};

/**
 * Operations that may legitimately answer UNAUTHENTICATED without meaning the
 * session expired (wrong password on sign-in) set this in their context.
 */
export const noAuthRedirect = { authRedirect: false } as const;

/** Builds the graphql-ws client for subscriptions; it connects on first use. */
function createWebsocketClient(): WSClient {
  const scheme = window.location.protocol === "https:" ? "wss" : "ws";
  // The browser sends the session cookie with the upgrade request.
  return createWSClient({ url: `${scheme}://${window.location.host}${graphqlPath}`, lazy: true });
}

/**
 * Creates the application's one urql client: queries and mutations go over
 * HTTP POST with the session cookie, subscriptions over graphql-ws.
 */
export function createGraphqlClient({ onUnauthenticated }: GraphqlClientOptions): Client {
  let ws: WSClient | undefined;
  return new Client({
    url: graphqlPath,
    preferGetMethod: false,
    fetchOptions: {
      credentials: "same-origin",
      // Plain JSON answers only: urql also accepts text/event-stream by
      // default, which makes the server stream the answer over SSE, and an SSE
      // answer cannot set the session cookie.
      headers: { accept: "application/graphql-response+json, application/json" },
    },
    exchanges: [
      // Error exchange: any UNAUTHENTICATED means the session is gone, so the
      // user goes back to the sign-in page (mapped as in Trackdéchets' errorLink).
      mapExchange({
        onError(error, operation) {
          if (operation.context.authRedirect !== false && hasErrorCode(error, "UNAUTHENTICATED")) {
            onUnauthenticated();
          }
        },
      }),
      cacheExchange,
      fetchExchange,
      // Subscriptions travel over the websocket (graphql-transport-ws protocol).
      subscriptionExchange({
        forwardSubscription(request) {
          ws ??= createWebsocketClient();
          const client = ws;
          const input = { ...request, query: request.query ?? "" };
          return {
            subscribe(sink) {
              return { unsubscribe: client.subscribe(input, sink) };
            },
          };
        },
      }),
    ],
  });
}
