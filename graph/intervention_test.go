package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/server/servertest"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/intervention"
	"github.com/siseri/siseri/policy"
)

// TestIntervention: a nuclear operator declares the intervention of an
// outside company's worker on its site, transmits their operational
// dosimetry for the intervention's days, and the outside company's adviser
// reads it (R.4451-33-1 III, arrêté 2023 art. 18).
func TestIntervention(t *testing.T) {
	db := storetest.MustOpen(t)
	srv := servertest.MustStart(t, db)
	ctx := policy.SystemContext(context.Background())
	c := db.Client
	const (
		siteSiret       = siret
		contractorSiret = "35600000000048"
		otherSiret      = "44201789000017"
	)
	site := c.Establishment.Create().SetSiret(siteSiret).SetName("CNPE du Bugey").SetRegion("84").SaveX(ctx)
	contractor := c.Establishment.Create().SetSiret(contractorSiret).SetName("Maintenance Nucléaire Services").SetRegion("52").SaveX(ctx)
	other := c.Establishment.Create().SetSiret(otherSiret).SetName("CNPE de Cruas").SetRegion("84").SaveX(ctx)
	nirW, nirGone := validNIR("1850369123456"), validNIR("1900575056789")
	person := func(nir, last string, birth time.Time, end *time.Time) *ent.Worker {
		w := c.Worker.Create().SetNir(nir).SetLastName(last).SetFirstNames("Yann Erwan").SetBirthDate(birth).SetSex("M").SaveX(ctx)
		c.Employment.Create().SetWorkerID(w.ID).SetEstablishmentID(contractor.ID).SetStartDate(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)).
			SetNillableEndDate(end).SetContractType("CDI").SetNomenclatureVersion("V1").SetClassification("A").
			SetMonitoringKinds([]string{"PASSIVE_WHOLE_BODY"}).ExecX(ctx)
		return w
	}
	worker := person(nirW, "Le Goff", time.Date(1985, 3, 12, 0, 0, 0, 0, time.UTC), nil)
	gone := time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC)
	person(nirGone, "Tanguy", time.Date(1990, 5, 2, 0, 0, 0, 0, time.UTC), &gone)
	at := func(id int) func(*ent.GrantCreate) { return func(g *ent.GrantCreate) { g.SetEstablishmentID(id) } }
	clients := map[string]*servertest.Client{}
	for _, a := range []struct {
		email string
		role  policy.Role
		set   func(*ent.GrantCreate)
	}{
		{"exploitant@test.fr", policy.RoleEmployer, at(site.ID)},
		{"pcr.site@test.fr", policy.RoleRPA, at(site.ID)},
		{"autre.exploitant@test.fr", policy.RoleEmployer, at(other.ID)},
		{"pcr.autre@test.fr", policy.RoleRPA, at(other.ID)},
		{"presta@test.fr", policy.RoleEmployer, at(contractor.ID)},
		{"pcr.presta@test.fr", policy.RoleRPA, at(contractor.ID)},
		{"medecin.presta@test.fr", policy.RolePhysician, at(contractor.ID)},
	} {
		servertest.MustCreateAccount(t, c, a.email, a.role, a.set)
		clients[a.email] = srv.NewClient(t)
		clients[a.email].MustLogin(a.email, servertest.Password)
	}
	operator, siteAdviser, otherOperator := clients["exploitant@test.fr"], clients["pcr.site@test.fr"], clients["autre.exploitant@test.fr"]
	contractorEmployer, contractorAdviser, physician := clients["presta@test.fr"], clients["pcr.presta@test.fr"], clients["medecin.presta@test.fr"]

	const declare = `mutation($in: DeclareInterventionInput!) { declareIntervention(input: $in) {
		id startDate endDate worker { lastName } site { siret } contractor { siret } } }`
	input := func(changes ...any) map[string]any {
		in := map[string]any{"siteEstablishmentID": fmt.Sprint(site.ID), "contractorSiret": contractorSiret, "nir": nirW,
			"lastName": "LE GOFF", "firstNames": "Yann", "birthDate": "1985-03-12", "startDate": "2024-09-01", "endDate": "2024-09-30"}
		for i := 0; i+1 < len(changes); i += 2 {
			in[changes[i].(string)] = changes[i+1]
		}
		return map[string]any{"in": in}
	}
	count := func() int { return c.Intervention.Query().CountX(ctx) }

	t.Run("ErrOtherSite", func(t *testing.T) {
		// Ensure the employer of another site cannot declare on this one.
		if res := otherOperator.Do(declare, input()); res.Code() != "FORBIDDEN" || !dataNull(res) {
			t.Errorf("other site's employer: %s %s, want FORBIDDEN", res.Code(), res.Data)
		}
		// Nor the contractor's employer on the operator's site.
		if res := contractorEmployer.Do(declare, input()); res.Code() != "FORBIDDEN" {
			t.Errorf("contractor's employer: %s, want FORBIDDEN", res.Code())
		}
		if res := physician.Do(declare, input()); res.Code() != "FORBIDDEN_FIELD" {
			t.Errorf("physician: %s, want FORBIDDEN_FIELD", res.Code())
		}
		if n := count(); n != 0 {
			t.Errorf("%d interventions written by refused calls", n)
		}
	})
	t.Run("ErrBadInput", func(t *testing.T) {
		// Ensure each wrong field is named in French and nothing is written.
		for _, tc := range []struct {
			name  string
			in    map[string]any
			field string
		}{
			{"NIRKey", input("nir", nirW[:13]+"00"), "input.nir"},
			{"IdentityName", input("lastName", "Le Gall"), "input.nir"},
			{"IdentityBirth", input("birthDate", "1985-03-13"), "input.nir"},
			{"SIRETLuhn", input("contractorSiret", "35600000000049"), "input.contractorSiret"},
			{"SIRETUnknown", input("contractorSiret", "55210055000011"), "input.contractorSiret"},
			{"ContractorIsSite", input("contractorSiret", siteSiret), "input.contractorSiret"},
			{"NoCoveringEmployment", input("nir", nirGone, "lastName", "Tanguy", "birthDate", "1990-05-02"), "input.contractorSiret"},
			{"OpenBeyondEmployment", input("nir", nirGone, "lastName", "Tanguy", "birthDate", "1990-05-02", "startDate", "2024-06-01", "endDate", nil), "input.contractorSiret"},
			{"EndBeforeStart", input("endDate", "2024-08-31"), "input.endDate"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				res := operator.Do(declare, tc.in)
				assertBadInput(t, res, tc.field, nil)
				if !strings.ContainsAny(res.Errors[0].Message, "éèàç") {
					t.Errorf("message %q is not French", res.Errors[0].Message)
				}
			})
		}
		if n := count(); n != 0 {
			t.Errorf("%d interventions written by refused calls", n)
		}
	})

	var id string
	t.Run("OK", func(t *testing.T) {
		// Ensure the site's employer declares the worker, identified without
		// browsing the contractor's workers, and then sees them.
		var out struct {
			DeclareIntervention struct {
				ID, StartDate, EndDate string
				Worker                 struct{ LastName string }
				Site, Contractor       struct{ Siret string }
			}
		}
		operator.MustDo(declare, input(), &out)
		d := out.DeclareIntervention
		if d.StartDate != "2024-09-01" || d.EndDate != "2024-09-30" || d.Worker.LastName != "Le Goff" ||
			d.Site.Siret != siteSiret || d.Contractor.Siret != contractorSiret {
			t.Fatalf("declared %+v", d)
		}
		id = d.ID
		i := c.Intervention.Query().OnlyX(ctx)
		if i.WorkerID != worker.ID || i.SiteEstablishmentID != site.ID || i.ContractorEstablishmentID != contractor.ID {
			t.Errorf("stored %+v", i)
		}
		if res := operator.Do(declare, input("startDate", "2024-09-15", "endDate", "2024-10-15")); res.Code() != "CONFLICT" {
			t.Errorf("overlapping declaration: %s, want CONFLICT", res.Code())
		}
	})
	if id == "" {
		t.FailNow()
	}

	const submitOps = `mutation($ref: String!, $rows: [OperationalDoseInput!]!) { submitOperationalDoses(reference: $ref, rows: $rows) {
		status rowsAccepted problems { column code message } } }`
	type opReport struct {
		SubmitOperationalDoses struct {
			Status       string
			RowsAccepted int
			Problems     []struct{ Column, Code, Message string }
		}
	}
	opRow := func(start, end, value string) map[string]any {
		return map[string]any{"nir": nirW, "nom": "Le Goff", "prenom": "Yann", "siret": siteSiret, "dosimetre": "EPD-17",
			"debut": start, "fin": end, "resultat": value, "unite": "mSv"}
	}
	t.Run("OKOperationalDuringIntervention", func(t *testing.T) {
		// Ensure the site's adviser transmits the worker's operational
		// dosimetry for the intervention, and nothing outside it.
		var out opReport
		siteAdviser.MustDo(submitOps, map[string]any{"ref": "EPD-IN", "rows": []any{opRow("2024-09-09T07:00:00", "2024-09-13T17:00:00", "0.085")}}, &out)
		if out.SubmitOperationalDoses.Status != "ACCEPTED" || out.SubmitOperationalDoses.RowsAccepted != 1 {
			t.Fatalf("report = %+v", out.SubmitOperationalDoses)
		}
		siteAdviser.MustDo(submitOps, map[string]any{"ref": "EPD-OUT", "rows": []any{opRow("2024-10-07T07:00:00", "2024-10-11T17:00:00", "0.012")}}, &out)
		if r := out.SubmitOperationalDoses; r.Status != "REJECTED" || len(r.Problems) != 1 || r.Problems[0].Code != "EMPLOYMENT_NOT_FOUND" {
			t.Fatalf("report outside the intervention = %+v", r)
		}
	})

	const ops = `{ operationalDoses(first: 10) { totalCount edges { node { id valueMsv establishment { siret } worker { lastName } } } } }`
	type opList struct {
		OperationalDoses struct {
			TotalCount int
			Edges      []struct {
				Node struct {
					ValueMsv      float64
					Establishment struct{ Siret string }
					Worker        struct{ LastName string }
				}
			}
		}
	}
	t.Run("OKContractorAdviserReads", func(t *testing.T) {
		// Ensure the outside company's adviser, the site's adviser and the
		// worker's physician read the dose taken on the site; the adviser of
		// another site does not.
		for name, cl := range map[string]*servertest.Client{"contractor's adviser": contractorAdviser, "site's adviser": siteAdviser, "physician": physician} {
			var out opList
			cl.MustDo(ops, nil, &out)
			if out.OperationalDoses.TotalCount != 1 || len(out.OperationalDoses.Edges) != 1 ||
				out.OperationalDoses.Edges[0].Node.ValueMsv != 0.085 || out.OperationalDoses.Edges[0].Node.Establishment.Siret != siteSiret ||
				out.OperationalDoses.Edges[0].Node.Worker.LastName != "Le Goff" {
				t.Errorf("%s reads %+v, want the dose at the site", name, out.OperationalDoses)
			}
		}
		var out opList
		clients["pcr.autre@test.fr"].MustDo(ops, nil, &out)
		if out.OperationalDoses.TotalCount != 0 {
			t.Errorf("another site's adviser reads %+v", out.OperationalDoses)
		}
		if res := contractorEmployer.Do(ops, nil); res.Code() != "FORBIDDEN_FIELD" {
			t.Errorf("contractor's employer: %s, want FORBIDDEN_FIELD (no dose values)", res.Code())
		}
	})
	t.Run("OKInterventionRows", func(t *testing.T) {
		// Ensure both companies see the intervention, another site does not.
		const list = `{ interventions(first: 10) { totalCount } }`
		for email, want := range map[string]int{"exploitant@test.fr": 1, "pcr.presta@test.fr": 1, "presta@test.fr": 1,
			"medecin.presta@test.fr": 1, "autre.exploitant@test.fr": 0, "pcr.autre@test.fr": 0} {
			var out struct{ Interventions struct{ TotalCount int } }
			clients[email].MustDo(list, nil, &out)
			if out.Interventions.TotalCount != want {
				t.Errorf("%s sees %d interventions, want %d", email, out.Interventions.TotalCount, want)
			}
		}
	})

	const end = `mutation($id: ID!, $d: Date!) { endIntervention(id: $id, endDate: $d) { id endDate } }`
	t.Run("ErrEndByOthers", func(t *testing.T) {
		// Ensure only the site ends the intervention: the contractor is
		// refused, another site does not even see it.
		if res := contractorEmployer.Do(end, map[string]any{"id": id, "d": "2024-09-20"}); res.Code() != "FORBIDDEN" {
			t.Errorf("contractor's employer: %s, want FORBIDDEN", res.Code())
		}
		if res := otherOperator.Do(end, map[string]any{"id": id, "d": "2024-09-20"}); res.Code() != "NOT_FOUND" {
			t.Errorf("other site's employer: %s, want NOT_FOUND", res.Code())
		}
	})
	t.Run("OKEnd", func(t *testing.T) {
		// Ensure the site brings the end forward, never extends it, and
		// rows after the new end are refused.
		var out struct{ EndIntervention struct{ ID, EndDate string } }
		siteAdviser.MustDo(end, map[string]any{"id": id, "d": "2024-09-20"}, &out)
		if out.EndIntervention.EndDate != "2024-09-20" {
			t.Fatalf("ended %+v", out.EndIntervention)
		}
		assertBadInput(t, siteAdviser.Do(end, map[string]any{"id": id, "d": "2024-09-25"}), "endDate", "2024-09-25")
		assertBadInput(t, siteAdviser.Do(end, map[string]any{"id": id, "d": "2024-08-31"}), "endDate", "2024-08-31")
		if e := c.Intervention.Query().Where(intervention.ID(mustAtoi(t, id))).OnlyX(ctx).EndDate; e == nil || e.Format(time.DateOnly) != "2024-09-20" {
			t.Errorf("stored end %v", e)
		}
		var rep opReport
		siteAdviser.MustDo(submitOps, map[string]any{"ref": "EPD-LATE", "rows": []any{opRow("2024-09-23T07:00:00", "2024-09-24T17:00:00", "0.020")}}, &rep)
		if r := rep.SubmitOperationalDoses; r.Status != "REJECTED" || len(r.Problems) != 1 || r.Problems[0].Code != "EMPLOYMENT_NOT_FOUND" {
			b, _ := json.Marshal(r)
			t.Fatalf("report after the end = %s", b)
		}
	})
}

// TestSQLiteContractorShare runs the contractor's reading of operational
// dosimetry on the embedded SQLite database, whose day comparisons differ
// from PostgreSQL's: the intervention's doses, its last day's included, and
// none after it.
func TestSQLiteContractorShare(t *testing.T) {
	db := storetest.MustOpenSQLite(t)
	srv := servertest.MustStart(t, db)
	ctx := policy.SystemContext(context.Background())
	c := db.Client
	site := c.Establishment.Create().SetSiret(siret).SetName("CNPE").SaveX(ctx)
	contractor := c.Establishment.Create().SetSiret("35600000000048").SetName("Prestataire").SaveX(ctx)
	w := c.Worker.Create().SetNir(validNIR("1850369123456")).SetLastName("Le Goff").SetFirstNames("Yann").
		SetBirthDate(time.Date(1985, 3, 12, 0, 0, 0, 0, time.UTC)).SetSex("M").SaveX(ctx)
	last := time.Date(2024, 9, 30, 0, 0, 0, 0, time.UTC)
	c.Employment.Create().SetWorkerID(w.ID).SetEstablishmentID(contractor.ID).SetStartDate(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)).
		SetEndDate(last).SetContractType("CDI").SetNomenclatureVersion("V1").SetClassification("A").
		SetMonitoringKinds([]string{"PASSIVE_WHOLE_BODY"}).ExecX(ctx)
	acc := servertest.MustCreateAccount(t, c, "pcr.presta@test.fr", policy.RoleRPA, func(g *ent.GrantCreate) { g.SetEstablishmentID(contractor.ID) })
	c.Intervention.Create().SetWorkerID(w.ID).SetSiteEstablishmentID(site.ID).SetContractorEstablishmentID(contractor.ID).
		SetStartDate(time.Date(2024, 9, 1, 0, 0, 0, 0, time.UTC)).SetEndDate(last).SetDeclaredByID(acc.ID).ExecX(ctx)
	want := map[string]bool{}
	for i, start := range []time.Time{
		time.Date(2024, 9, 9, 7, 0, 0, 0, time.UTC),  // during
		last.Add(7 * time.Hour),                      // its last day
		time.Date(2024, 10, 1, 7, 0, 0, 0, time.UTC), // the day after
		time.Date(2024, 8, 31, 7, 0, 0, 0, time.UTC), // the day before
	} {
		d := c.OperationalDose.Create().SetWorkerID(w.ID).SetEstablishmentID(site.ID).SetDosimeterSerial("EPD").
			SetStartAt(start).SetEndAt(start.Add(8 * time.Hour)).SetValueUsv(int64(10 + i)).SaveX(ctx)
		want[fmt.Sprint(d.ID)] = i < 2
	}
	cl := srv.NewClient(t)
	cl.MustLogin("pcr.presta@test.fr", servertest.Password)
	var out struct {
		OperationalDoses struct {
			TotalCount int
			Edges      []struct{ Node struct{ ID string } }
		}
	}
	cl.MustDo(`{ operationalDoses(first: 10) { totalCount edges { node { id } } } }`, nil, &out)
	got := map[string]bool{}
	for _, e := range out.OperationalDoses.Edges {
		got[e.Node.ID] = true
	}
	for id, in := range want {
		if got[id] != in {
			t.Errorf("dose %s: read %v, want %v", id, got[id], in)
		}
	}
	if out.OperationalDoses.TotalCount != 2 {
		t.Errorf("totalCount = %d, want 2", out.OperationalDoses.TotalCount)
	}
}
