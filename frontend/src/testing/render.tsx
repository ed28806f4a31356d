import type { ReactElement } from "react";
import { render } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { CombinedError, Provider, type Client, type GraphQLRequest, type OperationResult } from "urql";
import { concat, fromValue, never } from "wonka";
import { vi } from "vitest";

import type { ViewerQuery } from "../graphql/graphql";

/** Answers an operation in tests: data, or GraphQL errors as the server sends them. */
export type MockAnswer = { data?: unknown; errors?: { message: string; extensions: Record<string, unknown> }[] };

/** Turns a mock answer into the result urql expects. */
function toResult(request: GraphQLRequest, answer: MockAnswer | undefined) {
  if (!answer) return never;
  const result = {
    operation: request,
    data: answer.data,
    error: answer.errors ? new CombinedError({ graphQLErrors: answer.errors }) : undefined,
    stale: false,
    hasNext: false,
  } as unknown as OperationResult;
  // Like the real client, the stream stays open after its result: urql clears
  // `error` when a query stream ends.
  return concat([fromValue(result), never]);
}

/** Returns the name of the operation of `request`, e.g. `WorkerList`. */
export function operationName(request: GraphQLRequest): string | undefined {
  for (const def of request.query.definitions) {
    if (def.kind === "OperationDefinition") return def.name?.value;
  }
  return undefined;
}

/**
 * Makes an urql client whose operations are answered by `answer`, called with
 * the operation name and variables. Unanswered operations stay pending.
 */
export function mockClient(answer: (name: string | undefined, variables: Record<string, unknown>) => MockAnswer | undefined) {
  const respond = (request: GraphQLRequest) =>
    toResult(request, answer(operationName(request), (request.variables ?? {}) as Record<string, unknown>));
  return {
    executeQuery: vi.fn(respond),
    executeMutation: vi.fn(respond),
    executeSubscription: vi.fn(() => never),
    // One-off reads (live feed start, statistics pages) stay pending.
    query: vi.fn(() => ({ toPromise: () => new Promise(() => {}) })),
    subscription: vi.fn(() => ({ subscribe: () => ({ unsubscribe: () => {} }) })),
  } as unknown as Client & {
    executeQuery: ReturnType<typeof vi.fn>;
    executeMutation: ReturnType<typeof vi.fn>;
  };
}

/** Renders `ui` with a GraphQL client and a router at `route`. */
export function renderWithProviders(ui: ReactElement, { client, route = "/" }: { client: Client; route?: string }) {
  return render(
    <Provider value={client}>
      <MemoryRouter initialEntries={[route]}>{ui}</MemoryRouter>
    </Provider>,
  );
}

/** A signed-in caller with the given roles, as the `Viewer` query returns it. */
export function viewerData(roles: ViewerQuery["me"]["roles"], displayName = "Camille Martin"): ViewerQuery {
  return {
    me: {
      account: { id: "1", displayName, email: "camille.martin@example.fr" },
      roles,
      activeRole: roles[0] ?? null,
      secondFactor: null,
      totpEnabled: false,
      recoveryCodesLeft: 0,
      signedInWith: null,
      grants: roles.map((role) => ({
        role,
        validFrom: "2026-01-01T00:00:00Z",
        validTo: null,
        establishmentID: null,
        workerID: null,
        laboratoryID: null,
        region: null,
      })),
    },
  };
}
