import { BrowserRouter } from "react-router";
import { Provider, type Client } from "urql";

import { AppRoutes } from "./AppRoutes";

/** The application with its providers: the GraphQL client and the router. */
export function App({ client }: { client: Client }) {
  return (
    <Provider value={client}>
      <BrowserRouter>
        <AppRoutes />
      </BrowserRouter>
    </Provider>
  );
}
