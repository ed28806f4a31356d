import { useEffect, useState } from "react";
import { useClient, type AnyVariables, type TypedDocumentNode } from "urql";

type Page<N> = {
  totalCount: number;
  edges?: ReadonlyArray<{ node?: N | null } | null> | null;
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
};

/** Loading state of every page of a connection. */
export type AllPages<N> = { nodes: N[]; loaded: number; total: number | null; done: boolean; error: Error | null };

/**
 * Fetches every page of a connection one after the other (statistics computed
 * in the browser), reporting progress. `pick` returns the connection of an
 * answer; the query must take `$after`. Starts again when `key` changes.
 */
export function useAllPages<D, V extends AnyVariables, N>(
  document: TypedDocumentNode<D, V>,
  variables: V,
  pick: (data: D) => Page<N>,
  key: string,
): AllPages<N> {
  const client = useClient();
  const [state, setState] = useState<AllPages<N>>({ nodes: [], loaded: 0, total: null, done: false, error: null });
  useEffect(() => {
    let cancelled = false;
    setState({ nodes: [], loaded: 0, total: null, done: false, error: null });
    (async () => {
      const nodes: N[] = [];
      let after: string | null = null;
      for (;;) {
        const res = await client.query(document, { ...variables, after } as V, { requestPolicy: "network-only" }).toPromise();
        if (cancelled) return;
        if (res.error || !res.data) {
          setState((s) => ({ ...s, error: res.error ?? new Error("no data") }));
          return;
        }
        const page = pick(res.data);
        for (const e of page.edges ?? []) if (e?.node) nodes.push(e.node);
        const done = !page.pageInfo.hasNextPage || !page.pageInfo.endCursor;
        setState({ nodes: done ? nodes : [], loaded: nodes.length, total: page.totalCount, done, error: null });
        if (done) return;
        after = page.pageInfo.endCursor!;
      }
    })();
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key, client]);
  return state;
}
