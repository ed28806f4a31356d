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

/** What the administrator is shown once of an activation link. */
export const InvitationFieldsFragment = graphql(`
  fragment InvitationFields on Invitation {
    activationLink
    expiresAt
    account {
      id
      email
      displayName
    }
  }
`);

export const InviteAccountDocument = graphql(`
  mutation InviteAccount($input: InviteAccountInput!) {
    inviteAccount(input: $input) {
      ...InvitationFields
    }
  }
`);

export const ReissueActivationDocument = graphql(`
  mutation ReissueActivation($accountID: ID!) {
    reissueActivation(accountID: $accountID) {
      ...InvitationFields
    }
  }
`);

export const GrantScopesDocument = graphql(`
  query GrantScopes {
    accounts(first: 200, orderBy: [{ field: EMAIL, direction: ASC }]) {
      edges {
        node {
          id
          email
          displayName
        }
      }
    }
    establishments(first: 200, orderBy: [{ field: NAME, direction: ASC }]) {
      edges {
        node {
          id
          name
          siret
        }
      }
    }
    companies(first: 200, orderBy: [{ field: NAME, direction: ASC }]) {
      edges {
        node {
          id
          name
          siren
        }
      }
    }
    laboratories(first: 200, orderBy: [{ field: NAME, direction: ASC }]) {
      edges {
        node {
          id
          name
          code
        }
      }
    }
  }
`);

export const CreateGrantDocument = graphql(`
  mutation CreateGrant($input: CreateGrantInput!) {
    createGrant(input: $input) {
      id
      role
    }
  }
`);

export const AdminCompaniesDocument = graphql(`
  query AdminCompanies($after: Cursor) {
    companies(first: 20, after: $after, orderBy: [{ field: NAME, direction: ASC }]) {
      totalCount
      edges {
        node {
          id
          siren
          name
          establishments(first: 1) {
            totalCount
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

export const CreateCompanyDocument = graphql(`
  mutation CreateCompany($input: CreateCompanyInput!) {
    createCompany(input: $input) {
      id
      siren
      name
    }
  }
`);

export const UpdateCompanyDocument = graphql(`
  mutation UpdateCompany($id: ID!, $input: UpdateCompanyInput!) {
    updateCompany(id: $id, input: $input) {
      id
      name
    }
  }
`);

export const AdminLaboratoriesDocument = graphql(`
  query AdminLaboratories($after: Cursor) {
    laboratories(first: 20, after: $after, orderBy: [{ field: NAME, direction: ASC }]) {
      totalCount
      edges {
        node {
          id
          code
          name
          siret
          accreditation
          accreditationBody
          accreditationScope
          accreditationValidFrom
          accreditationValidTo
          active
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const CreateLaboratoryDocument = graphql(`
  mutation CreateLaboratory($input: CreateLaboratoryInput!) {
    createLaboratory(input: $input) {
      id
      name
    }
  }
`);

export const UpdateLaboratoryDocument = graphql(`
  mutation UpdateLaboratory($id: ID!, $input: UpdateLaboratoryInput!) {
    updateLaboratory(id: $id, input: $input) {
      id
      name
    }
  }
`);

export const CreateEstablishmentDocument = graphql(`
  mutation CreateEstablishment($input: CreateEstablishmentInput!) {
    createEstablishment(input: $input) {
      id
      name
    }
  }
`);

export const UpdateEstablishmentDocument = graphql(`
  mutation UpdateEstablishment($id: ID!, $input: UpdateEstablishmentInput!) {
    updateEstablishment(id: $id, input: $input) {
      id
      name
    }
  }
`);

export const ImportNomenclatureDocument = graphql(`
  mutation ImportNomenclature($input: ImportNomenclatureInput!) {
    importNomenclature(input: $input) {
      version
      validFrom
      domains
      sectors
      jobs
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
          company {
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
export const useInviteAccount = () => useMutation(InviteAccountDocument);
export const useReissueActivation = () => useMutation(ReissueActivationDocument);
export const useGrantScopes = () => useQuery({ query: GrantScopesDocument });
export const useCreateGrant = () => useMutation(CreateGrantDocument);
export const useAdminCompanies = (after: string | null) => useQuery({ query: AdminCompaniesDocument, variables: { after } });
export const useCreateCompany = () => useMutation(CreateCompanyDocument);
export const useUpdateCompany = () => useMutation(UpdateCompanyDocument);
export const useAdminLaboratories = (after: string | null) => useQuery({ query: AdminLaboratoriesDocument, variables: { after } });
export const useCreateLaboratory = () => useMutation(CreateLaboratoryDocument);
export const useUpdateLaboratory = () => useMutation(UpdateLaboratoryDocument);
export const useCreateEstablishment = () => useMutation(CreateEstablishmentDocument);
export const useUpdateEstablishment = () => useMutation(UpdateEstablishmentDocument);
export const useAdminGrants = (after: string | null, activeOnly = false) =>
  useQuery({ query: AdminGrantsDocument, variables: { after, where: activeOnly ? { revokedAtIsNil: true } : {} } });
export const useRevokeGrant = () => useMutation(RevokeGrantDocument);
export const useAdminApiKeys = (after: string | null) => useQuery({ query: AdminApiKeysDocument, variables: { after } });
export const useCreateApiKey = () => useMutation(CreateApiKeyDocument);
export const useRevokeApiKey = () => useMutation(RevokeApiKeyDocument);
export const useAdminNomenclatures = (after: string | null, kind: string) =>
  useQuery({ query: AdminNomenclaturesDocument, variables: { after, kind: (kind || null) as never } });
