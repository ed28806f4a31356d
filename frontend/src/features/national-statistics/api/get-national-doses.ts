import { useQuery } from "urql";

import { graphql } from "../../../graphql";

/** One page of the doses of record that count in workers' yearly dose (pseudonymised: no names). */
export const NationalDosesDocument = graphql(`
  query NationalDoses($after: Cursor, $from: Date!, $to: Date!) {
    doseRecords(
      first: 1000
      after: $after
      where: { current: true, quantityIn: [HP10, E50], periodEndGTE: $from, periodEndLTE: $to }
    ) {
      totalCount
      edges {
        node {
          workerID
          valueUsv
          periodEnd
          sectorCode
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** Domains and sectors of activity, to group and name the statistics. */
export const ActivityNomenclatureDocument = graphql(`
  query ActivityNomenclature {
    nomenclatures(first: 200, where: { kindIn: [DOMAIN, SECTOR] }) {
      edges {
        node {
          id
          kind
          code
          label
          parentCode
        }
      }
    }
  }
`);

/** Fetches the domains and sectors. */
export function useActivityNomenclature() {
  return useQuery({ query: ActivityNomenclatureDocument });
}

/** Anomaly counts by status and layer. */
export const AnomalyStatisticsDocument = graphql(`
  query AnomalyStatistics {
    total: anomalies(first: 1) {
      totalCount
    }
    open: anomalies(first: 1, where: { status: OPEN }) {
      totalCount
    }
    acknowledged: anomalies(first: 1, where: { status: ACKNOWLEDGED }) {
      totalCount
    }
    confirmed: anomalies(first: 1, where: { status: CONFIRMED }) {
      totalCount
    }
    notConfirmed: anomalies(first: 1, where: { status: NOT_CONFIRMED }) {
      totalCount
    }
    falsePositive: anomalies(first: 1, where: { status: FALSE_POSITIVE }) {
      totalCount
    }
    validity: anomalies(first: 1, where: { layer: VALIDITY }) {
      totalCount
    }
    regulatory: anomalies(first: 1, where: { layer: REGULATORY }) {
      totalCount
    }
    context: anomalies(first: 1, where: { layer: CONTEXT }) {
      totalCount
    }
    history: anomalies(first: 1, where: { layer: HISTORY }) {
      totalCount
    }
  }
`);

/** Fetches the anomaly counts. */
export function useAnomalyStatistics() {
  return useQuery({ query: AnomalyStatisticsDocument });
}
