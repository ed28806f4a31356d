import { graphql } from "../../../graphql";

/** Where the live feed starts: the cursor of the newest anomaly the caller may see. */
export const LatestAnomalyCursorDocument = graphql(`
  query LatestAnomalyCursor {
    anomalies(last: 1) {
      edges {
        cursor
      }
    }
  }
`);

/** New anomalies, for those who may read their explanation (physicians, advisers). */
export const OnAnomalyRaisedDocument = graphql(`
  subscription OnAnomalyRaised($after: Cursor) {
    anomalyRaised(after: $after) {
      cursor
      anomaly {
        id
        createdAt
        kind
        severity
        explanation
        worker {
          id
          lastName
          firstNames
        }
        establishment {
          name
        }
      }
    }
  }
`);

/** New anomalies for employer correspondents: who, never the value nor its explanation. */
export const OnAnomalyRaisedForEmployerDocument = graphql(`
  subscription OnAnomalyRaisedForEmployer($after: Cursor) {
    anomalyRaised(after: $after) {
      cursor
      anomaly {
        id
        createdAt
        kind
        severity
        worker {
          id
          lastName
          firstNames
        }
        establishment {
          name
        }
      }
    }
  }
`);
