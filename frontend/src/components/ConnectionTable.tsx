import type { ReactNode } from "react";
import { Notice } from "@codegouvfr/react-dsfr/Notice";
import { Table } from "@codegouvfr/react-dsfr/Table";
import type { CombinedError } from "urql";

import { ConnectionPager } from "./CursorPager";
import { Loading } from "./Loading";
import { QueryErrorAlert } from "./QueryErrorAlert";

type Pages = { page: number; previous: () => void; next: (cursor: string) => void };

/**
 * A DSFR table over one page of a Relay connection, with its loading, error
 * and empty states and the pager. `caption` receives the total count.
 */
export function ConnectionTable<N>({
  error,
  connection,
  pages,
  pageSize = 20,
  caption,
  empty,
  loading = "Chargement…",
  headers,
  row,
}: {
  error?: CombinedError;
  connection?: {
    totalCount: number;
    edges?: ReadonlyArray<{ node?: N | null } | null> | null;
    pageInfo?: { hasNextPage: boolean; endCursor?: string | null };
  } | null;
  pages?: Pages;
  pageSize?: number;
  caption: (total: number) => string;
  empty: string;
  loading?: string;
  headers: string[];
  row: (node: N) => ReactNode[];
}) {
  if (error) return <QueryErrorAlert error={error} />;
  if (!connection) return <Loading label={loading} />;
  if (connection.totalCount === 0) return <Notice title={empty} />;
  const nodes = (connection.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  return (
    <>
      <Table caption={caption(connection.totalCount)} bordered fixed={false} headers={headers} data={nodes.map(row)} />
      {pages && <ConnectionPager connection={connection} pages={pages} pageSize={pageSize} />}
    </>
  );
}
