package graph_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/server/servertest"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/worker"
	"github.com/siseri/siseri/policy"
)

// TestDoseConstraint: the adviser sets the establishment's dose constraints
// (R.4451-33), versioned; results above their constraint raise notices that
// doseConstraintNotices lists and the anomalies query leaves out; a higher
// job constraint silences the default 3/10 of the limit; another
// establishment's adviser neither sets nor reads them.
func TestDoseConstraint(t *testing.T) {
	db := storetest.MustOpen(t)
	srv := servertest.MustStart(t, db)
	ctx := policy.SystemContext(context.Background())
	c := db.Client
	est := c.Establishment.Create().SetSiret(siret).SetName("Chaudronnerie Rhône").SetRegion("84").SaveX(ctx)
	other := c.Establishment.Create().SetSiret("44201789000017").SetName("CNPE de Cruas").SetRegion("84").SaveX(ctx)
	from := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
	type person struct{ nir, last, first, birth, job string }
	people := []person{
		{validNIR("1790469123456"), "Soudier", "Marc", "1979-04-23", "SOUDEUR"},
		{validNIR("2830775056123"), "Radiguet", "Lise", "1983-07-11", "RADIOLOGUE"},
	}
	for _, p := range people {
		c.Nomenclature.Create().SetKind("JOB").SetVersion("V1").SetCode(p.job).SetLabel(strings.ToLower(p.job)).SetValidFrom(from).ExecX(ctx)
		birth, _ := time.Parse(time.DateOnly, p.birth)
		w := c.Worker.Create().SetNir(p.nir).SetLastName(p.last).SetFirstNames(p.first).SetBirthDate(birth).
			SetSex(map[byte]worker.Sex{'1': "M", '2': "F"}[p.nir[0]]).SaveX(ctx)
		c.Employment.Create().SetWorkerID(w.ID).SetEstablishmentID(est.ID).SetStartDate(from).SetContractType("CDI").
			SetNomenclatureVersion("V1").SetJobCode(p.job).SetClassification("A").
			SetMonitoringKinds([]string{"PASSIVE_WHOLE_BODY"}).ExecX(ctx)
	}
	lab := c.Laboratory.Create().SetCode("LABC").SetName("Labo").SaveX(ctx)
	at := func(id int) func(*ent.GrantCreate) { return func(g *ent.GrantCreate) { g.SetEstablishmentID(id) } }
	clients := map[string]*servertest.Client{}
	for _, a := range []struct {
		email string
		role  policy.Role
		set   func(*ent.GrantCreate)
	}{
		{"labo@test.fr", policy.RoleLaboratory, func(g *ent.GrantCreate) { g.SetLaboratoryID(lab.ID) }},
		{"pcr@test.fr", policy.RoleRPA, at(est.ID)},
		{"rh@test.fr", policy.RoleEmployer, at(est.ID)},
		{"medecin@test.fr", policy.RolePhysician, at(est.ID)},
		{"inspection@test.fr", policy.RoleControlAgent, func(g *ent.GrantCreate) { g.SetRegion("84") }},
		{"pcr.autre@test.fr", policy.RoleRPA, at(other.ID)},
	} {
		servertest.MustCreateAccount(t, c, a.email, a.role, a.set)
		clients[a.email] = srv.NewClient(t)
		clients[a.email].MustLogin(a.email, servertest.Password)
	}
	pcr, rh, mdt, pcrOther := clients["pcr@test.fr"], clients["rh@test.fr"], clients["medecin@test.fr"], clients["pcr.autre@test.fr"]

	const set = `mutation($in: SetDoseConstraintInput!) { setDoseConstraint(input: $in) {
		id jobCode limitCode annualUsv annualMsv validFrom validTo setByName comment } }`
	input := func(job any, limit string, usv int) map[string]any {
		return map[string]any{"in": map[string]any{"establishmentId": fmt.Sprint(est.ID), "jobCode": job, "limit": limit,
			"annualUsv": usv, "comment": "Optimisation ALARA 2025"}}
	}
	count := func() int { return c.DoseConstraint.Query().CountX(ctx) }
	type entry struct {
		Limit      string
		JobCode    *string
		AnnualUsv  int
		IsDefault  bool
		Constraint *struct {
			ID          string
			ValidTo     *string
			SetByName   string
			EndedByName *string
		}
	}
	const list = `query($e: ID!, $all: Boolean) { doseConstraints(establishmentId: $e, includeEnded: $all) {
		limit jobCode annualUsv isDefault constraint { id validTo setByName endedByName } } }`
	read := func(cl *servertest.Client, all bool) []entry {
		t.Helper()
		var out struct{ DoseConstraints []entry }
		cl.MustDo(list, map[string]any{"e": fmt.Sprint(est.ID), "all": all}, &out)
		return out.DoseConstraints
	}

	t.Run("ErrOtherEstablishment", func(t *testing.T) {
		// Ensure another establishment's adviser neither sets nor reads the constraints.
		if res := pcrOther.Do(set, input(nil, "EFFECTIVE", 2400)); res.Code() != "FORBIDDEN" {
			t.Errorf("set by another establishment's adviser: %+v, want FORBIDDEN", res.Errors)
		}
		if res := pcrOther.Do(list, map[string]any{"e": fmt.Sprint(est.ID)}); res.Code() != "FORBIDDEN" {
			t.Errorf("read by another establishment's adviser: %+v, want FORBIDDEN", res.Errors)
		}
		if n := count(); n != 0 {
			t.Errorf("%d constraints stored, want 0", n)
		}
	})
	t.Run("ErrAboveLimit", func(t *testing.T) {
		// Ensure a constraint above the 20 mSv limit is refused with its own code.
		res := pcr.Do(set, input(nil, "EFFECTIVE", 20001))
		if res.Code() != "CONSTRAINT_ABOVE_LIMIT" || !strings.Contains(res.Errors[0].Message, "limite réglementaire") {
			t.Errorf("constraint above the limit: %+v, want CONSTRAINT_ABOVE_LIMIT", res.Errors)
		}
		if res := pcr.Do(set, input(nil, "EFFECTIVE", 0)); res.Code() != "BAD_USER_INPUT" {
			t.Errorf("zero constraint: %+v, want BAD_USER_INPUT", res.Errors)
		}
		if n := count(); n != 0 {
			t.Errorf("%d constraints stored, want 0", n)
		}
	})
	t.Run("OKVersioned", func(t *testing.T) {
		// Ensure setting a new value ends the one in force and keeps it.
		var first, second struct {
			SetDoseConstraint struct{ ID, SetByName string }
		}
		rh.MustDo(set, input(nil, "EFFECTIVE", 3600), &first)
		pcr.MustDo(set, input(nil, "EFFECTIVE", 2400), &second)
		pcr.MustDo(set, input("SOUDEUR", "EFFECTIVE", 14000), nil)
		current := read(mdt, false)
		var wide, job, defaults int
		for _, e := range current {
			switch {
			case e.IsDefault:
				defaults++
				if e.Limit == "EFFECTIVE" || e.Constraint != nil {
					t.Errorf("default %+v: the effective dose has a constraint set", e)
				}
			case e.JobCode == nil:
				wide++
				if e.AnnualUsv != 2400 || e.Constraint.ID != second.SetDoseConstraint.ID || e.Constraint.ValidTo != nil {
					t.Errorf("establishment-wide constraint in force %+v, want the second one (2400 µSv)", e)
				}
			default:
				job++
			}
		}
		if wide != 1 || job != 1 || defaults != 3 {
			t.Errorf("constraints in force %+v: want 1 establishment-wide, 1 for a job, 3 defaults", current)
		}
		var ended int
		for _, e := range read(pcr, true) {
			if e.Constraint != nil && e.Constraint.ID == first.SetDoseConstraint.ID {
				ended++
				if e.Constraint.ValidTo == nil || e.Constraint.EndedByName == nil || e.Constraint.SetByName != first.SetDoseConstraint.SetByName {
					t.Errorf("replaced constraint %+v: want ended, by the adviser", e.Constraint)
				}
			}
		}
		if ended != 1 || count() != 3 {
			t.Errorf("history: the replaced constraint listed %d times, %d stored; want 1 and 3", ended, count())
		}
		// The control agent of the region reads them too.
		if got := read(clients["inspection@test.fr"], false); len(got) != len(current) {
			t.Errorf("control agent reads %d constraints, want %d", len(got), len(current))
		}
	})

	// May 2025: 0.80 mSv for the welder (above 3/10 of the limit, 0.50 mSv,
	// below the welders' constraint, 14 mSv a year: 1.17 mSv a month), 0.30
	// mSv for the radiologist (below 3/10, above the establishment's 2.4 mSv a
	// year: 0.20 mSv a month).
	var rows []map[string]any
	for i, p := range people {
		rows = append(rows, map[string]any{"nir": p.nir, "nom": p.last, "prenom": p.first, "dateNaissance": p.birth,
			"siret": siret, "dosimetre": fmt.Sprintf("DC%d", i), "typeSuivi": "PASSIF_CORPS_ENTIER", "grandeur": "HP10",
			"debutPeriode": "2025-05-01", "finPeriode": "2025-05-31", "resultat": []string{"0,80", "0,30"}[i], "unite": "mSv"})
	}
	var rep struct{ SubmitLabResults reportOut }
	clients["labo@test.fr"].MustDo(`mutation($rows: [LabResultInput!]!) { submitLabResults(reference: "CONTRAINTES", rows: $rows) { `+reportFields+` } }`,
		map[string]any{"rows": rows}, &rep)
	if rep.SubmitLabResults.Status != "ACCEPTED" {
		t.Fatalf("report: %+v", rep.SubmitLabResults)
	}
	type node struct {
		Kind, Layer, Explanation string
		Worker                   struct{ Nir string }
	}
	type conn struct {
		Edges []struct{ Node node }
	}
	const fields = `edges { node { kind layer explanation worker { nir } } }`

	t.Run("OKNotices", func(t *testing.T) {
		// Ensure only the radiologist's result crossed a constraint, and says which.
		var out struct{ DoseConstraintNotices conn }
		pcr.MustDo(`{ doseConstraintNotices(first: 20) { `+fields+` } }`, nil, &out)
		if len(out.DoseConstraintNotices.Edges) != 1 {
			t.Fatalf("notices %+v: want one, the radiologist's", out.DoseConstraintNotices.Edges)
		}
		n := out.DoseConstraintNotices.Edges[0].Node
		if n.Worker.Nir != people[1].nir || n.Kind != "DOSE_CONSTRAINT_EXCEEDED" || n.Layer != "CONSTRAINT" ||
			!strings.Contains(n.Explanation, "au-dessus de la contrainte de dose de l'établissement (2,40 mSv sur 12 mois, soit 0,20 mSv pour la période)") {
			t.Errorf("notice %+v: want the radiologist's, naming the establishment's constraint", n)
		}
	})
	t.Run("OKAnomaliesLeaveNoticesOut", func(t *testing.T) {
		// Ensure the anomalies query lists no notice, unless asked for the layer.
		var all struct{ Anomalies conn }
		pcr.MustDo(`{ anomalies(first: 50) { `+fields+` } }`, nil, &all)
		for _, e := range all.Anomalies.Edges {
			if e.Node.Layer == "CONSTRAINT" || e.Node.Kind == "DOSE_CONSTRAINT_EXCEEDED" || e.Node.Kind == "INVESTIGATION_LEVEL" {
				t.Errorf("anomalies list a notice: %+v", e.Node)
			}
		}
		var asked struct{ Anomalies conn }
		pcr.MustDo(`{ anomalies(first: 50, where: {layer: CONSTRAINT}) { `+fields+` } }`, nil, &asked)
		if len(asked.Anomalies.Edges) != 1 {
			t.Errorf("anomalies(where: {layer: CONSTRAINT}) = %+v, want the notice", asked.Anomalies.Edges)
		}
		var theirs struct{ DoseConstraintNotices conn }
		pcrOther.MustDo(`{ doseConstraintNotices(first: 20) { `+fields+` } }`, nil, &theirs)
		if len(theirs.DoseConstraintNotices.Edges) != 0 {
			t.Errorf("another establishment's adviser reads notices %+v", theirs.DoseConstraintNotices.Edges)
		}
	})
	t.Run("OKSubscriptionsLeaveNoticesOut", func(t *testing.T) {
		// Ensure the live replay carries the anomalies and no notice, unless asked for the layer.
		var total struct{ Anomalies struct{ TotalCount int } }
		pcr.MustDo(`{ anomalies(first: 1) { totalCount } }`, nil, &total)
		all := mustSubscribe(t, srv, pcr.Token, "")
		for i := 0; i < total.Anomalies.TotalCount; i++ {
			expl, _, ok := all.event(10 * time.Second)
			if !ok {
				t.Fatalf("replay stopped after %d of the %d anomalies", i, total.Anomalies.TotalCount)
			}
			if strings.Contains(expl, "contrainte de dose") {
				t.Errorf("anomalyRaised replayed a notice: %q", expl)
			}
		}
		if expl, _, ok := all.event(500 * time.Millisecond); ok {
			t.Errorf("anomalyRaised replayed more than the %d anomalies: %q", total.Anomalies.TotalCount, expl)
		}
		notices := dialSubscription(t, srv, pcr.Token,
			`subscription { anomalyRaised(where: {layer: CONSTRAINT}) { cursor anomaly { id workerID explanation } } }`, nil)
		if expl, _, ok := notices.event(10 * time.Second); !ok || !strings.Contains(expl, "contrainte de dose") {
			t.Errorf("anomalyRaised(where: {layer: CONSTRAINT}) = %q, %v; want the notice", expl, ok)
		}
	})
	t.Run("OKEnd", func(t *testing.T) {
		// Ensure ending a constraint keeps it, and that it ends once; the physician cannot end it.
		var job string
		for _, e := range read(pcr, false) {
			if e.JobCode != nil && *e.JobCode == "SOUDEUR" {
				job = e.Constraint.ID
			}
		}
		const end = `mutation($id: ID!) { endDoseConstraint(id: $id) { id validTo endedByName } }`
		if res := mdt.Do(end, map[string]any{"id": job}); len(res.Errors) == 0 || !strings.HasPrefix(res.Code(), "FORBIDDEN") {
			t.Errorf("ended by the physician: %+v, want FORBIDDEN", res.Errors)
		}
		var out struct {
			EndDoseConstraint struct {
				ValidTo     *string
				EndedByName *string
			}
		}
		pcr.MustDo(end, map[string]any{"id": job}, &out)
		if out.EndDoseConstraint.ValidTo == nil || out.EndDoseConstraint.EndedByName == nil {
			t.Errorf("ended constraint %+v: want its end and who ended it", out.EndDoseConstraint)
		}
		if res := pcr.Do(end, map[string]any{"id": job}); res.Code() != "CONFLICT" {
			t.Errorf("ended twice: %+v, want CONFLICT", res.Errors)
		}
		if n := count(); n != 3 {
			t.Errorf("%d constraints stored after the end, want 3", n)
		}
	})
}
