import { print, type DocumentNode } from "graphql";

import { graphqlPath } from "./graphql-client";

/** The header the server requires on multipart uploads (CSRF protection). */
export const preflightHeader = "GraphQL-Preflight";

/** The answer of a multipart operation, as the server sends it. */
export type UploadAnswer<T> = {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
};

/**
 * Builds the body of a GraphQL multipart request (the spec of jaydenseric's
 * graphql-multipart-request-spec): `operations` with the file variable set to
 * null, `map` from the form field to that variable, then the file itself.
 */
export function multipartBody(
  query: string,
  variables: Record<string, unknown>,
  filePath: string,
  file: Blob,
  filename: string,
): FormData {
  const body = new FormData();
  body.append("operations", JSON.stringify({ query, variables }));
  body.append("map", JSON.stringify({ "0": [`variables.${filePath}`] }));
  body.append("0", file, filename);
  return body;
}

/**
 * Sends an operation with one file over XMLHttpRequest, the only browser API
 * that reports upload progress. `onProgress` receives a share from 0 to 1.
 * Rejects on network failure only; GraphQL errors come back in the answer.
 */
export function uploadOperation<T>(
  document: DocumentNode,
  variables: Record<string, unknown>,
  filePath: string,
  file: File,
  onProgress: (share: number) => void,
): Promise<UploadAnswer<T>> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", graphqlPath);
    xhr.withCredentials = true;
    xhr.setRequestHeader("Accept", "application/graphql-response+json, application/json");
    // The server refuses a multipart request without this header: a form on
    // another site cannot add it (it would need a CORS preflight), so the
    // upload provably comes from the application (docs/security.md).
    xhr.setRequestHeader(preflightHeader, "1");
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      onProgress(1);
      try {
        resolve(JSON.parse(xhr.responseText) as UploadAnswer<T>);
      } catch {
        resolve({ errors: [{ message: `Réponse inattendue du serveur (HTTP ${xhr.status}).` }] });
      }
    };
    xhr.onerror = () => reject(new Error("network"));
    xhr.send(multipartBody(print(document), variables, filePath, file, file.name));
  });
}
