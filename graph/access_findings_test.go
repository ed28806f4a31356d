package graph_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/server/servertest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/policy"
)

// TestEmployerReadsEstablishmentBatches checks that the correspondents of an
// establishment read the reports of its declaration batches, whoever of them
// sent one, and that another establishment's correspondent reads none (issue
// 12 item 6: the rule keyed on an establishment imports never set).
func TestEmployerReadsEstablishmentBatches(t *testing.T) {
	w := mustRegWorld(t)
	const colleague = "rh-a2@reg.fr"
	servertest.MustCreateAccount(t, w.client, colleague, policy.RoleEmployer, func(g *ent.GrantCreate) { g.SetEstablishmentID(w.estA.ID) })
	p := w.newPerson(time.Date(1985, 3, 1, 0, 0, 0, 0, time.UTC), "F")
	w.declare(t, regEmployerA, siretA, p, time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), time.Time{})

	type batches struct {
		ImportBatches struct {
			TotalCount int
			Edges      []struct {
				Node struct{ ID, Reference string }
			}
		}
	}
	var mine batches
	w.must(t, regEmployerA, `{ importBatches(first: 10) { totalCount edges { node { id reference } } } }`, nil, &mine)
	if mine.ImportBatches.TotalCount != 1 {
		t.Fatalf("the sender reads %d batches, want its 1", mine.ImportBatches.TotalCount)
	}
	id := mine.ImportBatches.Edges[0].Node.ID

	t.Run("OKColleagueReadsReport", func(t *testing.T) {
		var theirs batches
		w.must(t, colleague, `{ importBatches(first: 10) { totalCount edges { node { id reference } } } }`, nil, &theirs)
		if theirs.ImportBatches.TotalCount != 1 || theirs.ImportBatches.Edges[0].Node.ID != id {
			t.Fatalf("a correspondent of the same establishment reads %+v, want batch %s", theirs.ImportBatches, id)
		}
		var rep struct {
			ImportReport struct {
				Reference    string
				RowsAccepted int
			}
		}
		w.must(t, colleague, `query($id: ID!) { importReport(batchID: $id) { reference rowsAccepted } }`, map[string]any{"id": id}, &rep)
		if rep.ImportReport.RowsAccepted != 1 {
			t.Fatalf("report read by the colleague: %+v", rep.ImportReport)
		}
	})

	t.Run("ErrOtherEstablishment", func(t *testing.T) {
		var none batches
		w.must(t, regEmployerB, `{ importBatches(first: 10) { totalCount } }`, nil, &none)
		if none.ImportBatches.TotalCount != 0 {
			t.Errorf("B's correspondent reads %d of A's batches", none.ImportBatches.TotalCount)
		}
		res := w.as(t, regEmployerB).Do(`query($id: ID!) { importReport(batchID: $id) { reference } }`, map[string]any{"id": id})
		if res.Code() != "NOT_FOUND" {
			t.Errorf("B's correspondent reads A's report: code %q, data %s", res.Code(), res.Data)
		}
		if res := w.as(t, regEmployerB).Do(`query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": id}); res.Code() != "NOT_FOUND" {
			t.Errorf("B's correspondent reads A's batch by node: code %q, data %s", res.Code(), res.Data)
		}
	})
}

// TestAdviserFindingsOfContractPeriod checks that an adviser reads only the
// findings whose evidence lies in their contract period (RC12, RC14): a limit
// exceeded over a window that spans the worker's move between employers is
// the physician's to read, with its total; the new employer's adviser learns
// nothing of the old contract's doses through it, and reads a finding wholly
// inside the contract with its value (issue 12 item 2, explanations).
func TestAdviserFindingsOfContractPeriod(t *testing.T) {
	w := mustRegWorld(t)
	long := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
	mover := w.newPerson(time.Date(1980, 4, 12, 0, 0, 0, 0, time.UTC), "F")
	moved := lastDayOf(w.month(5))
	w.declare(t, regEmployerA, siretA, mover, long, moved)
	w.declare(t, regEmployerB, siretB, mover, moved.AddDate(0, 0, 1), time.Time{})
	stayer := w.newPerson(time.Date(1981, 4, 12, 0, 0, 0, 0, time.UTC), "F")
	w.declare(t, regEmployerB, siretB, stayer, long, time.Time{})
	w.send(t, "MOVE", monthly(mover, siretA, w.month(6), "12"), monthly(mover, siretB, w.month(3), "9"),
		monthly(stayer, siretB, w.month(4), "12"), monthly(stayer, siretB, w.month(3), "9"))

	across := w.anomalies(t, mover, "LIMIT_EXCEEDED")
	if len(across) != 1 || !strings.Contains(across[0].Explanation, "21") {
		t.Fatalf("the physician reads %+v, want one exceedance of 21 mSv", across)
	}
	inside := w.anomalies(t, stayer, "LIMIT_EXCEEDED")
	if len(inside) != 1 {
		t.Fatalf("the physician reads %d exceedances of the stayer, want 1", len(inside))
	}
	type row struct {
		ID, WorkerID, Explanation string
	}
	read := func(email string) map[string]row {
		var out struct {
			Anomalies struct{ Edges []struct{ Node row } }
		}
		w.must(t, email, `{ anomalies(first: 100) { edges { node { id workerID explanation } } } }`, nil, &out)
		m := map[string]row{}
		for _, e := range out.Anomalies.Edges {
			m[e.Node.ID] = e.Node
		}
		return m
	}

	t.Run("ErrWindowAcrossTheMove", func(t *testing.T) {
		for _, email := range []string{regAdviserA, regAdviserB} {
			if r, ok := read(email)[across[0].ID]; ok {
				t.Errorf("%s reads the exceedance across the move: %q", email, r.Explanation)
			}
			res := w.as(t, email).Do(`query($id: ID!) { node(id: $id) { ... on Anomaly { explanation } } }`, map[string]any{"id": across[0].ID})
			if res.Code() != "NOT_FOUND" {
				t.Errorf("%s reads it by node: code %q, %s", email, res.Code(), res.Data)
			}
		}
		// B's adviser reads its own standing instead: 9 mSv, not over.
		if s := w.exposure(t, regAdviserB, mover)["EFFECTIVE"]; msvOf(s.ValueMsv) != 9 || s.State == "EXCEEDED" {
			t.Errorf("B's adviser reads %v mSv (%s), want 9 and not exceeded", msvOf(s.ValueMsv), s.State)
		}
	})

	t.Run("OKWindowInsideTheContract", func(t *testing.T) {
		r, ok := read(regAdviserB)[inside[0].ID]
		if !ok || !strings.Contains(r.Explanation, "21") {
			t.Errorf("B's adviser reads %+v of the stayer's exceedance, want it with its 21 mSv", r)
		}
	})

	t.Run("OKEmployerToldOfTheFact", func(t *testing.T) {
		var out struct{ Anomalies struct{ TotalCount int } }
		w.must(t, regEmployerB, `query($w: ID!) { anomalies(first: 5, where: {workerID: $w, kind: "LIMIT_EXCEEDED"}) { totalCount } }`,
			map[string]any{"w": strconv.Itoa(mover.id)}, &out)
		if out.Anomalies.TotalCount != 1 {
			t.Errorf("B's employer is told of %d exceedances of the mover, want 1", out.Anomalies.TotalCount)
		}
	})
}
