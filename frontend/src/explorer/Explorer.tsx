import { useEffect, useMemo, useState, type FormEvent } from "react";
import { GraphiQL, type GraphiQLProps } from "graphiql";
import { graphqlPath } from "../lib/graphql-client";

/** Where the partner's key is kept: this tab only, gone when it closes. */
const keyStorage = "siseri.explorer.apiKey";

const defaultQuery = `# Explorateur de l'API SISERI
# Vous ne voyez que les types et les champs auxquels votre session ou votre
# clé d'API donne droit : la documentation (bouton « Docs ») les décrit.
{
  me {
    activeRole
  }
}
`;

type Fetcher = GraphiQLProps["fetcher"];

/** explorerFetcher posts operations to the API with the session cookie, or
 * with the partner's key as a bearer token when one is given. */
export function explorerFetcher(apiKey: string): Fetcher {
  return async (params) => {
    const headers: Record<string, string> = {
      "content-type": "application/json",
      accept: "application/graphql-response+json, application/json",
    };
    if (apiKey) headers.authorization = `Bearer ${apiKey}`;
    const res = await fetch(graphqlPath, {
      method: "POST",
      credentials: apiKey ? "omit" : "same-origin",
      headers,
      body: JSON.stringify(params),
    });
    return res.json();
  };
}

type Status = "checking" | "session" | "key" | "anonymous";

const statusText: Record<Status, string> = {
  checking: "Vérification de la connexion…",
  session: "Connecté·e avec votre session SISERI.",
  key: "Connecté·e avec la clé d'API saisie.",
  anonymous:
    "Non connecté·e : connectez-vous à SISERI dans cet onglet, ou collez la clé d'API de votre logiciel partenaire.",
};

export function Explorer() {
  const [apiKey, setApiKey] = useState(() => sessionStorage.getItem(keyStorage) ?? "");
  const [draft, setDraft] = useState("");
  const [status, setStatus] = useState<Status>("checking");
  const fetcher = useMemo(() => explorerFetcher(apiKey), [apiKey]);

  useEffect(() => {
    let live = true;
    setStatus("checking");
    Promise.resolve(fetcher({ query: "{ me { __typename } }", operationName: null }, undefined))
      .then((r) => {
        const ok = !!(r as { data?: { me?: unknown } })?.data?.me;
        if (live) setStatus(ok ? (apiKey ? "key" : "session") : "anonymous");
      })
      .catch(() => live && setStatus("anonymous"));
    return () => {
      live = false;
    };
  }, [fetcher, apiKey]);

  const useKey = (e: FormEvent) => {
    e.preventDefault();
    const k = draft.trim();
    if (!k) return;
    sessionStorage.setItem(keyStorage, k);
    setApiKey(k);
    setDraft("");
  };
  const forgetKey = () => {
    sessionStorage.removeItem(keyStorage);
    setApiKey("");
  };

  return (
    <div className="explorer">
      <header className="explorer-bar">
        <h1>SISERI — Explorateur de l'API</h1>
        <p role="status" data-status={status}>
          {statusText[status]}
        </p>
        {apiKey ? (
          <button type="button" onClick={forgetKey}>
            Oublier la clé d'API
          </button>
        ) : (
          <form onSubmit={useKey}>
            <label htmlFor="explorer-key">Clé d'API (partenaires)</label>
            <input
              id="explorer-key"
              type="password"
              autoComplete="off"
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
            />
            <button type="submit">Utiliser la clé</button>
          </form>
        )}
      </header>
      <main className="explorer-main">
        {/* Remounted when the credentials change: the schema is fetched again. */}
        <GraphiQL key={apiKey ? "key" : "session"} fetcher={fetcher} defaultQuery={defaultQuery} />
      </main>
    </div>
  );
}
