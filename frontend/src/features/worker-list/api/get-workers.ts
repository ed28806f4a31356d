import { useQuery } from "urql";

import { graphql } from "../../../graphql";

/** Number of workers per page. */
export const workersPageSize = 20;

/** One page of workers, by birth name, optionally filtered by name. */
export const WorkerListDocument = graphql(`
  query WorkerList($first: Int!, $after: Cursor, $where: WorkerWhereInput) {
    workers(
      first: $first
      after: $after
      where: $where
      orderBy: [{ field: LAST_NAME, direction: ASC }, { field: FIRST_NAMES, direction: ASC }]
    ) {
      totalCount
      edges {
        node {
          ...WorkerRow
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** Fetches the page of workers after `after` whose birth name contains `name`. */
export function useWorkers({ name, after }: { name: string; after: string | null }) {
  const trimmed = name.trim();
  return useQuery({
    query: WorkerListDocument,
    variables: {
      first: workersPageSize,
      after,
      where: trimmed ? { lastNameContainsFold: trimmed } : undefined,
    },
  });
}
