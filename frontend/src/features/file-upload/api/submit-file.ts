import { useQuery } from "urql";

import { graphql } from "../../../graphql";

/**
 * Everything the execution report shows. The dose distribution is dosimetric
 * data: employer correspondents may not read it, so operations pass
 * `$withDoses: false` for them (the API refuses the field otherwise).
 */
export const ImportReportFieldsFragment = graphql(`
  fragment ImportReportFields on ImportReport {
    reference
    format
    status
    dryRun
    replayed
    rowsTotal
    rowsAccepted
    rowsRejected
    problemCount
    warningCount
    problems {
      line
      column
      value
      severity
      code
      message
    }
    doseClasses @include(if: $withDoses) {
      class
      label
      count
    }
    anomaliesRaised
    workersCreated
    employmentsCreated
  }
`);

/** Sends a file (multipart upload) and returns its execution report. */
export const SubmitFileDocument = graphql(`
  mutation SubmitFile($input: SubmitFileInput!, $withDoses: Boolean!) {
    submitFile(input: $input) {
      ...ImportReportFields
    }
  }
`);

/** The report of a past batch. */
export const ImportReportDocument = graphql(`
  query ImportReport($batchID: ID!, $withDoses: Boolean!) {
    importReport(batchID: $batchID) {
      ...ImportReportFields
    }
  }
`);

/** The caller's batches, newest first. */
export const ImportBatchHistoryDocument = graphql(`
  query ImportBatchHistory($after: Cursor, $where: ImportBatchWhereInput) {
    importBatches(first: 20, after: $after, where: $where, orderBy: [{ field: CREATED_AT, direction: DESC }]) {
      totalCount
      edges {
        node {
          id
          createdAt
          reference
          filename
          format
          status
          rowsTotal
          rowsAccepted
          rowsRejected
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** Fetches a page of the batch history. */
export function useImportBatchHistory(after: string | null, format?: string) {
  return useQuery({
    query: ImportBatchHistoryDocument,
    variables: { after, where: format ? { format: format as never } : {} },
    requestPolicy: "cache-and-network",
  });
}

/** Whether a report of this format shows the dose distribution (not for declarations). */
export function reportHasDoses(format: string | undefined): boolean {
  return format !== "DECLARATIONS";
}

/** Fetches the report of a past batch. */
export function useImportReport(batchID: string | null, format?: string) {
  return useQuery({
    query: ImportReportDocument,
    variables: { batchID: batchID ?? "", withDoses: reportHasDoses(format) },
    pause: !batchID,
  });
}
