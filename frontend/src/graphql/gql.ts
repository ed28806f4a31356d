/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query EstablishmentList($first: Int!, $after: Cursor, $where: EstablishmentWhereInput) {\n    establishments(first: $first, after: $after, where: $where, orderBy: [{ field: NAME, direction: ASC }]) {\n      totalCount\n      edges {\n        node {\n          ...EstablishmentRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.EstablishmentListDocument,
    "\n  fragment EstablishmentRow on Establishment {\n    id\n    siret\n    name\n    postalCode\n    city\n    region\n    closedAt\n  }\n": typeof types.EstablishmentRowFragmentDoc,
    "\n  query Viewer {\n    me {\n      account {\n        id\n        displayName\n        email\n      }\n      roles\n      grants {\n        role\n        validFrom\n        validTo\n        establishmentID\n        workerID\n        laboratoryID\n        region\n      }\n    }\n  }\n": typeof types.ViewerDocument,
    "\n  mutation SignIn($input: LoginInput!) {\n    login(input: $input) {\n      expiresAt\n      account {\n        id\n        displayName\n        email\n      }\n    }\n  }\n": typeof types.SignInDocument,
    "\n  mutation SignOut {\n    logout\n  }\n": typeof types.SignOutDocument,
    "\n  query WorkerList($first: Int!, $after: Cursor, $where: WorkerWhereInput) {\n    workers(\n      first: $first\n      after: $after\n      where: $where\n      orderBy: [{ field: LAST_NAME, direction: ASC }, { field: FIRST_NAMES, direction: ASC }]\n    ) {\n      totalCount\n      edges {\n        node {\n          ...WorkerRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.WorkerListDocument,
    "\n  fragment WorkerRow on Worker {\n    id\n    lastName\n    usageName\n    firstNames\n    birthDate\n    sex\n    identifierKind\n  }\n": typeof types.WorkerRowFragmentDoc,
    "\n  query ViewerProbe {\n    me {\n      account {\n        id\n      }\n    }\n  }\n": typeof types.ViewerProbeDocument,
};
const documents: Documents = {
    "\n  query EstablishmentList($first: Int!, $after: Cursor, $where: EstablishmentWhereInput) {\n    establishments(first: $first, after: $after, where: $where, orderBy: [{ field: NAME, direction: ASC }]) {\n      totalCount\n      edges {\n        node {\n          ...EstablishmentRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.EstablishmentListDocument,
    "\n  fragment EstablishmentRow on Establishment {\n    id\n    siret\n    name\n    postalCode\n    city\n    region\n    closedAt\n  }\n": types.EstablishmentRowFragmentDoc,
    "\n  query Viewer {\n    me {\n      account {\n        id\n        displayName\n        email\n      }\n      roles\n      grants {\n        role\n        validFrom\n        validTo\n        establishmentID\n        workerID\n        laboratoryID\n        region\n      }\n    }\n  }\n": types.ViewerDocument,
    "\n  mutation SignIn($input: LoginInput!) {\n    login(input: $input) {\n      expiresAt\n      account {\n        id\n        displayName\n        email\n      }\n    }\n  }\n": types.SignInDocument,
    "\n  mutation SignOut {\n    logout\n  }\n": types.SignOutDocument,
    "\n  query WorkerList($first: Int!, $after: Cursor, $where: WorkerWhereInput) {\n    workers(\n      first: $first\n      after: $after\n      where: $where\n      orderBy: [{ field: LAST_NAME, direction: ASC }, { field: FIRST_NAMES, direction: ASC }]\n    ) {\n      totalCount\n      edges {\n        node {\n          ...WorkerRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.WorkerListDocument,
    "\n  fragment WorkerRow on Worker {\n    id\n    lastName\n    usageName\n    firstNames\n    birthDate\n    sex\n    identifierKind\n  }\n": types.WorkerRowFragmentDoc,
    "\n  query ViewerProbe {\n    me {\n      account {\n        id\n      }\n    }\n  }\n": types.ViewerProbeDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EstablishmentList($first: Int!, $after: Cursor, $where: EstablishmentWhereInput) {\n    establishments(first: $first, after: $after, where: $where, orderBy: [{ field: NAME, direction: ASC }]) {\n      totalCount\n      edges {\n        node {\n          ...EstablishmentRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query EstablishmentList($first: Int!, $after: Cursor, $where: EstablishmentWhereInput) {\n    establishments(first: $first, after: $after, where: $where, orderBy: [{ field: NAME, direction: ASC }]) {\n      totalCount\n      edges {\n        node {\n          ...EstablishmentRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment EstablishmentRow on Establishment {\n    id\n    siret\n    name\n    postalCode\n    city\n    region\n    closedAt\n  }\n"): (typeof documents)["\n  fragment EstablishmentRow on Establishment {\n    id\n    siret\n    name\n    postalCode\n    city\n    region\n    closedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    me {\n      account {\n        id\n        displayName\n        email\n      }\n      roles\n      grants {\n        role\n        validFrom\n        validTo\n        establishmentID\n        workerID\n        laboratoryID\n        region\n      }\n    }\n  }\n"): (typeof documents)["\n  query Viewer {\n    me {\n      account {\n        id\n        displayName\n        email\n      }\n      roles\n      grants {\n        role\n        validFrom\n        validTo\n        establishmentID\n        workerID\n        laboratoryID\n        region\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignIn($input: LoginInput!) {\n    login(input: $input) {\n      expiresAt\n      account {\n        id\n        displayName\n        email\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation SignIn($input: LoginInput!) {\n    login(input: $input) {\n      expiresAt\n      account {\n        id\n        displayName\n        email\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignOut {\n    logout\n  }\n"): (typeof documents)["\n  mutation SignOut {\n    logout\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WorkerList($first: Int!, $after: Cursor, $where: WorkerWhereInput) {\n    workers(\n      first: $first\n      after: $after\n      where: $where\n      orderBy: [{ field: LAST_NAME, direction: ASC }, { field: FIRST_NAMES, direction: ASC }]\n    ) {\n      totalCount\n      edges {\n        node {\n          ...WorkerRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query WorkerList($first: Int!, $after: Cursor, $where: WorkerWhereInput) {\n    workers(\n      first: $first\n      after: $after\n      where: $where\n      orderBy: [{ field: LAST_NAME, direction: ASC }, { field: FIRST_NAMES, direction: ASC }]\n    ) {\n      totalCount\n      edges {\n        node {\n          ...WorkerRow\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment WorkerRow on Worker {\n    id\n    lastName\n    usageName\n    firstNames\n    birthDate\n    sex\n    identifierKind\n  }\n"): (typeof documents)["\n  fragment WorkerRow on Worker {\n    id\n    lastName\n    usageName\n    firstNames\n    birthDate\n    sex\n    identifierKind\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ViewerProbe {\n    me {\n      account {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  query ViewerProbe {\n    me {\n      account {\n        id\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;