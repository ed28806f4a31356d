import { useMutation, useQuery } from "urql";

import { graphql } from "../../../graphql";

export const AdminAccountsDocument = graphql(`
  query AdminAccounts($after: Cursor) {
    accounts(first: 20, after: $after, orderBy: [{ field: EMAIL, direction: ASC }]) {
      totalCount
      edges {
        node {
          id
          email
          displayName
          active
          demo
          lastLoginAt
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const CreateAccountDocument = graphql(`
  mutation CreateAccount($input: CreateAccountInput!) {
    createAccount(input: $input) {
      id
      email
    }
  }
`);

export const AdminGrantsDocument = graphql(`
  query AdminGrants($after: Cursor, $where: GrantWhereInput) {
    grants(first: 20, after: $after, where: $where, orderBy: [{ field: CREATED_AT, direction: DESC }]) {
      totalCount
      edges {
        node {
          id
          role
          region
          validFrom
          validTo
          revokedAt
          account {
            email
          }
          establishment {
            name
          }
          laboratory {
            name
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

export const RevokeGrantDocument = graphql(`
  mutation RevokeGrant($id: ID!) {
    revokeGrant(id: $id) {
      id
      revokedAt
    }
  }
`);

export const AdminApiKeysDocument = graphql(`
  query AdminApiKeys($after: Cursor) {
    apiKeys(first: 20, after: $after) {
      totalCount
      edges {
        node {
          id
          name
          prefix
          profile
          expiresAt
          revokedAt
          lastUsedAt
          account {
            email
          }
          grant {
            role
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

export const CreateApiKeyDocument = graphql(`
  mutation CreateApiKey($input: CreateApiKeyInput!) {
    createApiKey(input: $input) {
      key
      apiKey {
        id
        name
        prefix
      }
    }
  }
`);

export const RevokeApiKeyDocument = graphql(`
  mutation RevokeApiKey($id: ID!) {
    revokeApiKey(id: $id) {
      id
      revokedAt
    }
  }
`);

export const AdminNomenclaturesDocument = graphql(`
  query AdminNomenclatures($after: Cursor, $kind: NomenclatureKind) {
    nomenclatures(first: 50, after: $after, where: { kind: $kind }, orderBy: [{ field: CODE, direction: ASC }]) {
      totalCount
      edges {
        node {
          id
          kind
          version
          code
          label
          parentCode
          validFrom
          validTo
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const useAdminAccounts = (after: string | null) => useQuery({ query: AdminAccountsDocument, variables: { after } });
export const useCreateAccount = () => useMutation(CreateAccountDocument);
export const useAdminGrants = (after: string | null, activeOnly = false) =>
  useQuery({ query: AdminGrantsDocument, variables: { after, where: activeOnly ? { revokedAtIsNil: true } : {} } });
export const useRevokeGrant = () => useMutation(RevokeGrantDocument);
export const useAdminApiKeys = (after: string | null) => useQuery({ query: AdminApiKeysDocument, variables: { after } });
export const useCreateApiKey = () => useMutation(CreateApiKeyDocument);
export const useRevokeApiKey = () => useMutation(RevokeApiKeyDocument);
export const useAdminNomenclatures = (after: string | null, kind: string) =>
  useQuery({ query: AdminNomenclaturesDocument, variables: { after, kind: (kind || null) as never } });
