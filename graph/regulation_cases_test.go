package graph_test

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/siseri/siseri/ent/auditevent"
)

// TestRegulation runs the worked cases of ../shared/REGULATION-CASES.md, one
// subtest per case id, on PostgreSQL, through the GraphQL API. Dates keep the
// cases' relations but follow today's date where the case is not tied to a
// date of the regulation itself (the lens transition is).
func TestRegulation(t *testing.T) {
	w := mustRegWorld(t)
	long := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
	adult := func() *person { return w.newPerson(time.Date(1980, 4, 12, 0, 0, 0, 0, time.UTC), "F") }
	// story keeps, for RC09, each case's worker and the limit it is about.
	type story struct {
		p     *person
		limit string
	}
	stories := map[string]story{}

	t.Run("RC01", func(t *testing.T) {
		p := adult()
		w.declare(t, regEmployerA, siretA, p, long, time.Time{})
		m := w.month(2)
		r := monthly(p, siretA, m, "0.30")
		if rep := w.send(t, "RC01-1", r); rep.RowsAccepted != 1 {
			t.Fatalf("first send: %+v", rep)
		}
		lab := w.doses(t, regPhysician, p)
		var correction struct{ CorrectDose struct{ ID string } }
		w.must(t, regPhysician, `mutation($in: CorrectDoseInput!) { correctDose(input: $in) { id } }`, map[string]any{"in": map[string]any{
			"doseRecordID": lab[0].ID, "value": 4.0, "unit": "mSv", "reason": "Dosimètre porté sous le tablier : dose réévaluée"}}, &correction)

		// The laboratory sends 0.30 mSv again, under another reference.
		rep := w.send(t, "RC01-2", r)
		if rep.Status != "ACCEPTED" || rep.RowsAccepted != 1 || len(rep.Problems) != 1 {
			t.Fatalf("re-send report = %+v, want the row accepted with one warning", rep)
		}
		if pr := rep.Problems[0]; pr.Code != "CORRECTED_BY_PHYSICIAN" || pr.Severity != "WARNING" || pr.Line != 2 ||
			!strings.Contains(pr.Message, "médecin du travail a corrigé") || strings.Contains(pr.Message, "4,0") || strings.Contains(pr.Message, "4.0") ||
			strings.Contains(pr.Message, "4 mSv") || strings.Contains(pr.Message, "Dosimètre porté") {
			t.Errorf("re-send problem = %+v, want CORRECTED_BY_PHYSICIAN saying a correction exists, without its value", pr)
		}
		if s := w.exposure(t, regPhysician, p)["EFFECTIVE"]; msvOf(s.ValueMsv) != 4.0 {
			t.Errorf("effective dose after the re-send = %v mSv, want the correction's 4.0", msvOf(s.ValueMsv))
		}
		// The laboratory never reads the correction, its value or its reason.
		var labView struct {
			DoseRecords struct {
				TotalCount int
				Edges      []struct{ Node struct{ ValueUsv int64 } }
			}
		}
		w.must(t, regLab, `query($w: ID!) { doseRecords(first: 50, where: {workerID: $w}) { totalCount edges { node { valueUsv } } } }`,
			map[string]any{"w": strconv.Itoa(p.id)}, &labView)
		for _, e := range labView.DoseRecords.Edges {
			if e.Node.ValueUsv == 4000 {
				t.Errorf("the laboratory reads the corrected value")
			}
		}
		if labView.DoseRecords.TotalCount != 2 {
			t.Errorf("laboratory reads %d versions, want its own 2", labView.DoseRecords.TotalCount)
		}
		res := w.as(t, regLab).Do(`{ doseConflicts(first: 5) { totalCount } }`, nil)
		if res.Code() != "FORBIDDEN_FIELD" {
			t.Errorf("laboratory doseConflicts: code %q, want FORBIDDEN_FIELD", res.Code())
		}

		conflicts := func() []map[string]any {
			var out struct {
				DoseConflicts struct {
					Edges []struct{ Node map[string]any }
				}
			}
			w.must(t, regPhysician, `query($w: ID!) { doseConflicts(first: 10, where: {workerID: $w, status: OPEN}) {
				edges { node { id status correction { valueMsv } resend { valueMsv pending current } } } } }`,
				map[string]any{"w": strconv.Itoa(p.id)}, &out)
			var ns []map[string]any
			for _, e := range out.DoseConflicts.Edges {
				ns = append(ns, e.Node)
			}
			return ns
		}
		open := conflicts()
		if len(open) != 1 || refFloat(open[0], "correction", "valueMsv") != 4.0 || refFloat(open[0], "resend", "valueMsv") != 0.3 {
			t.Fatalf("open conflicts = %v, want one: 4.0 corrected, 0.30 re-sent", open)
		}
		// A decision needs a reason.
		if res := w.as(t, regPhysician).Do(`mutation($id: ID!) { resolveDoseConflict(id: $id, decision: KEEP_CORRECTION, reason: " ") { status } }`,
			map[string]any{"id": open[0]["id"]}); res.Code() != "BAD_USER_INPUT" || res.Errors[0].Extensions["field"] != "reason" {
			t.Errorf("decision without a reason: %+v, want BAD_USER_INPUT on reason", res.Errors)
		}
		// Keep the correction.
		var kept struct{ ResolveDoseConflict struct{ Status string } }
		w.must(t, regPhysician, `mutation($id: ID!) { resolveDoseConflict(id: $id, decision: KEEP_CORRECTION, reason: "Correction confirmée par l'enquête") { status } }`,
			map[string]any{"id": open[0]["id"]}, &kept)
		if kept.ResolveDoseConflict.Status != "KEPT_CORRECTION" || len(conflicts()) != 0 {
			t.Errorf("keep: status %s, open %d", kept.ResolveDoseConflict.Status, len(conflicts()))
		}
		if s := w.exposure(t, regPhysician, p)["EFFECTIVE"]; msvOf(s.ValueMsv) != 4.0 {
			t.Errorf("effective dose after keeping = %v, want 4.0", msvOf(s.ValueMsv))
		}

		// Another re-send, then accept the laboratory's value.
		r.value = "0.35"
		w.send(t, "RC01-3", r)
		open = conflicts()
		if len(open) != 1 {
			t.Fatalf("open conflicts after the third send = %d, want 1", len(open))
		}
		w.must(t, regPhysician, `mutation($id: ID!) { resolveDoseConflict(id: $id, decision: ACCEPT_LABORATORY, reason: "Le laboratoire a relu le dosimètre") { status } }`,
			map[string]any{"id": open[0]["id"]}, nil)
		var current []doseRow
		for _, d := range w.doses(t, regPhysician, p) {
			if d.Current {
				current = append(current, d)
			}
		}
		if len(current) != 1 || current[0].Source != "LABORATORY" || msvOf(current[0].ValueMsv) != 0.35 {
			t.Fatalf("current after acceptance = %+v, want the laboratory's 0.35", current)
		}
		if s := w.exposure(t, regPhysician, p)["EFFECTIVE"]; msvOf(s.ValueMsv) != 0.35 {
			t.Errorf("effective dose after acceptance = %v, want 0.35", msvOf(s.ValueMsv))
		}
		// Every version of the result keeps its own number: 1 the laboratory's,
		// 2 the correction, 3 the re-send set aside, 4 the one accepted.
		var versions []int
		for _, d := range w.doses(t, regPhysician, p) {
			versions = append(versions, d.Version)
		}
		slices.Sort(versions)
		if fmt.Sprint(versions) != "[1 2 3 4]" {
			t.Errorf("versions = %v, want [1 2 3 4]", versions)
		}
		// Both decisions are audited, with the physician as author.
		events := w.client.AuditEvent.Query().Where(auditevent.Action("WRITE")).AllX(w.ctx)
		decisions := map[string]bool{}
		for _, e := range events {
			if dc, ok := e.Details["doseConflict"].(map[string]any); ok && e.ActorRole == "OCCUPATIONAL_PHYSICIAN" &&
				slices.Contains(e.FieldPaths, "Mutation.resolveDoseConflict") {
				decisions[fmt.Sprint(dc["decision"])] = true
			}
		}
		if !decisions["KEEP_CORRECTION"] || !decisions["ACCEPT_LABORATORY"] {
			t.Errorf("audited decisions = %v, want both", decisions)
		}
	})

	t.Run("RC02", func(t *testing.T) {
		p := adult()
		w.declare(t, regEmployerA, siretA, p, long, time.Time{})
		r := monthly(p, siretA, w.month(2), "0.30")
		w.send(t, "RC02-1", r)
		r.value = "0.35"
		if rep := w.send(t, "RC02-2", r); rep.RowsAccepted != 1 || len(rep.Problems) != 0 {
			t.Fatalf("new version report = %+v", rep)
		}
		ds := w.doses(t, regPhysician, p)
		slices.SortFunc(ds, func(a, b doseRow) int { return a.Version - b.Version })
		if len(ds) != 2 || ds[0].Current || msvOf(ds[0].ValueMsv) != 0.3 || !ds[1].Current || ds[1].Version != 2 || msvOf(ds[1].ValueMsv) != 0.35 {
			t.Errorf("versions = %+v, want 0.30 kept as version 1 and 0.35 current as version 2", ds)
		}
		rep := w.send(t, "RC02-3", r)
		if rep.RowsRejected != 1 || len(rep.Problems) != 1 || rep.Problems[0].Code != "DUPLICATE_STORED" {
			t.Errorf("same value again = %+v, want DUPLICATE_STORED", rep)
		}
	})

	t.Run("RC03", func(t *testing.T) {
		p := adult()
		w.declare(t, regEmployerA, siretA, p, time.Date(2018, 1, 1, 0, 0, 0, 0, time.UTC), time.Time{})
		march := time.Date(2020, 3, 1, 0, 0, 0, 0, time.UTC)
		r := result{p: p, siret: siretA, dosimeter: "CR-RC03", kind: "CRISTALLIN", quantity: "HP3", start: march, end: lastDayOf(march),
			value: "30", unit: "mSv", received: time.Date(2020, 4, 8, 0, 0, 0, 0, time.UTC)}
		if rep := w.send(t, "RC03", r); rep.RowsAccepted != 1 {
			t.Fatalf("report = %+v", rep)
		}
		if fs := w.anomalies(t, p, "LIMIT_EXCEEDED"); len(fs) != 0 {
			t.Errorf("30 mSv to the lens in March 2020 raised %v", fs)
		}
		ex := w.exposure(t, regPhysician, p)
		if ex["LENS"].State != "OK" || ex["LENS_TRANSITION"].State != "OK" || msvOf(ex["LENS_TRANSITION"].ValueMsv) != 30 {
			t.Errorf("standings = %+v, want LENS OK and the transition total OK at 30 mSv of 100", ex)
		}
		stories["RC03"] = story{p, "LENS"}
	})

	t.Run("RC04", func(t *testing.T) {
		p := adult()
		w.declare(t, regEmployerA, siretA, p, long, time.Time{})
		for k := 6; k >= 1; k-- {
			m := w.month(k)
			r := result{p: p, siret: siretA, dosimeter: "CR-RC04", kind: "CRISTALLIN", quantity: "HP3", start: m, end: lastDayOf(m),
				value: "3.5", unit: "mSv", received: lastDayOf(m).AddDate(0, 0, 10)}
			if r.received.After(w.now) {
				r.received = time.Time{}
			}
			w.send(t, fmt.Sprintf("RC04-%d", k), r)
		}
		fs := w.anomalies(t, p, "LIMIT_EXCEEDED")
		if len(fs) != 1 {
			t.Fatalf("exceedances = %d, want one", len(fs))
		}
		if end := *fs[0].PeriodEnd; end != lastDayOf(w.month(1)).Format(time.DateOnly) || refString(fs[0].Reference, "limit") != "LENS" {
			t.Errorf("exceedance window ends %s (limit %s), want the first crossing, %s, LENS", end, refString(fs[0].Reference, "limit"),
				lastDayOf(w.month(1)).Format(time.DateOnly))
		}
		if s := w.exposure(t, regPhysician, p)["LENS"]; s.State != "EXCEEDED" || msvOf(s.ValueMsv) != 21 || s.LimitMsv != 20 {
			t.Errorf("LENS standing = %+v, want EXCEEDED 21 of 20", s)
		}
		stories["RC04"] = story{p, "LENS"}
	})

	t.Run("RC05", func(t *testing.T) {
		birth := time.Date(w.now.Year()-18, w.now.Month(), 15, 0, 0, 0, 0, time.UTC).AddDate(0, -6, 0)
		p := w.newPerson(birth, "M")
		w.declare(t, regEmployerA, siretA, p, w.month(20), time.Time{})
		m := w.month(15)
		w.send(t, "RC05", monthly(p, siretA, m, "8"))
		fs := w.anomalies(t, p, "LIMIT_EXCEEDED")
		if len(fs) != 1 || refString(fs[0].Reference, "population") != "YOUNG" || refFloat(fs[0].Reference, "limitUsv") != 6000 ||
			*fs[0].PeriodEnd != lastDayOf(m).Format(time.DateOnly) {
			t.Fatalf("exceedances = %+v, want the young workers' 6 mSv over the 12 months ending %s", fs, lastDayOf(m).Format(time.DateOnly))
		}
		if s := w.exposure(t, regPhysician, p)["EFFECTIVE"]; s.State != "EXCEEDED" || s.LimitMsv != 6 || msvOf(s.ValueMsv) != 8 {
			t.Errorf("EFFECTIVE standing at 18 = %+v, want EXCEEDED 8 of 6", s)
		}
		stories["RC05"] = story{p, "EFFECTIVE"}
	})

	t.Run("RC06", func(t *testing.T) {
		p := adult()
		w.declare(t, regEmployerA, siretA, p, long, time.Time{})
		declared, birth := w.month(11).AddDate(0, 0, 9), w.month(3).AddDate(0, 0, 19)
		w.declarePregnancy(t, regEmployerA, p, declared, birth)
		r := monthly(p, siretA, w.month(4), "1.5")
		r.received = time.Time{} // arrives today, after the birth
		if rep := w.send(t, "RC06", r); rep.AnomaliesRaised == 0 {
			t.Fatalf("report = %+v, want anomalies raised", rep)
		}
		fs := w.anomalies(t, p, "LIMIT_EXCEEDED")
		if len(fs) != 1 || refString(fs[0].Reference, "limit") != "PREGNANCY" || !strings.Contains(fs[0].Explanation, "1,50 mSv") {
			t.Fatalf("exceedances = %+v, want the unborn child's limit with the value", fs)
		}
		// The adviser reads it with the value; the employer without.
		var adv struct {
			Anomalies struct {
				Edges []struct {
					Node struct{ Kind, Explanation string }
				}
			}
		}
		w.must(t, regAdviserA, `query($w: ID!) { anomalies(first: 10, where: {workerID: $w, kind: "LIMIT_EXCEEDED"}) { edges { node { kind explanation } } } }`,
			map[string]any{"w": strconv.Itoa(p.id)}, &adv)
		if len(adv.Anomalies.Edges) != 1 || !strings.Contains(adv.Anomalies.Edges[0].Node.Explanation, "1,50 mSv") {
			t.Errorf("adviser reads %+v, want the exceedance with its value", adv)
		}
		emp := w.as(t, regEmployerA)
		var told struct {
			Anomalies struct{ TotalCount int }
		}
		w.must(t, regEmployerA, `query($w: ID!) { anomalies(first: 10, where: {workerID: $w, kind: "LIMIT_EXCEEDED"}) { totalCount edges { node { kind status periodStart } } } }`,
			map[string]any{"w": strconv.Itoa(p.id)}, &told)
		if told.Anomalies.TotalCount != 1 {
			t.Errorf("employer told of %d exceedances, want 1", told.Anomalies.TotalCount)
		}
		for _, f := range []string{"explanation", "score", "reference"} {
			if res := emp.Do(`{ anomalies(first: 1) { edges { node { `+f+` } } } }`, nil); res.Code() != "FORBIDDEN_FIELD" {
				t.Errorf("employer selects anomaly %s: code %q, want FORBIDDEN_FIELD", f, res.Code())
			}
		}
		stories["RC06"] = story{p, "PREGNANCY"}
	})

	t.Run("RC07", func(t *testing.T) {
		p := adult()
		w.declare(t, regEmployerA, siretA, p, long, time.Time{})
		w.declarePregnancy(t, regEmployerA, p, w.month(5).AddDate(0, 0, 9), time.Time{})
		w.send(t, "RC07", monthly(p, siretA, w.month(4), "0.4"), monthly(p, siretA, w.month(3), "0.6"))
		fs := w.anomalies(t, p, "LIMIT_EXCEEDED")
		if len(fs) != 1 || refString(fs[0].Reference, "limit") != "PREGNANCY" {
			t.Fatalf("exceedances = %+v, want the unborn child's limit at exactly 1 mSv", fs)
		}
		if s := w.exposure(t, regPhysician, p)["PREGNANCY"]; s.State != "EXCEEDED" || msvOf(s.ValueMsv) != 1 {
			t.Errorf("PREGNANCY standing = %+v, want EXCEEDED at 1.000 mSv", s)
		}
		stories["RC07"] = story{p, "PREGNANCY"}
	})

	t.Run("RC08", func(t *testing.T) {
		p := adult()
		w.declare(t, regEmployerA, siretA, p, long, time.Time{})
		w.send(t, "RC08", monthly(p, siretA, w.month(6), "12.000"), monthly(p, siretA, w.month(2), "8.000"))
		if fs := w.anomalies(t, p, "LIMIT_EXCEEDED"); len(fs) != 0 {
			t.Errorf("exactly 20 mSv raised %+v", fs)
		}
		if fs := w.anomalies(t, p, "LIMIT_APPROACHING"); len(fs) != 1 {
			t.Errorf("approaching findings = %d, want 1", len(fs))
		}
		if s := w.exposure(t, regPhysician, p)["EFFECTIVE"]; s.State != "APPROACHING" || msvOf(s.ValueMsv) != 20 {
			t.Errorf("EFFECTIVE standing = %+v, want APPROACHING at 20.000", s)
		}
		stories["RC08"] = story{p, "EFFECTIVE"}
	})

	t.Run("RC09", func(t *testing.T) {
		// For RC03 to RC08, the standing and the alert tell the same story:
		// a limit is EXCEEDED in the standing exactly when an exceedance is
		// raised, and the standing's window and value are the exceedance's
		// peak.
		for _, id := range []string{"RC03", "RC04", "RC05", "RC06", "RC07", "RC08"} {
			st, ok := stories[id]
			if !ok {
				t.Errorf("%s did not run", id)
				continue
			}
			s := w.exposure(t, regPhysician, st.p)[st.limit]
			var alert *finding
			for _, f := range w.anomalies(t, st.p, "LIMIT_EXCEEDED") {
				if refString(f.Reference, "limit") == st.limit {
					f := f
					alert = &f
				}
			}
			switch {
			case (s.State == "EXCEEDED") != (alert != nil):
				t.Errorf("%s: standing %s %s but exceedance raised = %v", id, st.limit, s.State, alert != nil)
			case alert != nil:
				peak := alert.Reference["peak"].(map[string]any)
				if refString(peak, "windowFirst") != s.WindowStart || refString(peak, "windowLast") != s.WindowEnd ||
					math.Abs(refFloat(peak, "sumUsv")/1000-msvOf(s.ValueMsv)) > 1e-9 || refFloat(peak, "limitUsv")/1000 != s.LimitMsv {
					t.Errorf("%s: standing %+v, exceedance peak %v", id, s, peak)
				}
			}
		}
	})

	t.Run("RC10", func(t *testing.T) {
		p := adult()
		w.declare(t, regEmployerA, siretA, p, long, time.Time{})
		hp10 := monthly(p, siretA, w.month(2), "0.50")
		hp007 := hp10
		hp007.quantity, hp007.value = "HP007", "12.0"
		if rep := w.send(t, "RC10", hp10, hp007); rep.RowsAccepted != 2 || rep.RowsRejected != 0 {
			t.Fatalf("report = %+v, want both rows accepted", rep)
		}
		ex := w.exposure(t, regPhysician, p)
		if msvOf(ex["EFFECTIVE"].ValueMsv) != 0.5 || msvOf(ex["SKIN"].ValueMsv) != 12 {
			t.Errorf("effective %v, skin %v: want 0.5 and 12.0", msvOf(ex["EFFECTIVE"].ValueMsv), msvOf(ex["SKIN"].ValueMsv))
		}
		if fs := w.anomalies(t, p, "POSSIBLE_CONTAMINATION"); len(fs) != 1 {
			t.Errorf("contamination findings = %d, want 1", len(fs))
		}
	})

	t.Run("RC11", func(t *testing.T) {
		x, y, z := adult(), adult(), adult()
		for _, p := range []*person{x, y, z} {
			w.declare(t, regEmployerA, siretA, p, long, time.Time{})
		}
		sub := w.subscribe(t, regEmployerA, `subscription { anomalyRaised { anomaly { id workerID kind } } }`)
		w.send(t, "RC11-X", monthly(x, siretA, w.month(3), "9"), monthly(x, siretA, w.month(2), "8"))
		w.send(t, "RC11-Y", monthly(y, siretA, w.month(3), "M"), monthly(y, siretA, w.month(2), "M"))
		w.send(t, "RC11-Z", monthly(z, siretA, w.month(3), "12"), monthly(z, siretA, w.month(2), "9"))
		if s := w.exposure(t, regPhysician, x)["EFFECTIVE"]; s.State != "APPROACHING" {
			t.Fatalf("X's standing = %+v, want APPROACHING (17 of 20)", s)
		}
		// Live: the employer is told of Z's exceedance, and of nothing about X.
		deadline := time.Now().Add(10 * time.Second)
		gotZ := false
		for !gotZ && time.Now().Before(deadline) {
			m := sub.next(time.Until(deadline))
			if m == nil {
				break
			}
			if m["type"] != "next" {
				t.Fatalf("subscription message %v", m)
			}
			a := m["payload"].(map[string]any)["data"].(map[string]any)["anomalyRaised"].(map[string]any)["anomaly"].(map[string]any)
			switch fmt.Sprint(a["workerID"]) {
			case strconv.Itoa(z.id):
				gotZ = a["kind"] == "LIMIT_EXCEEDED"
			case strconv.Itoa(x.id), strconv.Itoa(y.id):
				t.Errorf("employer received %v about X or Y", a)
			}
		}
		if !gotZ {
			t.Error("employer not told of Z's exceedance")
		}
		emp := w.as(t, regEmployerA)
		// Lists, filters, counts: X and Y look the same, Z exceeded.
		var rows struct {
			ExposureSummaries struct {
				TotalCount int
				Edges      []struct {
					Node struct{ WorkerID, LimitCode, Status string }
				}
			}
		}
		w.must(t, regEmployerA, `{ exposureSummaries(first: 100) { totalCount edges { node { workerID limitCode status } } } }`, nil, &rows)
		for _, e := range rows.ExposureSummaries.Edges {
			if e.Node.Status != "EXCEEDED" || e.Node.WorkerID == strconv.Itoa(x.id) || e.Node.WorkerID == strconv.Itoa(y.id) {
				t.Errorf("employer reads standing %+v", e.Node)
			}
		}
		zSeen := slices.ContainsFunc(rows.ExposureSummaries.Edges, func(e struct {
			Node struct{ WorkerID, LimitCode, Status string }
		}) bool {
			return e.Node.WorkerID == strconv.Itoa(z.id) && e.Node.LimitCode == "EFFECTIVE"
		})
		if !zSeen {
			t.Error("employer does not read Z's exceeded effective dose limit")
		}
		var approaching struct{ ExposureSummaries struct{ TotalCount int } }
		w.must(t, regEmployerA, `{ exposureSummaries(first: 10, where: {statusIn: [APPROACHING, OK]}) { totalCount } }`, nil, &approaching)
		if approaching.ExposureSummaries.TotalCount != 0 {
			t.Errorf("employer counts %d APPROACHING or OK standings, want 0", approaching.ExposureSummaries.TotalCount)
		}
		for _, q := range []string{
			`{ exposureSummaries(first: 10, orderBy: [{field: SUM_USV, direction: DESC}]) { totalCount } }`,
			`{ exposureSummaries(first: 10, where: {sumUsvGT: 15000}) { totalCount } }`,
			`{ workers(first: 10) { edges { node { exposure { valueMsv } } } } }`,
			`{ workers(first: 10) { edges { node { exposure { share } } } } }`,
		} {
			if res := emp.Do(q, nil); res.Code() != "FORBIDDEN_FIELD" {
				t.Errorf("%s: code %q, want FORBIDDEN_FIELD", q, res.Code())
			}
		}
		ex := func(p *person) string {
			var out struct {
				Node struct {
					Exposure []struct{ LimitCode, State string }
				}
			}
			w.must(t, regEmployerA, `query($id: ID!) { node(id: $id) { ... on Worker { exposure { limitCode state } anomalies(first: 5) { totalCount } } } }`,
				map[string]any{"id": strconv.Itoa(p.id)}, &out)
			return fmt.Sprint(out.Node.Exposure)
		}
		if ex(x) != ex(y) {
			t.Errorf("employer tells X (%s) from Y (%s)", ex(x), ex(y))
		}
		if ex(z) != "[{EFFECTIVE EXCEEDED}]" {
			t.Errorf("employer reads Z as %s, want EFFECTIVE EXCEEDED only", ex(z))
		}
		// The list of limits to watch: the employer's has Z's exceedance only;
		// the adviser's has X approaching and Z over, with values.
		alerts := func(email string, fields string) []map[string]any {
			var out struct {
				LimitAlerts struct {
					Edges []struct{ Node map[string]any }
				}
			}
			w.must(t, email, `{ limitAlerts(states: [APPROACHING, EXCEEDED], first: 100) { edges { node { `+fields+` } } } }`, nil, &out)
			var ns []map[string]any
			for _, e := range out.LimitAlerts.Edges {
				if id := fmt.Sprint(e.Node["worker"].(map[string]any)["id"]); id == strconv.Itoa(x.id) || id == strconv.Itoa(y.id) || id == strconv.Itoa(z.id) {
					ns = append(ns, e.Node)
				}
			}
			return ns
		}
		if got := alerts(regEmployerA, "worker { id } limitCode state"); len(got) != 1 || fmt.Sprint(got[0]["worker"].(map[string]any)["id"]) != strconv.Itoa(z.id) {
			t.Errorf("employer's limit alerts = %v, want Z's exceedance only", got)
		}
		if res := emp.Do(`{ limitAlerts(states: [APPROACHING], first: 5) { edges { node { valueMsv } } } }`, nil); res.Code() != "FORBIDDEN_FIELD" {
			t.Errorf("employer limitAlerts valueMsv: %q, want FORBIDDEN_FIELD", res.Code())
		}
		adv := alerts(regAdviserA, "worker { id } limitCode state valueMsv")
		if len(adv) != 2 || adv[0]["state"] != "EXCEEDED" || refFloat(adv[0], "valueMsv") != 21 || adv[1]["state"] != "APPROACHING" ||
			refFloat(adv[1], "valueMsv") != 17 {
			t.Errorf("adviser's limit alerts = %v, want Z over at 21 then X approaching at 17", adv)
		}
		if res := emp.Do(`subscription { exposureChanged(workerID: "`+strconv.Itoa(x.id)+`") { id } }`, nil); res.Code() != "FORBIDDEN_FIELD" {
			t.Errorf("employer exposureChanged: %q, want FORBIDDEN_FIELD", res.Code())
		}
	})

	t.Run("RC12", func(t *testing.T) {
		p := adult()
		end := lastDayOf(w.month(6 - 2)) // employed at A over the first three months
		w.declare(t, regEmployerA, siretA, p, long, end)
		w.declare(t, regEmployerB, siretB, p, end.AddDate(0, 0, 1), time.Time{})
		var rs []result
		for k := 6; k >= 1; k-- {
			if k >= 4 {
				rs = append(rs, monthly(p, siretA, w.month(k), "2"))
			} else {
				rs = append(rs, monthly(p, siretB, w.month(k), "1"))
			}
		}
		if rep := w.send(t, "RC12", rs...); rep.RowsAccepted != 6 {
			t.Fatalf("report = %+v", rep)
		}
		check := func(email string, wantMonths []int, each, total float64) {
			t.Helper()
			var ms []string
			for _, k := range wantMonths {
				ms = append(ms, w.month(k).Format(time.DateOnly))
			}
			var got []string
			for _, d := range w.doses(t, email, p) {
				got = append(got, d.PeriodStart)
				if msvOf(d.ValueMsv) != each {
					t.Errorf("%s reads a dose of %v mSv, want %v", email, msvOf(d.ValueMsv), each)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(ms) {
				t.Errorf("%s reads the doses of %v, want %v", email, got, ms)
			}
			if s := w.exposure(t, email, p)["EFFECTIVE"]; math.Abs(msvOf(s.ValueMsv)-total) > 1e-9 {
				t.Errorf("%s reads an effective dose of %v mSv, want %v", email, msvOf(s.ValueMsv), total)
			}
			var hist struct {
				Node struct {
					DoseHistory []struct {
						Month    string
						ValueMsv float64
					}
				}
			}
			w.must(t, email, `query($id: ID!) { node(id: $id) { ... on Worker { doseHistory { month valueMsv } } } }`,
				map[string]any{"id": strconv.Itoa(p.id)}, &hist)
			sum := 0.0
			for _, h := range hist.Node.DoseHistory {
				sum += h.ValueMsv
			}
			if math.Abs(sum-total) > 1e-9 || len(hist.Node.DoseHistory) != len(wantMonths) {
				t.Errorf("%s reads a history of %d months summing %v, want %d months, %v", email, len(hist.Node.DoseHistory), sum, len(wantMonths), total)
			}
		}
		check(regAdviserB, []int{3, 2, 1}, 1, 3)
		check(regAdviserA, []int{6, 5, 4}, 2, 6)
		if s := w.exposure(t, regPhysician, p)["EFFECTIVE"]; msvOf(s.ValueMsv) != 9 {
			t.Errorf("physician reads %v mSv, want all 9", msvOf(s.ValueMsv))
		}
		stories["RC12"] = story{p, "EFFECTIVE"}
	})

	t.Run("RC13", func(t *testing.T) {
		p := adult()
		w.declare(t, regEmployerA, siretA, p, long, time.Time{})
		w.send(t, "RC13", monthly(p, siretA, w.month(3), "12"), monthly(p, siretA, w.month(2), "9"))
		nurse := w.as(t, regDelegate)
		if ds := w.doses(t, regDelegate, p); len(ds) != 2 {
			t.Errorf("delegate reads %d results, want 2", len(ds))
		}
		exceedances := w.anomalies(t, p, "LIMIT_EXCEEDED")
		if len(exceedances) != 1 {
			t.Fatalf("exceedances = %d", len(exceedances))
		}
		var seen struct{ Anomalies struct{ TotalCount int } }
		w.must(t, regDelegate, `query($w: ID!) { anomalies(first: 5, where: {workerID: $w}) { totalCount } }`, map[string]any{"w": strconv.Itoa(p.id)}, &seen)
		if seen.Anomalies.TotalCount == 0 {
			t.Error("delegate reads no anomaly")
		}
		doseID := w.doses(t, regPhysician, p)[0].ID
		correct := `mutation($id: ID!) { correctDose(input: {doseRecordID: $id, value: 1.5, unit: "mSv", reason: "Essai"}) { id } }`
		add := `mutation($w: ID!, $e: ID!, $s: Date!, $f: Date!) { addDose(input: {workerID: $w, establishmentID: $e, monitoringKind: PASSIVE_WHOLE_BODY,
			quantity: HP10, periodStart: $s, periodEnd: $f, value: 0.2, unit: "mSv", reason: "Dosimètre perdu : dose estimée"}) { id } }`
		addVars := map[string]any{"w": strconv.Itoa(p.id), "e": strconv.Itoa(w.estA.ID), "s": w.month(1).Format(time.DateOnly),
			"f": lastDayOf(w.month(1)).Format(time.DateOnly)}
		confirm := `mutation($id: ID!) { resolveAnomaly(id: $id, resolution: CONFIRMED, comment: "Dose reçue confirmée") { status } }`
		refused := func(name, q string, vars map[string]any) {
			t.Helper()
			if res := nurse.Do(q, vars); res.Code() != "FORBIDDEN" && res.Code() != "FORBIDDEN_FIELD" {
				t.Errorf("delegate %s: code %q, want FORBIDDEN", name, res.Code())
			}
		}
		refused("correctDose", correct, map[string]any{"id": doseID})
		refused("addDose", add, addVars)
		refused("resolveAnomaly", confirm, map[string]any{"id": exceedances[0].ID})
		refused("resolveDoseConflict", `mutation { resolveDoseConflict(id: 1, decision: KEEP_CORRECTION, reason: "x") { id } }`, nil)
		w.must(t, regPhysician, correct, map[string]any{"id": doseID}, nil)
		w.must(t, regPhysician, add, addVars, nil)
		w.must(t, regPhysician, confirm, map[string]any{"id": exceedances[0].ID}, nil)
	})

	t.Run("RC14", func(t *testing.T) {
		// Every sum a role reads for a worker equals the sum of the results it
		// may list for that worker and window: the RC12 worker, employed in
		// two regions, read by each role that reads sums.
		st, ok := stories["RC12"]
		if !ok {
			t.Fatal("RC12 did not run")
		}
		// (The delegate's grant is at A, which the worker left: not followed.)
		for _, email := range []string{regPhysician, regAdviserA, regAdviserB, regInspector, regAnalyst} {
			s, ok := w.exposure(t, email, st.p)["EFFECTIVE"]
			if !ok {
				t.Errorf("%s reads no effective dose standing", email)
				continue
			}
			sum := 0.0
			for _, d := range w.doses(t, email, st.p) {
				if d.Current && d.PeriodEnd >= s.WindowStart && d.PeriodEnd <= s.WindowEnd &&
					(d.Quantity == "HP10" || d.Quantity == "E50" || d.Quantity == "E") {
					sum += msvOf(d.ValueMsv)
				}
			}
			if math.Abs(sum-msvOf(s.ValueMsv)) > 1e-9 {
				t.Errorf("%s reads an effective dose of %v mSv over %s–%s, but may list %v mSv", email, msvOf(s.ValueMsv), s.WindowStart, s.WindowEnd, sum)
			}
		}
		// The control agent of region 84 reads the doses of establishment A only.
		if s := w.exposure(t, regInspector, st.p)["EFFECTIVE"]; msvOf(s.ValueMsv) != 6 {
			t.Errorf("control agent of 84 reads %v mSv, want the 6 of its region", msvOf(s.ValueMsv))
		}
	})

	t.Run("RC15", func(t *testing.T) {
		p := adult()
		w.declare(t, regEmployerA, siretA, p, long, time.Time{})
		w.send(t, "RC15", monthly(p, siretA, w.month(3), "14"), monthly(p, siretA, w.month(2), "9.5"))
		exceedances := w.anomalies(t, p, "LIMIT_EXCEEDED")
		if len(exceedances) != 1 {
			t.Fatalf("exceedances = %d", len(exceedances))
		}
		notices := func() (n int, raw string) {
			res := w.as(t, regMinistry).Do(`{ exceedanceNotices(first: 100) { totalCount edges { node { id sectorCode sectorLabel
				domainCode regionCode regionLabel limitCode population band bandLabel exceedanceMonth confirmedOn } } } }`, nil)
			if len(res.Errors) > 0 {
				t.Fatalf("notices: %+v", res.Errors)
			}
			var out struct{ ExceedanceNotices struct{ TotalCount int } }
			_ = json.Unmarshal(res.Data, &out)
			return out.ExceedanceNotices.TotalCount, string(res.Data)
		}
		before, _ := notices()
		w.must(t, regPhysician, `mutation($id: ID!) { resolveAnomaly(id: $id, resolution: CONFIRMED, comment: "Dose reçue confirmée après enquête") { status } }`,
			map[string]any{"id": exceedances[0].ID}, nil)
		after, raw := notices()
		if after != before+1 {
			t.Fatalf("notices %d then %d, want one more", before, after)
		}
		today := time.Now().UTC().Format(time.DateOnly)
		for _, want := range []string{`"sectorCode":"MED-RI"`, `"regionCode":"84"`, `"limitCode":"EFFECTIVE"`, `"confirmedOn":"` + today + `"`} {
			if !strings.Contains(raw, want) {
				t.Errorf("the ministry's notices lack %s: %s", want, raw)
			}
		}
		for _, secret := range []string{p.nir, p.last, p.birth.Format(time.DateOnly), w.estA.Name, siretA, "23,5", "23.5"} {
			if strings.Contains(raw, secret) {
				t.Errorf("the ministry's notices disclose %q: %s", secret, raw)
			}
		}
		for _, email := range []string{regPhysician, regAdviserA, regEmployerA, regInspector} {
			if res := w.as(t, email).Do(`{ exceedanceNotices(first: 5) { totalCount } }`, nil); res.Code() != "FORBIDDEN_FIELD" {
				t.Errorf("%s reads the ministry's notices: %q, want FORBIDDEN_FIELD", email, res.Code())
			}
		}
	})

	t.Run("RC16", func(t *testing.T) {
		// The same three years, once live month by month, once as a history
		// import, for two people with the same story: an exceedance two years
		// ago (closed) and one in the last months (open).
		live, hist := adult(), adult()
		w.declare(t, regEmployerA, siretA, live, long, time.Time{})
		w.declare(t, regEmployerA, siretA, hist, long, time.Time{})
		story := func(p *person, k int) result {
			v := "0.5"
			if k == 26 || k == 25 || k == 3 || k == 2 {
				v = "11"
			}
			return monthly(p, siretA, w.month(k), v)
		}
		for k := 36; k >= 1; k-- {
			r := story(live, k)
			if r.received.After(w.now) {
				r.received = w.now
			}
			if rep := w.send(t, fmt.Sprintf("RC16-live-%d", k), r); rep.RowsAccepted != 1 {
				t.Fatalf("live month %d: %+v", k, rep)
			}
		}
		var rows []any
		for k := 36; k >= 1; k-- {
			r := story(hist, k)
			if r.received.After(w.now) {
				r.received = w.now
			}
			rows = append(rows, r.row())
		}
		var out struct{ SubmitLabResults labReport }
		w.must(t, regAdmin, `mutation($rows: [LabResultInput!]!, $lab: ID!) { submitLabResults(reference: "RC16-history", rows: $rows, history: true, laboratoryID: $lab) {
			status rowsAccepted problems { code message } } }`, map[string]any{"rows": rows, "lab": strconv.Itoa(w.labID)}, &out)
		if out.SubmitLabResults.Status != "ACCEPTED" || out.SubmitLabResults.RowsAccepted != 36 {
			t.Fatalf("history import: %+v", out.SubmitLabResults)
		}
		// The same standings.
		a, b := w.exposure(t, regPhysician, live), w.exposure(t, regPhysician, hist)
		show := func(m map[string]standing) string {
			var out []string
			for code, s := range m {
				out = append(out, fmt.Sprintf("%s %s %v/%v %s–%s", code, s.State, msvOf(s.ValueMsv), s.LimitMsv, s.WindowStart, s.WindowEnd))
			}
			slices.Sort(out)
			return strings.Join(out, "; ")
		}
		if show(a) != show(b) {
			t.Errorf("standings differ:\nlive    %s\nhistory %s", show(a), show(b))
		}
		if a["EFFECTIVE"].State != "EXCEEDED" {
			t.Errorf("live standing = %+v, want the recent exceedance", a["EFFECTIVE"])
		}
		// No timeliness finding, on time or in history mode.
		for _, p := range []*person{live, hist} {
			if fs := w.anomalies(t, p, "MISSING_RESULT"); len(fs) != 0 {
				t.Errorf("late or missing findings: %+v", fs)
			}
		}
		// History raises the open regulatory finding only; live raised both.
		windows := func(p *person) []string {
			var out []string
			for _, f := range w.anomalies(t, p, "LIMIT_EXCEEDED") {
				out = append(out, *f.PeriodStart+"…"+*f.PeriodEnd)
			}
			slices.Sort(out)
			return out
		}
		lw, hw := windows(live), windows(hist)
		if len(lw) != 2 || len(hw) != 1 || hw[0] != lw[1] {
			t.Errorf("exceedances live %v, history %v: want the history's one to be the live import's recent one", lw, hw)
		}
		// Only an administrator imports history.
		res := w.as(t, regLab).Do(`mutation($rows: [LabResultInput!]!, $lab: ID!) { submitLabResults(reference: "RC16-lab", rows: $rows, history: true, laboratoryID: $lab) { status } }`,
			map[string]any{"rows": rows[:1], "lab": strconv.Itoa(w.labID)})
		if res.Code() != "FORBIDDEN" {
			t.Errorf("history import by the laboratory: %q, want FORBIDDEN", res.Code())
		}
	})

	t.Run("RC17", func(t *testing.T) {
		p := adult()
		w.declare(t, regEmployerA, siretA, p, long, time.Time{})
		jan := w.month(4)
		late := monthly(p, siretA, jan, "0.2")
		late.received = lastDayOf(jan).AddDate(0, 0, 38) // « 10 March »
		onTime := monthly(p, siretA, w.month(3), "0.2")
		onTime.received = lastDayOf(w.month(3)).AddDate(0, 0, 25)
		w.send(t, "RC17-1", late, onTime)
		again := late
		again.value = "0.25" // a new version of the late result
		w.send(t, "RC17-2", again)
		var lates []finding
		for _, f := range w.anomalies(t, p, "MISSING_RESULT") {
			if refString(f.Reference, "reason") == "late" {
				lates = append(lates, f)
			}
		}
		if len(lates) != 1 || *lates[0].PeriodStart != jan.Format(time.DateOnly) {
			t.Errorf("late findings = %+v, want one, for %s", lates, jan.Format(time.DateOnly))
		}
	})
}
