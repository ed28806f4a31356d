import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { startReactDsfr } from "@codegouvfr/react-dsfr/spa";
import { Link } from "react-router";

import { App } from "./app/App";
import { redirectToSignIn } from "./app/sign-in-redirect";
import { createGraphqlClient } from "./lib/graphql-client";

startReactDsfr({ defaultColorScheme: "system", Link });

declare module "@codegouvfr/react-dsfr/spa" {
  interface RegisterLink {
    Link: typeof Link;
  }
}

const client = createGraphqlClient({ onUnauthenticated: redirectToSignIn });

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <App client={client} />
  </StrictMode>,
);
