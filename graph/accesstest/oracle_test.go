package accesstest

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/server/servertest"
)

// testOracle checks the API against the SQL oracle (oracle_sql_test.go), on
// its own world (oracle_world_test.go), through every path a caller has:
// lists and their counts, node and nodes on every row, edges from related
// rows, filters, orderings, value fields, Worker.exposure and doseHistory,
// limitAlerts, findings' explanations, national statistics and the
// subscriptions. Where the API shows more than the oracle, it is a leak.
func testOracle(t *testing.T, tl *tally) {
	start := time.Now()
	before := *tl
	o := mustBuildOracleWorld(t, tl)
	or := newOracle(t, o)
	or.tally = tl
	or.ex = map[*subject]*expectation{}
	for _, s := range o.subjects {
		or.ex[s] = or.expect(t, s)
	}
	t.Logf("oracle world: %d workers, %d dose records, %d operational doses, %d findings, %d subjects, built in %v",
		len(or.all["workers"]), len(or.all["doseRecords"]), len(or.all["operationalDoses"]), len(or.all["anomalies"]),
		len(o.subjects), time.Since(start).Round(time.Millisecond))
	or.checkWorld(t)
	for _, s := range o.subjects {
		var parts []string
		for _, l := range oracleLists {
			parts = append(parts, fmt.Sprintf("%s %d", l, len(or.ex[s].rows[l])))
		}
		t.Logf("oracle: %s sees %s", s, strings.Join(parts, ", "))
	}

	t.Run("Rows", func(t *testing.T) { or.testRows(t) })
	t.Run("Nodes", func(t *testing.T) { or.testNodes(t) })
	t.Run("Edges", func(t *testing.T) { or.testEdges(t) })
	t.Run("Filters", func(t *testing.T) { or.testFilters(t) })
	t.Run("Orderings", func(t *testing.T) { or.testOrderings(t) })
	t.Run("Fields", func(t *testing.T) { or.testFields(t) })
	t.Run("Exposure", func(t *testing.T) { or.testExposure(t) })
	t.Run("LimitAlerts", func(t *testing.T) { or.testLimitAlerts(t) })
	t.Run("Findings", func(t *testing.T) { or.testFindings(t) })
	t.Run("Statistics", func(t *testing.T) { or.testStatistics(t) })
	t.Run("Subscriptions", func(t *testing.T) { or.testSubscriptions(t) })
	t.Run("Reports", func(t *testing.T) { or.testReports(t) })
	t.Run("Cases", func(t *testing.T) { or.testCases(t) })
	t.Run("Writes", func(t *testing.T) { or.testWrites(t) })
	t.Run("Revocation", func(t *testing.T) { or.testRevocation(t) }) // last: it revokes a grant

	t.Logf("oracle: %d requests, %d assertions, %d leaks (%d disagreements in all) in %v",
		tl.requests-before.requests, tl.assertions-before.assertions, tl.leaks-before.leaks, len(or.problems),
		time.Since(start).Round(time.Millisecond))
	for _, p := range or.problems {
		t.Log(p)
	}
}

func (or *oracle) do(s *subject, q string, vars map[string]any) *servertest.Response {
	or.tally.requests++
	return s.client.Do(q, vars)
}

// leak records that the API showed s more than the oracle allows.
func (or *oracle) leak(t *testing.T, s *subject, format string, args ...any) {
	t.Helper()
	or.tally.leaks++
	msg := fmt.Sprintf("LEAK as %s: %s", s, fmt.Sprintf(format, args...))
	or.problems = append(or.problems, msg)
	t.Error(msg)
}

// disagree records that the API showed s less than the oracle allows, or
// answered otherwise than the oracle expects without showing more.
func (or *oracle) disagree(t *testing.T, s *subject, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf("as %s: %s", s, fmt.Sprintf(format, args...))
	or.problems = append(or.problems, msg)
	t.Error(msg)
}

// refused reports whether a response carries errors and no data.
func refused(res *servertest.Response) bool { return len(res.Errors) > 0 && dataIsNull(res) }

// checkSet compares the ids an API path returned with the oracle's.
func (or *oracle) checkSet(t *testing.T, s *subject, label string, got []int, total *int, want idSet) {
	t.Helper()
	or.tally.assertions++
	g := setOf(got...)
	var extra, missing []int
	for id := range g {
		if !want[id] {
			extra = append(extra, id)
		}
	}
	for id := range want {
		if !g[id] {
			missing = append(missing, id)
		}
	}
	sort.Ints(extra)
	sort.Ints(missing)
	if len(extra) > 0 {
		or.leak(t, s, "%s returned %d rows the oracle hides: %v", label, len(extra), head(extra))
	}
	if len(missing) > 0 {
		or.disagree(t, s, "%s misses %d rows the oracle shows: %v", label, len(missing), head(missing))
	}
	if total != nil {
		or.tally.assertions++
		switch {
		case *total > len(want):
			or.leak(t, s, "%s totalCount = %d, the oracle shows %d rows", label, *total, len(want))
		case *total < len(want) && len(missing) == 0:
			or.disagree(t, s, "%s totalCount = %d, the oracle shows %d rows", label, *total, len(want))
		}
	}
}

func head(ids []int) []int {
	if len(ids) > 8 {
		return ids[:8]
	}
	return ids
}

// conn decodes data.<field> as a connection of node ids.
type conn struct {
	TotalCount *int `json:"totalCount"`
	Edges      []struct {
		Node map[string]json.RawMessage `json:"node"`
	} `json:"edges"`
}

func (c *conn) ids() []int {
	var out []int
	for _, e := range c.Edges {
		var id any
		_ = json.Unmarshal(e.Node["id"], &id)
		out = append(out, parseID(id))
	}
	return out
}

func decodeConn(raw json.RawMessage, field string) *conn {
	var m map[string]*conn
	if json.Unmarshal(raw, &m) != nil || m[field] == nil {
		return &conn{}
	}
	return m[field]
}

// testRows compares every list, its rows and its totalCount, with the oracle.
func (or *oracle) testRows(t *testing.T) {
	for _, s := range or.o.subjects {
		for _, l := range oracleLists {
			want := or.listed(s, l)
			res := or.do(s, fmt.Sprintf(`{ %s(first: 1000) { totalCount edges { node { id } } } }`, l), nil)
			or.tally.assertions++
			if refused(res) {
				if len(want) > 0 {
					or.disagree(t, s, "%s refused (%s); the oracle shows %d rows", l, res.Code(), len(want))
				}
				continue
			}
			if len(res.Errors) > 0 {
				or.disagree(t, s, "%s: partial errors %s %s", l, res.Code(), res.Errors[0].Message)
			}
			c := decodeConn(res.Data, l)
			or.checkSet(t, s, l, c.ids(), c.TotalCount, want)
		}
	}
}

// testNodes looks every row of the oracle's lists up through node(id:) and
// nodes(ids:): a row the oracle hides answers like an id that does not exist.
func (or *oracle) testNodes(t *testing.T) {
	for _, s := range or.o.subjects {
		for _, l := range oracleLists {
			all := or.all[l].sorted()
			if len(all) == 0 {
				continue
			}
			want := or.ex[s].rows[l]
			const q = `query($id: ID!) { node(id: $id) { __typename id } }`
			missingID := all[len(all)-1] + 100000
			baseline := or.do(s, q, map[string]any{"id": missingID})
			var leaked, missing, oracleLike []int
			for _, id := range all {
				res := or.do(s, q, map[string]any{"id": id})
				or.tally.assertions++
				var out struct {
					Node map[string]any `json:"node"`
				}
				_ = json.Unmarshal(res.Data, &out)
				switch {
				case want[id] && (out.Node == nil || parseID(out.Node["id"]) != id):
					missing = append(missing, id)
				case !want[id] && out.Node != nil:
					leaked = append(leaked, id)
				case !want[id] && (res.Code() != baseline.Code() || len(res.Errors) != len(baseline.Errors) ||
					len(res.Errors) > 0 && res.Errors[0].Message != baseline.Errors[0].Message):
					oracleLike = append(oracleLike, id)
				}
			}
			typ := oracleTables[l][1]
			if len(leaked) > 0 {
				or.leak(t, s, "node(id:) returned %d %s rows the oracle hides: %v", len(leaked), typ, head(leaked))
			}
			if len(oracleLike) > 0 {
				or.leak(t, s, "node(id:) on %d hidden %s rows answers unlike a missing id (%s): an existence oracle: %v",
					len(oracleLike), typ, baseline.Code(), head(oracleLike))
			}
			if len(missing) > 0 {
				or.disagree(t, s, "node(id:) refused %d %s rows the oracle shows: %v", len(missing), typ, head(missing))
			}
			// nodes(ids:) answers position by position, at most 100 ids a call.
			var got []int
			anyRefused := false
			for i := 0; i < len(all); i += 100 {
				res := or.do(s, `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, map[string]any{"ids": all[i:min(i+100, len(all))]})
				if refused(res) {
					anyRefused = true
					continue
				}
				var out struct {
					Nodes []map[string]any `json:"nodes"`
				}
				_ = json.Unmarshal(res.Data, &out)
				for _, n := range out.Nodes {
					if n != nil {
						got = append(got, parseID(n["id"]))
					}
				}
			}
			if anyRefused && len(want) == 0 {
				or.tally.assertions++
				continue
			}
			or.checkSet(t, s, "nodes("+typ+"…)", got, nil, want)
		}
	}
}

// edgeSpec is an edge from the rows of a list to related rows.
type edgeSpec struct {
	list, field, child string // parent list, edge field, child list
	many               bool
	rel                string // SQL: parent id, child id
}

var oracleEdges = []edgeSpec{
	{"workers", "doseRecords", "doseRecords", true, "SELECT worker_id, id FROM dose_records"},
	{"workers", "operationalDoses", "operationalDoses", true, "SELECT worker_id, id FROM operational_doses"},
	{"workers", "anomalies", "anomalies", true, "SELECT worker_id, id FROM anomalies"},
	{"workers", "exposureSummaries", "exposureSummaries", true, "SELECT worker_id, id FROM exposure_summaries"},
	{"workers", "employments", "employments", true, "SELECT worker_id, id FROM employments"},
	{"establishments", "doseRecords", "doseRecords", true, "SELECT establishment_id, id FROM dose_records"},
	{"establishments", "operationalDoses", "operationalDoses", true, "SELECT establishment_id, id FROM operational_doses"},
	{"establishments", "employments", "employments", true, "SELECT establishment_id, id FROM employments"},
	{"laboratories", "doseRecords", "doseRecords", true, "SELECT laboratory_id, id FROM dose_records WHERE laboratory_id IS NOT NULL"},
	{"importBatches", "doseRecords", "doseRecords", true, "SELECT import_batch_id, id FROM dose_records WHERE import_batch_id IS NOT NULL"},
	{"importBatches", "operationalDoses", "operationalDoses", true, "SELECT import_batch_id, id FROM operational_doses WHERE import_batch_id IS NOT NULL"},
	{"anomalies", "doseRecords", "doseRecords", true, "SELECT anomaly_id, dose_record_id FROM anomaly_dose_records"},
	{"doseRecords", "anomalies", "anomalies", true, "SELECT dose_record_id, anomaly_id FROM anomaly_dose_records"},
	{"doseRecords", "worker", "workers", false, "SELECT id, worker_id FROM dose_records"},
	{"doseRecords", "supersedes", "doseRecords", false, "SELECT id, supersedes_id FROM dose_records"},
	{"doseRecords", "supersededBy", "doseRecords", false, "SELECT supersedes_id, id FROM dose_records WHERE supersedes_id IS NOT NULL"},
	{"doseConflicts", "correction", "doseRecords", false, "SELECT id, correction_id FROM dose_conflicts"},
	{"doseConflicts", "resend", "doseRecords", false, "SELECT id, resend_id FROM dose_conflicts"},
	{"employments", "worker", "workers", false, "SELECT id, worker_id FROM employments"},
	{"operationalDoses", "worker", "workers", false, "SELECT id, worker_id FROM operational_doses"},
	{"anomalies", "worker", "workers", false, "SELECT id, worker_id FROM anomalies"},
	{"exposureSummaries", "worker", "workers", false, "SELECT id, worker_id FROM exposure_summaries"},
	{"interventions", "worker", "workers", false, "SELECT id, worker_id FROM interventions"},
}

// testEdges reads related rows through every edge of oracleEdges: the rows
// reached are the oracle's rows of the child list related to the parent.
func (or *oracle) testEdges(t *testing.T) {
	for _, e := range oracleEdges {
		rel := or.related(t, e.rel)
		for _, s := range or.o.subjects {
			var q string
			if e.many {
				q = fmt.Sprintf(`{ %s(first: 200) { edges { node { id %s(first: 200) { totalCount edges { node { id } } } } } } }`, e.list, e.field)
			} else {
				q = fmt.Sprintf(`{ %s(first: 1000) { edges { node { id %s { id } } } } }`, e.list, e.field)
			}
			res := or.do(s, q, nil)
			or.tally.assertions++
			if len(res.Errors) > 0 && dataIsNull(res) {
				continue // refused: nothing shown (the list itself is compared in Rows)
			}
			var out map[string]struct {
				Edges []struct {
					Node map[string]json.RawMessage `json:"node"`
				} `json:"edges"`
			}
			_ = json.Unmarshal(res.Data, &out)
			want := or.ex[s].rows[e.child]
			for _, pe := range out[e.list].Edges {
				var pid any
				_ = json.Unmarshal(pe.Node["id"], &pid)
				parent := parseID(pid)
				label := fmt.Sprintf("%s(%d).%s", e.list, parent, e.field)
				raw := pe.Node[e.field]
				if e.many {
					var c conn
					if len(raw) == 0 || string(raw) == "null" {
						continue
					}
					_ = json.Unmarshal(raw, &c)
					exp := idSet{}
					for id := range rel[parent] {
						if want[id] {
							exp[id] = true
						}
					}
					or.checkSet(t, s, label, c.ids(), c.TotalCount, exp)
					continue
				}
				var child map[string]any
				_ = json.Unmarshal(raw, &child)
				or.tally.assertions++
				if child == nil {
					for id := range rel[parent] {
						if want[id] {
							or.disagree(t, s, "%s is null; the oracle shows row %d", label, id)
						}
					}
					continue
				}
				if id := parseID(child["id"]); !want[id] {
					or.leak(t, s, "%s reaches row %d, which the oracle hides", label, id)
				}
			}
		}
	}
	// Two edges deep: an establishment's employments, their workers, their doses.
	rel := or.related(t, "SELECT worker_id, id FROM dose_records")
	for _, s := range or.o.subjects {
		res := or.do(s, `{ establishments(first: 10) { edges { node { id employments(first: 50) { edges { node { id
		  worker { id doseRecords(first: 500) { totalCount edges { node { id } } } } } } } } } } }`, nil)
		or.tally.assertions++
		if refused(res) {
			continue
		}
		var out struct {
			Establishments struct {
				Edges []struct {
					Node struct {
						Employments struct {
							Edges []struct {
								Node struct {
									Worker *struct {
										ID          any
										DoseRecords conn
									}
								}
							}
						}
					}
				}
			}
		}
		_ = json.Unmarshal(res.Data, &out)
		ex := or.ex[s]
		for _, est := range out.Establishments.Edges {
			for _, emp := range est.Node.Employments.Edges {
				w := emp.Node.Worker
				if w == nil {
					continue
				}
				wid := parseID(w.ID)
				if !ex.rows["workers"][wid] {
					or.leak(t, s, "establishments.employments.worker reaches worker %d, which the oracle hides", wid)
				}
				exp := idSet{}
				for id := range rel[wid] {
					if ex.rows["doseRecords"][id] {
						exp[id] = true
					}
				}
				or.checkSet(t, s, fmt.Sprintf("establishments.employments.worker(%d).doseRecords", wid), w.DoseRecords.ids(), w.DoseRecords.TotalCount, exp)
			}
		}
	}
}
