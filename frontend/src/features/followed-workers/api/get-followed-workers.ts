import { useQuery } from "urql";

import { graphql } from "../../../graphql";

/** The workers a physician follows, by name, with their current employments. */
export const FollowedWorkersDocument = graphql(`
  query FollowedWorkers($after: Cursor, $where: WorkerWhereInput, $orderBy: [WorkerOrder!]) {
    workers(first: 20, after: $after, where: $where, orderBy: $orderBy) {
      totalCount
      edges {
        node {
          id
          lastName
          usageName
          firstNames
          birthDate
          employments(first: 3, orderBy: { field: START_DATE, direction: DESC }) {
            edges {
              node {
                id
                jobCode
                classification
                endDate
                establishment {
                  id
                  name
                }
              }
            }
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** Names of the establishments of the caller's grants. */
export const GrantEstablishmentsDocument = graphql(`
  query GrantEstablishments($ids: [ID!]) {
    establishments(first: 50, where: { idIn: $ids }, orderBy: [{ field: NAME, direction: ASC }]) {
      edges {
        node {
          id
          name
          siret
        }
      }
    }
  }
`);

export type FollowedWorkersFilter = {
  name: string;
  establishmentID: string;
  classification: string;
  order: "LAST_NAME" | "BIRTH_DATE";
};

/** Fetches a page of followed workers matching the filter. */
export function useFollowedWorkers(filter: FollowedWorkersFilter, after: string | null) {
  const employment: Record<string, unknown> = {};
  if (filter.establishmentID) employment.establishmentID = filter.establishmentID;
  if (filter.classification) employment.classification = filter.classification;
  const where: Record<string, unknown> = {};
  if (filter.name.trim()) where.lastNameContainsFold = filter.name.trim();
  if (Object.keys(employment).length) where.hasEmploymentsWith = [employment];
  return useQuery({
    query: FollowedWorkersDocument,
    variables: {
      after,
      where,
      orderBy: [
        { field: filter.order, direction: "ASC" },
        { field: "FIRST_NAMES", direction: "ASC" },
      ],
    },
  });
}

/** Fetches the establishments with the given IDs. */
export function useGrantEstablishments(ids: string[]) {
  return useQuery({ query: GrantEstablishmentsDocument, variables: { ids }, pause: ids.length === 0 });
}
