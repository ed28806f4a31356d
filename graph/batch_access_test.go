package graph_test

import (
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
