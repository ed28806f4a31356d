package accesstest

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
)

// connection is a decoded connection with node ids and a few node fields.
type connection struct {
	TotalCount int `json:"totalCount"`
	Edges      []struct {
		Node struct {
			ID               any         `json:"id"`
			ValueUsv         *int64      `json:"valueUsv"`
			Quantity         string      `json:"quantity"`
			DoseRecords      *connection `json:"doseRecords"`
			OperationalDoses *connection `json:"operationalDoses"`
		} `json:"node"`
	} `json:"edges"`
}

func (c *connection) ids() []int {
	var out []int
	for _, e := range c.Edges {
		out = append(out, parseID(e.Node.ID))
	}
	return out
}

// doseIDs returns the ids of the fixture doses matching keep among those s sees.
func (w *world) doseIDs(s *subject, keep func(doseRow) bool) idSet {
	vis, _ := w.visible(s, "doseRecords")
	out := idSet{}
	for _, d := range w.doses {
		if vis[d.id] && keep(d) {
			out[d.id] = true
		}
	}
	return out
}

// mustList runs a query whose data holds one connection named field.
func (w *world) mustList(t *testing.T, s *subject, query, field string, vars map[string]any) *connection {
	t.Helper()
	res := w.do(s, query, vars)
	w.tally.assertions++
	if len(res.Errors) > 0 {
		t.Fatalf("%s as %s: %s %+v", query, s, res.Code(), res.Errors)
	}
	var out map[string]*connection
	if err := json.Unmarshal(res.Data, &out); err != nil || out[field] == nil {
		t.Fatalf("%s as %s: decode %s: %v", query, s, res.Data, err)
	}
	return out[field]
}

// expectRows asserts a connection holds exactly want, and counts them right.
func (w *world) expectRows(t *testing.T, label string, c *connection, want idSet) {
	t.Helper()
	w.tally.assertions += 2
	if d := want.diff(c.ids()); d != "" {
		if strings.Contains(d, "unexpected rows [") {
			w.tally.leaks++
			d = "LEAK " + d
		}
		t.Errorf("%s: %s", label, d)
	}
	if c.TotalCount != len(want) {
		if c.TotalCount > len(want) {
			w.tally.leaks++
		}
		t.Errorf("%s: totalCount = %d, want %d (the visible rows)", label, c.TotalCount, len(want))
	}
}

// expectRefusedOrNone asserts a filter is either refused before execution or
// matches none of the rows in forbidden (it must not act as an oracle).
func (w *world) expectRefusedOrNone(t *testing.T, s *subject, label, query, field string, forbidden idSet) {
	t.Helper()
	res := w.do(s, query, nil)
	w.tally.assertions++
	if res.Code() == "FORBIDDEN_FIELD" {
		if !dataIsNull(res) {
			w.tally.leaks++
			t.Errorf("%s as %s: FORBIDDEN_FIELD with data %s", label, s, res.Data)
		}
		return
	}
	if len(res.Errors) > 0 {
		t.Errorf("%s as %s: %s %+v", label, s, res.Code(), res.Errors)
		return
	}
	ids, err := listIDs(res, field)
	if err != nil {
		t.Fatalf("%s: %v", label, err)
	}
	for _, id := range ids {
		if forbidden[id] {
			w.tally.leaks++
			t.Errorf("LEAK %s as %s: the filter matched row %d, which only out-of-scope data can match (an oracle)", label, s, id)
		}
	}
}

// expectForbidden asserts the operation is refused as a whole, with no data.
func (w *world) expectForbidden(t *testing.T, s *subject, label, query string) {
	t.Helper()
	res := w.do(s, query, nil)
	w.tally.assertions += 2
	if res.Code() != "FORBIDDEN_FIELD" {
		if len(res.Errors) == 0 {
			w.tally.leaks++
			t.Errorf("LEAK %s as %s: answered %s, want FORBIDDEN_FIELD", label, s, truncate(string(res.Data), 300))
		} else {
			t.Errorf("%s as %s: code %s %+v, want FORBIDDEN_FIELD", label, s, res.Code(), res.Errors)
		}
		return
	}
	if !dataIsNull(res) {
		w.tally.leaks++
		t.Errorf("LEAK %s as %s: FORBIDDEN_FIELD with data %s", label, s, res.Data)
	}
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

func testMovingWorker(t *testing.T, w *world) {
	crpA, crpB, empB := w.byName["adviser(A)"], w.byName["adviser(B)"], w.byName["employer(B)"]
	advisers := []*subject{crpA, crpB}
	external := func(d doseRow) bool { return !d.internal }

	t.Run("OKAdviserListsOwnContractPeriod", func(t *testing.T) {
		// Ensure B's adviser lists W1's July–December external doses only, A's
		// adviser W1's January–June ones (and W2's), neither an internal dose.
		for _, s := range advisers {
			c := w.mustList(t, s, `{ doseRecords(first: 100) { totalCount edges { node { id quantity valueUsv } } } }`, "doseRecords", nil)
			w.expectRows(t, "doseRecords as "+s.name, c, w.doseIDs(s, external))
			for _, e := range c.Edges {
				w.tally.assertions++
				if e.Node.Quantity == "E50" {
					w.tally.leaks++
					t.Errorf("LEAK %s sees internal dose %v", s, e.Node.ID)
				}
			}
		}
		w1B := idSet{}
		for _, d := range w.doses {
			if d.worker == w.w1 && !d.internal && d.start.Month() >= 7 {
				w1B[d.id] = true
			}
		}
		w.tally.assertions++
		if got := w.doseIDs(crpB, external); len(got.diff(w1B.sorted())) > 0 {
			t.Fatalf("row rules: adviser(B) should see W1's July–December doses only, rules say %v", got.sorted())
		}
	})

	t.Run("ErrOutOfPeriodNode", func(t *testing.T) {
		// Ensure node(id:) gives no data for a dose outside the adviser's period or internal.
		const q = `query($id: ID!) { node(id: $id) { ... on DoseRecord { id valueUsv } } }`
		for _, tc := range []struct {
			s    *subject
			dose int
			want bool
		}{
			{crpB, w.w1MarchHP10, false}, {crpB, w.w1SeptE50, false}, {crpB, w.w1AugHP10, true}, {crpB, w.w1DecHP10, true},
			{crpA, w.w1AugHP10, false}, {crpA, w.w1MarchE50, false}, {crpA, w.w1MarchHP10, true}, {crpA, w.w1DecHP10, false},
			{crpA, w.w2MayHP10, true}, {crpB, w.w2MayHP10, false},
		} {
			res := w.do(tc.s, q, map[string]any{"id": tc.dose})
			var out struct{ Node map[string]any }
			_ = json.Unmarshal(res.Data, &out)
			w.tally.assertions++
			switch {
			case tc.want && (out.Node == nil || len(res.Errors) > 0):
				t.Errorf("node(%d) as %s: want the dose, got %s %+v", tc.dose, tc.s, res.Data, res.Errors)
			case !tc.want && out.Node != nil:
				w.tally.leaks++
				t.Errorf("LEAK node(%d) as %s: got %s", tc.dose, tc.s, res.Data)
			}
		}
	})

	t.Run("OKEdgesStayInPeriod", func(t *testing.T) {
		// Ensure doses reached through workers, establishments, laboratories
		// and anomalies are the same rows as the list, with the same counts.
		for _, s := range advisers {
			for _, via := range []struct {
				list string
				fk   func(doseRow) int
			}{
				{"workers", func(d doseRow) int { return d.worker }},
				{"establishments", func(d doseRow) int { return d.est }},
				{"laboratories", func(d doseRow) int { return d.lab }},
			} {
				q := fmt.Sprintf(`{ %s(first: 10) { edges { node { id doseRecords(first: 100) { totalCount edges { node { id } } } } } } }`, via.list)
				c := w.mustList(t, s, q, via.list, nil)
				for _, e := range c.Edges {
					owner := parseID(e.Node.ID)
					want := w.doseIDs(s, func(d doseRow) bool { return !d.internal && via.fk(d) == owner })
					w.expectRows(t, fmt.Sprintf("%s(%d).doseRecords as %s", via.list, owner, s), e.Node.DoseRecords, want)
				}
			}
			c := w.mustList(t, s, `{ anomalies(first: 10) { edges { node { id doseRecords(first: 10) { totalCount edges { node { id } } } } } } }`, "anomalies", nil)
			for _, e := range c.Edges {
				owner := parseID(e.Node.ID)
				want := idSet{}
				vis := w.doseIDs(s, external)
				for _, a := range w.anomalies {
					if a.id == owner {
						for _, d := range a.doses {
							if vis[d] {
								want[d] = true
							}
						}
					}
				}
				w.expectRows(t, fmt.Sprintf("anomalies(%d).doseRecords as %s", owner, s), e.Node.DoseRecords, want)
			}
		}
	})

	t.Run("ErrNoInternalDosimetry", func(t *testing.T) {
		// Ensure no adviser reaches internal dosimetry, by list, filter or field.
		for _, s := range advisers {
			c := w.mustList(t, s, `{ doseRecords(first: 100, where: {quantity: E50}) { totalCount edges { node { id } } } }`, "doseRecords", nil)
			w.expectRows(t, "doseRecords(quantity: E50) as "+s.name, c, idSet{})
			c = w.mustList(t, s, `{ workers(first: 10) { edges { node { id doseRecords(first: 10, where: {monitoringKind: INTERNAL}) { totalCount edges { node { id } } } } } } }`, "workers", nil)
			for _, e := range c.Edges {
				w.expectRows(t, fmt.Sprintf("workers(%v).doseRecords(INTERNAL) as %s", e.Node.ID, s), e.Node.DoseRecords, idSet{})
			}
			w.expectForbidden(t, s, "doseRecords.radionuclide", `{ doseRecords(first: 100) { edges { node { id radionuclide } } } }`)
		}
	})

	t.Run("OKValueFilterIsScoped", func(t *testing.T) {
		// Ensure a filter on the dose value only filters the rows in scope.
		for _, s := range advisers {
			c := w.mustList(t, s, `{ doseRecords(first: 100, where: {valueUsvGT: 1000}) { totalCount edges { node { id valueUsv } } } }`, "doseRecords", nil)
			w.expectRows(t, "doseRecords(valueUsvGT: 1000) as "+s.name, c, w.doseIDs(s, func(d doseRow) bool { return !d.internal && d.value > 1000 }))
		}
	})

	t.Run("ErrEdgeFilterOracle", func(t *testing.T) {
		// Ensure has…With on doses is refused to advisers and employers, or
		// matches nothing that only out-of-scope doses could match.
		w1 := setOf(w.w1)
		type oracleCase struct {
			s      *subject
			label  string
			query  string
			field  string
			forbid idSet
		}
		cases := []oracleCase{
			{crpA, "W1 has a dose > 10 mSv (it is at B)", `{ workers(first: 10, where: {hasDoseRecordsWith: [{valueUsvGT: 10000}]}) { edges { node { id } } } }`, "workers", w1},
			{crpB, "W1 has a dose > 1 mSv before July (at A)", `{ workers(first: 10, where: {hasDoseRecordsWith: [{valueUsvGT: 1000, periodEndLT: "2024-07-01"}]}) { edges { node { id } } } }`, "workers", w1},
			{crpB, "W1 has an internal dose", `{ workers(first: 10, where: {hasDoseRecordsWith: [{quantity: E50}]}) { edges { node { id } } } }`, "workers", w1},
			{crpA, "W1 has an internal dose", `{ workers(first: 10, where: {hasDoseRecordsWith: [{quantity: E50}]}) { edges { node { id } } } }`, "workers", w1},
			{crpA, "nested: employment of a worker with a dose > 10 mSv", `{ employments(first: 10, where: {hasWorkerWith: [{hasDoseRecordsWith: [{valueUsvGT: 10000}]}]}) { edges { node { id } } } }`, "employments", w.employmentsOf(w.w1)},
			{crpB, "W1 has an internal-dosimetry finding", `{ workers(first: 10, where: {hasAnomaliesWith: [{kind: "CONTEXT_OUTLIER"}]}) { edges { node { id } } } }`, "workers", w1},
			{crpB, "an anomaly whose doses are internal", `{ anomalies(first: 10, where: {hasDoseRecordsWith: [{quantity: E50}]}) { edges { node { id } } } }`, "anomalies", setOf(w.anOutlierB)},
			{empB, "W1 has a dose > 10 mSv", `{ workers(first: 10, where: {hasDoseRecordsWith: [{valueUsvGT: 10000}]}) { edges { node { id } } } }`, "workers", w1},
			{empB, "W1 has a sum > 20 mSv", `{ workers(first: 10, where: {hasExposureSummariesWith: [{sumUsvGT: 20000}]}) { edges { node { id } } } }`, "workers", w1},
			{empB, "W1 has an outlier finding", `{ workers(first: 10, where: {hasAnomaliesWith: [{kind: "CONTEXT_OUTLIER"}]}) { edges { node { id } } } }`, "workers", w1},
			{empB, "W1 worked at A", `{ workers(first: 10, where: {hasEmploymentsWith: [{establishmentID: ` + fmt.Sprint(w.estA) + `}]}) { edges { node { id } } } }`, "workers", w1},
		}
		// Workers and physicians filter through reference rows too: a worker
		// must not learn which establishments or laboratories hold someone
		// else's doses in a value range, a physician where an unfollowed
		// worker's doses are.
		wkr, mdt := w.byName["worker(W1)"], w.byName["physician(A)"]
		cases = append(cases,
			oracleCase{wkr, "establishments holding someone's dose of 0.4–0.6 mSv", `{ establishments(first: 10, where: {hasDoseRecordsWith: [{valueUsvGT: 400, valueUsvLT: 600}]}) { edges { node { id } } } }`, "establishments", setOf(w.estA, w.estC)},
			oracleCase{wkr, "laboratories that measured W3", `{ laboratories(first: 10, where: {hasDoseRecordsWith: [{workerID: ` + fmt.Sprint(w.w3) + `}]}) { edges { node { id } } } }`, "laboratories", setOf(w.labL2)},
			oracleCase{mdt, "establishments where unfollowed W3 has doses", `{ establishments(first: 10, where: {hasDoseRecordsWith: [{workerID: ` + fmt.Sprint(w.w3) + `}]}) { edges { node { id } } } }`, "establishments", setOf(w.estC)},
			oracleCase{mdt, "establishments where someone had a dose < 0.1 mSv (only W3, at C)", `{ establishments(first: 10, where: {hasDoseRecordsWith: [{valueUsvLT: 100}]}) { edges { node { id } } } }`, "establishments", setOf(w.estC)},
		)
		for _, tc := range cases {
			w.expectRefusedOrNone(t, tc.s, tc.label, tc.query, tc.field, tc.forbid)
		}
		// Under "not", a scoped subquery keeps W1 (no dose > 10 mSv in A's
		// scope); an unscoped one drops it.
		res := w.do(crpA, `{ workers(first: 10, where: {not: {hasDoseRecordsWith: [{valueUsvGT: 10000}]}}) { edges { node { id } } } }`, nil)
		w.tally.assertions++
		if res.Code() != "FORBIDDEN_FIELD" {
			ids, _ := listIDs(res, "workers")
			if !setOf(ids...)[w.w1] {
				w.tally.leaks++
				t.Errorf("LEAK not(hasDoseRecordsWith valueUsvGT 10000) as %s drops W1: the subquery saw B's doses (%s %+v)", crpA, res.Data, res.Errors)
			}
		}
	})

	t.Run("OKOrderingIsScoped", func(t *testing.T) {
		// Ensure ordering by value ranks only the rows in scope.
		for _, s := range advisers {
			c := w.mustList(t, s, `{ doseRecords(first: 100, orderBy: [{field: VALUE_USV, direction: DESC}]) { totalCount edges { node { id valueUsv } } } }`, "doseRecords", nil)
			var want []int64
			for _, d := range w.doses {
				if w.doseIDs(s, external)[d.id] {
					want = append(want, d.value)
				}
			}
			sort.Slice(want, func(i, j int) bool { return want[i] > want[j] })
			var got []int64
			for _, e := range c.Edges {
				if e.Node.ValueUsv != nil {
					got = append(got, *e.Node.ValueUsv)
				}
			}
			w.tally.assertions++
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("doseRecords by VALUE_USV desc as %s = %v, want %v", s, got, want)
			}
		}
	})

	t.Run("OKCountsMatchVisibleRows", func(t *testing.T) {
		// Ensure totalCount of every list equals the rows the caller may see.
		for _, s := range []*subject{crpA, crpB, empB} {
			for list := range listOf {
				if !s.may("Query", listOf[list]) || list == "AuditEvent" {
					continue
				}
				name := listOf[list]
				c := w.mustList(t, s, fmt.Sprintf(`{ %s(first: 100) { totalCount edges { node { id } } } }`, name), name, nil)
				want, _ := w.visible(s, name)
				w.expectRows(t, name+" as "+s.name, c, w.rootList(name, want))
			}
		}
	})

	t.Run("ErrEmployerSeesNoDoseValue", func(t *testing.T) {
		// Ensure B's employer correspondent reaches no dose value by any path
		// (lists, node, nested edges), nor filters or orders by one.
		paths := valuePaths(liveSchema(), w)
		for _, p := range paths {
			w.expectForbidden(t, empB, p, p)
		}
		t.Logf("%d paths to a dose value refused to %s", len(paths), empB)
		// What the employer may learn: that W1 exceeded a limit at B.
		c := w.mustList(t, empB, `{ anomalies(first: 10) { totalCount edges { node { id } } } }`, "anomalies", nil)
		w.expectRows(t, "anomalies as employer(B)", c, setOf(w.anLimitB))
		c = w.mustList(t, empB, `{ exposureSummaries(first: 10) { totalCount edges { node { id } } } }`, "exposureSummaries", nil)
		want, _ := w.visible(empB, "exposureSummaries")
		w.expectRows(t, "exposureSummaries as employer(B)", c, want)
	})

	t.Run("ErrAnomaliesOutsidePeriod", func(t *testing.T) {
		// Ensure each adviser sees the findings of their own period only, never one on internal dosimetry.
		for _, tc := range []struct {
			s    *subject
			want idSet
		}{{crpA, setOf(w.anUnitErrorA, w.anOutlierA)}, {crpB, setOf(w.anLimitB)}} {
			c := w.mustList(t, tc.s, `{ anomalies(first: 10) { totalCount edges { node { id } } } }`, "anomalies", nil)
			w.expectRows(t, "anomalies as "+tc.s.name, c, tc.want)
		}
	})

	t.Run("ErrAuditTrailDisclosesOthers", func(t *testing.T) {
		// Ensure W1's trail of who read their data names no other worker and
		// no row of theirs, and W1 cannot read W2's trail.
		wkr := w.byName["worker(W1)"]
		res := w.do(wkr, fmt.Sprintf(`{ auditTrail(workerID: %d, first: 100) { edges { node { id actorRole workerIds objectIds } } } }`, w.w1), nil)
		w.tally.assertions++
		if res.Code() != "FORBIDDEN_FIELD" {
			var out struct {
				AuditTrail struct {
					Edges []struct {
						Node struct {
							ID        any
							ActorRole string
							WorkerIds []int
							ObjectIds []int
						}
					}
				}
			}
			_ = json.Unmarshal(res.Data, &out)
			mine := idSet{}
			vis, _ := w.visible(wkr, "doseRecords")
			for id := range vis {
				mine[id] = true
			}
			for _, e := range w.entities() {
				if w.visibleEntity(wkr, e) {
					mine[e.id] = true
				}
			}
			var others, rows []string
			for _, e := range out.AuditTrail.Edges {
				for _, id := range e.Node.WorkerIds {
					if id != w.w1 {
						others = append(others, fmt.Sprintf("event %v (%s) names worker %d", e.Node.ID, e.Node.ActorRole, id))
					}
				}
				for _, id := range e.Node.ObjectIds {
					if !mine[id] {
						rows = append(rows, fmt.Sprintf("%d", id))
					}
				}
			}
			if len(others) > 0 || len(rows) > 0 {
				w.tally.leaks++
				t.Errorf("LEAK auditTrail as %s discloses %d other workers (%s) and %d ids of rows W1 may not see",
					wkr, len(others), strings.Join(others[:min(3, len(others))], "; "), len(rows))
			}
		}
		res = w.do(wkr, fmt.Sprintf(`{ auditTrail(workerID: %d, first: 100) { totalCount edges { node { id } } } }`, w.w2), nil)
		w.tally.assertions++
		if res.Code() != "FORBIDDEN_FIELD" && res.Code() != "FORBIDDEN" {
			if ids, _ := listIDs(res, "auditTrail"); len(ids) > 0 {
				w.tally.leaks++
				t.Errorf("LEAK auditTrail(W2) as %s: %d events", wkr, len(ids))
			}
		}
	})

	t.Run("ErrSumAcrossTheMove", func(t *testing.T) {
		// Ensure B's adviser cannot read a rolling sum whose window covers W1's
		// months at A: sum − (B doses he sees) would give A's total. He sees
		// the worker's state against each limit, never the sum.
		c := w.mustList(t, crpB, `{ exposureSummaries(first: 10) { totalCount edges { node { id status limitCode } } } }`, "exposureSummaries", nil)
		w.expectRows(t, "exposureSummaries as adviser(B)", c, w.mustVisible(crpB, "exposureSummaries"))
		w.tally.assertions++
		if res := w.do(crpB, `{ exposureSummaries(first: 10) { edges { node { sumUsv } } } }`, nil); res.Code() != "FORBIDDEN_FIELD" {
			w.tally.leaks++
			t.Errorf("LEAK adviser(B) may select sumUsv: code %q", res.Code())
		}
		res := w.do(crpB, `{ exposureSummaries(first: 10) { edges { node { sumUsv windowStart windowEnd worker { id } } } }
		  doseRecords(first: 100) { edges { node { valueUsv workerID } } } }`, nil)
		var out struct {
			ExposureSummaries struct {
				Edges []struct {
					Node struct {
						SumUsv                 int64
						WindowStart, WindowEnd string
						Worker                 struct{ ID any }
					}
				}
			}
			DoseRecords struct {
				Edges []struct{ Node struct{ ValueUsv int64 } }
			}
		}
		if len(res.Errors) == 0 && json.Unmarshal(res.Data, &out) == nil {
			var seen int64
			for _, e := range out.DoseRecords.Edges {
				seen += e.Node.ValueUsv
			}
			for _, e := range out.ExposureSummaries.Edges {
				if parseID(e.Node.Worker.ID) == w.w1 {
					t.Errorf("LEAK adviser(B) reads W1's sum %d µSv over %s–%s; minus the %d µSv of doses he may see, that discloses %d µSv received outside B's contract (A's months and internal dosimetry)",
						e.Node.SumUsv, e.Node.WindowStart, e.Node.WindowEnd, seen, e.Node.SumUsv-seen)
				}
			}
		}
	})
}

// employmentsOf returns the employments of worker.
func (w *world) employmentsOf(worker int) idSet {
	out := idSet{}
	for _, e := range w.employments {
		if e.worker == worker {
			out[e.id] = true
		}
	}
	return out
}

// valueFields are the fields that carry or reveal a dose value.
var valueFields = map[string][]string{
	"DoseRecord":      {"valueUsv", "valueMsv"},
	"OperationalDose": {"valueUsv", "valueMsv"},
	"ExposureSummary": {"sumUsv", "sumMsv"},
	"Anomaly":         {"score", "explanation", "reference"},
}

// valuePaths returns operations reaching a value field: from every list, by
// up to two edges, through node(id:), and as a where or orderBy argument on
// every list and nested connection of a value-bearing type.
func valuePaths(schema *ast.Schema, w *world) []string {
	var out []string
	seen := map[string]bool{}
	emit := func(q string) {
		if !seen[q] {
			seen[q] = true
			out = append(out, q)
		}
	}
	var walk func(typ string, depth int, wrap func(string) string)
	walk = func(typ string, depth int, wrap func(string) string) {
		for _, f := range valueFields[typ] {
			emit(wrap("id " + f))
		}
		if depth == 2 {
			return
		}
		def := schema.Types[typ]
		for _, f := range def.Fields {
			name := f.Type.Name()
			if conn, ok := strings.CutSuffix(name, "Connection"); ok {
				inner := func(sel string) string {
					return wrap(fmt.Sprintf("id %s(first: 2) { edges { node { %s } } }", f.Name, sel))
				}
				if _, ok := valueFields[conn]; ok {
					// filter and order on the value through the nested connection
					emitNested(schema, conn, func(args string) string {
						return wrap(fmt.Sprintf("id %s(first: 2, %s) { totalCount }", f.Name, args))
					}, emit)
				}
				walk(conn, depth+1, inner)
				continue
			}
			if d := schema.Types[name]; d != nil && d.Kind == ast.Object && !structural(name) && def.Name != name {
				walk(name, depth+1, func(sel string) string { return wrap(fmt.Sprintf("id %s { %s }", f.Name, sel)) })
			}
		}
	}
	for _, lf := range listFields(schema) {
		typ := strings.TrimSuffix(lf.Type.Name(), "Connection")
		walk(typ, 0, func(sel string) string {
			return fmt.Sprintf("{ %s(first: 2) { edges { node { %s } } } }", lf.Name, sel)
		})
		if _, ok := valueFields[typ]; ok {
			emitNested(schema, typ, func(args string) string { return fmt.Sprintf("{ %s(first: 2, %s) { totalCount } }", lf.Name, args) }, emit)
		}
	}
	for typ, fields := range valueFields {
		for _, e := range w.entities() {
			if e.typ == typ {
				for _, f := range fields {
					emit(fmt.Sprintf("{ node(id: %d) { ... on %s { id %s } } }", e.id, typ, f))
				}
				break
			}
		}
	}
	sort.Strings(out)
	return out
}

// emitNested emits filters and orderings on typ's value fields through args.
func emitNested(schema *ast.Schema, typ string, wrap func(args string) string, emit func(string)) {
	where := schema.Types[typ+"WhereInput"]
	for _, f := range valueFields[typ] {
		for _, suffix := range []string{"GT", "NotNil", "ContainsFold"} {
			if in := where.Fields.ForName(f + suffix); in != nil {
				lit := "0"
				switch in.Type.Name() {
				case "Boolean":
					lit = "true"
				case "String":
					lit = `"mSv"`
				}
				emit(wrap(fmt.Sprintf("where: {%s%s: %s}", f, suffix, lit)))
			}
		}
	}
	if enum := schema.Types[typ+"OrderField"]; enum != nil {
		for _, v := range enum.EnumValues {
			for _, f := range valueFields[typ] {
				if orderValueField(v.Name) == f {
					emit(wrap(fmt.Sprintf("orderBy: [{field: %s}]", v.Name)))
				}
			}
		}
	}
}

// testEdgeFilterOracles probes every to-many edge filter (has…With) of every
// list, for every subject, with rows the subject may not see: the filter must
// be refused, or match nothing — a match proves the subquery read rows out of
// scope.
func testEdgeFilterOracles(t *testing.T, w *world, schema *ast.Schema) {
	byType := map[string][]int{}
	for _, e := range w.entities() {
		byType[e.typ] = append(byType[e.typ], e.id)
	}
	probes := 0
	for _, s := range w.subjects {
		t.Run(s.name, func(t *testing.T) {
			for _, lf := range listFields(schema) {
				if !s.may("Query", lf.Name) || lf.Arguments.ForName("where") == nil {
					continue
				}
				typ := schema.Types[strings.TrimSuffix(lf.Type.Name(), "Connection")]
				where := schema.Types[typ.Name+"WhereInput"]
				for _, f := range typ.Fields {
					name := f.Type.Name()
					target, isConn := strings.CutSuffix(name, "Connection")
					if !isConn && f.Type.Elem == nil {
						continue // to-one: the caller reads the foreign key anyway
					}
					arg := "has" + strings.ToUpper(f.Name[:1]) + f.Name[1:] + "With"
					if where == nil || where.Fields.ForName(arg) == nil || listOf[target] == "" {
						continue
					}
					vis, exact := w.visible(s, listOf[target])
					if !exact {
						continue
					}
					var hidden []string
					for _, id := range byType[target] {
						if !vis[id] {
							hidden = append(hidden, fmt.Sprint(id))
						}
					}
					if len(hidden) == 0 {
						continue
					}
					probes++
					q := fmt.Sprintf(`{ %s(first: 100, where: {%s: [{idIn: [%s]}]}) { totalCount edges { node { id } } } }`,
						lf.Name, arg, strings.Join(hidden, ", "))
					res := w.do(s, q, nil)
					w.tally.assertions++
					if res.Code() == "FORBIDDEN_FIELD" {
						continue
					}
					if len(res.Errors) > 0 {
						t.Errorf("%s(where: %s) as %s: %s %+v", lf.Name, arg, s, res.Code(), res.Errors)
						continue
					}
					ids, _ := listIDs(res, lf.Name)
					if len(ids) > 0 {
						w.tally.leaks++
						t.Errorf("LEAK %s(where: {%s: {idIn: %d %s rows out of scope}}) as %s matched %v: the subquery reads rows the caller may not see",
							lf.Name, arg, len(hidden), target, s, ids)
					}
				}
			}
		})
	}
	t.Logf("%d edge-filter probes", probes)
}

// mustVisible returns the rows of list s may see by the fixture's own rules.
func (w *world) mustVisible(s *subject, list string) idSet {
	ids, _ := w.visible(s, list)
	return ids
}
