package eval

import (
	"context"
	"encoding/json"
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

// paginate reads every page of a connection: query takes $first and $after
// (and whatever vars adds) and conn extracts the connection from the data.
func paginate(ctx context.Context, c *client, query string, vars map[string]any, edges func(json.RawMessage) (pageInfo, error)) error {
	var after any
	for {
		v := map[string]any{"first": pageSize, "after": after}
		for k, x := range vars {
			v[k] = x
		}
		var data json.RawMessage
		if err := c.do(ctx, query, v, &data); err != nil {
			return err
		}
		pi, err := edges(data)
		if err != nil {
			return err
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
	err := paginate(ctx, c, anomalyIDsQuery, map[string]any{"gt": gt}, func(raw json.RawMessage) (pageInfo, error) {
		var d struct {
			Anomalies struct {
				Edges []struct {
					Node struct{ ID gid }
				}
				PageInfo pageInfo
			}
		}
		if err := json.Unmarshal(raw, &d); err != nil {
			return pageInfo{}, err
		}
		for _, e := range d.Anomalies.Edges {
			ids = append(ids, int(e.Node.ID))
		}
		return d.Anomalies.PageInfo, nil
	})
	if err != nil {
		return nil, fmt.Errorf("lecture des anomalies : %w", err)
	}
	return ids, nil
}

const anomaliesQuery = `query EvalAnomalies($first: Int!, $after: Cursor) {
  anomalies(first: $first, after: $after) {
    edges { node {
      id kind layer workerID periodStart periodEnd score explanation
      doseRecords(first: 20) { edges { node { id } } }
    } }
    pageInfo { hasNextPage endCursor }
  }
}`

// readAnomalies reads every anomaly the reader account may read.
func readAnomalies(ctx context.Context, c *client) ([]*anomalyNode, error) {
	var out []*anomalyNode
	err := paginate(ctx, c, anomaliesQuery, nil, func(raw json.RawMessage) (pageInfo, error) {
		var d struct {
			Anomalies struct {
				Edges []struct {
					Node struct {
						ID          gid
						Kind        string
						Layer       string
						WorkerID    gid
						PeriodStart *day
						PeriodEnd   *day
						Score       float64
						Explanation string
						DoseRecords struct {
							Edges []struct {
								Node struct{ ID gid }
							}
						}
					}
				}
				PageInfo pageInfo
			}
		}
		if err := json.Unmarshal(raw, &d); err != nil {
			return pageInfo{}, err
		}
		for _, e := range d.Anomalies.Edges {
			n := e.Node
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
		}
		return d.Anomalies.PageInfo, nil
	})
	if err != nil {
		return nil, fmt.Errorf("lecture des anomalies : %w", err)
	}
	return out, nil
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
	err := paginate(ctx, c, doseRecordsQuery, nil, func(raw json.RawMessage) (pageInfo, error) {
		var d struct {
			DoseRecords struct {
				Edges []struct {
					Node struct {
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
					}
				}
				PageInfo pageInfo
			}
		}
		if err := json.Unmarshal(raw, &d); err != nil {
			return pageInfo{}, err
		}
		for _, e := range d.DoseRecords.Edges {
			n := e.Node
			out = append(out, &doseNode{ID: int(n.ID), WorkerID: int(n.WorkerID), MonitoringKind: n.MonitoringKind, Quantity: n.Quantity,
				Status: n.Status, ValueUsv: n.ValueUsv, PeriodStart: n.PeriodStart.Time, PeriodEnd: n.PeriodEnd.Time, SectorCode: n.SectorCode, JobCode: n.JobCode})
		}
		return d.DoseRecords.PageInfo, nil
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
	err := paginate(ctx, c, workersQuery, nil, func(raw json.RawMessage) (pageInfo, error) {
		var d struct {
			Workers struct {
				Edges []struct {
					Node struct {
						ID        gid
						NIR       *string `json:"nir"`
						BirthDate day
					}
				}
				PageInfo pageInfo
			}
		}
		if err := json.Unmarshal(raw, &d); err != nil {
			return pageInfo{}, err
		}
		for _, e := range d.Workers.Edges {
			w := workerNode{ID: int(e.Node.ID), BirthDate: e.Node.BirthDate.Time}
			if e.Node.NIR != nil {
				w.NIR = *e.Node.NIR
			}
			out = append(out, w)
		}
		return d.Workers.PageInfo, nil
	})
	if err != nil {
		return nil, fmt.Errorf("lecture des travailleurs : %w", err)
	}
	return out, nil
}
