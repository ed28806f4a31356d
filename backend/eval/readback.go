package eval

import (
	"context"
	"fmt"
	"time"
)

// pageSize is the page of every connection read back (the server's
// MaxPageSize is 1,000).
const pageSize = 500

// Dose statuses, as the GraphQL enum DoseRecordStatus spells them.
const (
	statusMeasured = "MEASURED"
	statusAbsent   = "ABSENT"
)

// anomalyNode is an anomaly as the reader account reads it through GraphQL.
type anomalyNode struct {
	ID          int
	Kind        string
	Layer       string
	WorkerID    int
	PeriodStart *time.Time
	PeriodEnd   *time.Time
	Score       float64
	Explanation string
	// DoseRecordIDs are the records the finding is about.
	DoseRecordIDs []int
}

// doseNode is a current dose record as the reader account reads it.
type doseNode struct {
	ID             int
	WorkerID       int
	MonitoringKind string
	Quantity       string
	Status         string
	ValueUsv       int
	PeriodStart    time.Time
	PeriodEnd      time.Time
	SectorCode     *string
	JobCode        *string
}

// workerNode is a worker as their employer correspondent reads them.
type workerNode struct {
	ID        int
	NIR       string
	BirthDate time.Time
}

// connection is one page of a Relay connection whose nodes decode into N.
type connection[N any] struct {
	Edges []struct {
		Node N
	}
	PageInfo pageInfo
}

// eachNode reads every page of the one connection query selects (query
// takes $first and $after, and whatever vars adds) and calls each on every
// node, in order.
func eachNode[N any](ctx context.Context, c *client, query string, vars map[string]any, each func(N)) error {
	var after any
	for {
		v := map[string]any{"first": pageSize, "after": after}
		for k, x := range vars {
			v[k] = x
		}
		var data map[string]connection[N]
		if err := c.do(ctx, query, v, &data); err != nil {
			return err
		}
		if len(data) != 1 {
			return fmt.Errorf("la requête rend %d connexions, une attendue", len(data))
		}
		var pi pageInfo
		for _, conn := range data {
			for _, e := range conn.Edges {
				each(e.Node)
			}
			pi = conn.PageInfo
		}
		if !pi.HasNextPage || pi.EndCursor == nil {
			return nil
		}
		after = *pi.EndCursor
	}
}

const anomalyIDsQuery = `query EvalAnomalyIDs($first: Int!, $after: Cursor, $gt: ID) {
  anomalies(first: $first, after: $after, where: {idGT: $gt}) {
    edges { node { id } }
    pageInfo { hasNextPage endCursor }
  }
}`

// readAnomalyIDs returns the ids of the anomalies after id gt (the ones
// raised since the previous read).
func readAnomalyIDs(ctx context.Context, c *client, gt int) ([]int, error) {
	var ids []int
	err := eachNode(ctx, c, anomalyIDsQuery, map[string]any{"gt": gt}, func(n struct{ ID gid }) {
		ids = append(ids, int(n.ID))
	})
	if err != nil {
		return nil, fmt.Errorf("lecture des anomalies : %w", err)
	}
	return ids, nil
}

// findingsQuery reads the findings of a root connection: anomalies, or the
// notices of dose constraints crossed (doseConstraintNotices), which the
// anomalies query leaves out.
const findingsQuery = `query EvalFindings($first: Int!, $after: Cursor) {
  %s(first: $first, after: $after) {
    edges { node {
      id kind layer workerID periodStart periodEnd score explanation
      doseRecords(first: 20) { edges { node { id } } }
    } }
    pageInfo { hasNextPage endCursor }
  }
}`

// readAnomalies reads every anomaly the reader account may read.
func readAnomalies(ctx context.Context, c *client) ([]*anomalyNode, error) {
	out, err := readFindings(ctx, c, "anomalies")
	if err != nil {
		return nil, fmt.Errorf("lecture des anomalies : %w", err)
	}
	return out, nil
}

// readNotices reads every notice of a dose constraint crossed the reader
// account may read.
func readNotices(ctx context.Context, c *client) ([]*anomalyNode, error) {
	out, err := readFindings(ctx, c, "doseConstraintNotices")
	if err != nil {
		return nil, fmt.Errorf("lecture des avis de dépassement de contrainte : %w", err)
	}
	return out, nil
}

func readFindings(ctx context.Context, c *client, root string) ([]*anomalyNode, error) {
	var out []*anomalyNode
	err := eachNode(ctx, c, fmt.Sprintf(findingsQuery, root), nil, func(n struct {
		ID          gid
		Kind        string
		Layer       string
		WorkerID    gid
		PeriodStart *day
		PeriodEnd   *day
		Score       float64
		Explanation string
		DoseRecords connection[struct{ ID gid }]
	}) {
		a := &anomalyNode{ID: int(n.ID), Kind: n.Kind, Layer: n.Layer, WorkerID: int(n.WorkerID), Score: n.Score, Explanation: n.Explanation}
		if n.PeriodStart != nil && !n.PeriodStart.IsZero() {
			a.PeriodStart = &n.PeriodStart.Time
		}
		if n.PeriodEnd != nil && !n.PeriodEnd.IsZero() {
			a.PeriodEnd = &n.PeriodEnd.Time
		}
		for _, r := range n.DoseRecords.Edges {
			a.DoseRecordIDs = append(a.DoseRecordIDs, int(r.Node.ID))
		}
		out = append(out, a)
	})
	return out, err
}

const doseRecordsQuery = `query EvalDoseRecords($first: Int!, $after: Cursor) {
  doseRecords(first: $first, after: $after, where: {current: true}) {
    edges { node { id workerID monitoringKind quantity status valueUsv periodStart periodEnd sectorCode jobCode } }
    pageInfo { hasNextPage endCursor }
  }
}`

// readDoseRecords reads every current dose record (the baselines' input).
func readDoseRecords(ctx context.Context, c *client) ([]*doseNode, error) {
	var out []*doseNode
	err := eachNode(ctx, c, doseRecordsQuery, nil, func(n struct {
		ID             gid
		WorkerID       gid
		MonitoringKind string
		Quantity       string
		Status         string
		ValueUsv       int
		PeriodStart    day
		PeriodEnd      day
		SectorCode     *string
		JobCode        *string
	}) {
		out = append(out, &doseNode{ID: int(n.ID), WorkerID: int(n.WorkerID), MonitoringKind: n.MonitoringKind, Quantity: n.Quantity,
			Status: n.Status, ValueUsv: n.ValueUsv, PeriodStart: n.PeriodStart.Time, PeriodEnd: n.PeriodEnd.Time, SectorCode: n.SectorCode, JobCode: n.JobCode})
	})
	if err != nil {
		return nil, fmt.Errorf("lecture des doses : %w", err)
	}
	return out, nil
}

const workersQuery = `query EvalWorkers($first: Int!, $after: Cursor) {
  workers(first: $first, after: $after) {
    edges { node { id nir birthDate } }
    pageInfo { hasNextPage endCursor }
  }
}`

// readWorkers reads the workers the employer correspondent declared, with
// the NIR the labels are keyed by.
func readWorkers(ctx context.Context, c *client) ([]workerNode, error) {
	var out []workerNode
	err := eachNode(ctx, c, workersQuery, nil, func(n struct {
		ID        gid
		NIR       *string `json:"nir"`
		BirthDate day
	}) {
		w := workerNode{ID: int(n.ID), BirthDate: n.BirthDate.Time}
		if n.NIR != nil {
			w.NIR = *n.NIR
		}
		out = append(out, w)
	})
	if err != nil {
		return nil, fmt.Errorf("lecture des travailleurs : %w", err)
	}
	return out, nil
}
