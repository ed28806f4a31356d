package graph_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/siseri/siseri/backend/audit"
	"github.com/siseri/siseri/backend/exposure"
	"github.com/siseri/siseri/backend/server/servertest"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/account"
	"github.com/siseri/siseri/ent/auditevent"
	"github.com/siseri/siseri/ent/doserecord"
	"github.com/siseri/siseri/ent/grant"
	"github.com/siseri/siseri/policy"
)

// correctionWorld is a worker employed in an establishment with two recent
// whole-body doses that exceed the effective dose limit together, the
// accounts of every role of that establishment, and a physician of another.
type correctionWorld struct {
	srv           *servertest.Server
	client        *ent.Client
	ctx           context.Context
	est, otherEst *ent.Establishment
	worker, other *ent.Worker
	doses         []*ent.DoseRecord
	login         func(t *testing.T, email string) *servertest.Client
}

func mustCorrectionWorld(t *testing.T) *correctionWorld {
	t.Helper()
	db := storetest.MustOpen(t)
	w := &correctionWorld{srv: servertest.MustStart(t, db), client: db.Client, ctx: policy.SystemContext(context.Background())}
	c := db.Client
	w.est = c.Establishment.Create().SetSiret(siret).SetName("CHU").SaveX(w.ctx)
	w.otherEst = c.Establishment.Create().SetSiret("35600000000048").SetName("Autre").SaveX(w.ctx)
	person := func(id string, est *ent.Establishment) *ent.Worker {
		p := c.Worker.Create().SetIdentifierKind("NTT").SetTemporaryID(id).SetLastName("Martin").SetFirstNames("Claire").
			SetBirthDate(mustDate(t, "1984-12-03")).SetSex("F").SaveX(w.ctx)
		c.Employment.Create().SetWorkerID(p.ID).SetEstablishmentID(est.ID).SetStartDate(mustDate(t, "2020-01-01")).
			SetContractType("CDI").SetNomenclatureVersion("V").SetClassification("A").
			SetMonitoringKinds([]string{"PASSIVE_WHOLE_BODY"}).ExecX(w.ctx)
		return p
	}
	w.worker, w.other = person("T1", w.est), person("T2", w.otherEst)
	month := time.Date(time.Now().Year(), time.Now().Month(), 1, 0, 0, 0, 0, time.UTC)
	for i, usv := range []int64{12000, 9000} {
		start := month.AddDate(0, i-3, 0)
		w.doses = append(w.doses, c.DoseRecord.Create().SetWorkerID(w.worker.ID).SetEstablishmentID(w.est.ID).
			SetSource("LABORATORY").SetDosimeterSerial("D1").SetMonitoringKind("PASSIVE_WHOLE_BODY").SetQuantity("HP10").
			SetValueUsv(usv).SetStatus("MEASURED").SetPeriodStart(start).SetPeriodEnd(start.AddDate(0, 1, -1)).SaveX(w.ctx))
	}
	if _, err := exposure.Recompute(w.ctx, c, []int{w.worker.ID, w.other.ID}, time.Now()); err != nil {
		t.Fatal(err)
	}
	here := func(g *ent.GrantCreate) { g.SetEstablishmentID(w.est.ID) }
	for email, role := range map[string]policy.Role{"medecin@test.fr": policy.RolePhysician, "pcr@test.fr": policy.RoleRPA, "rh@test.fr": policy.RoleEmployer} {
		servertest.MustCreateAccount(t, c, email, role, here)
	}
	doctor := c.Grant.Query().Where(grant.HasAccountWith(account.Email("medecin@test.fr"))).OnlyX(w.ctx)
	servertest.MustCreateAccount(t, c, "delegue@test.fr", policy.RoleDelegate, func(g *ent.GrantCreate) {
		g.SetEstablishmentID(w.est.ID).SetDelegatedFromID(doctor.ID)
	})
	lab := c.Laboratory.Create().SetCode("LAB1").SetName("Labo").SaveX(w.ctx)
	servertest.MustCreateAccount(t, c, "labo@test.fr", policy.RoleLaboratory, func(g *ent.GrantCreate) { g.SetLaboratoryID(lab.ID) })
	servertest.MustCreateAccount(t, c, "medecin2@test.fr", policy.RolePhysician, func(g *ent.GrantCreate) { g.SetEstablishmentID(w.otherEst.ID) })
	// One session per account: logins are rate-limited.
	sessions := map[string]*servertest.Client{}
	w.login = func(_ *testing.T, email string) *servertest.Client {
		if sessions[email] == nil {
			sessions[email] = w.srv.NewClient(t)
			sessions[email].MustLogin(email, servertest.Password)
		}
		return sessions[email]
	}
	return w
}

const correctDose = `mutation($in: CorrectDoseInput!) { correctDose(input: $in) {
	id version current source correctionReason valueUsv supersedes { id current supersededAt } } }`

type correctedDose struct {
	CorrectDose struct {
		ID, Source, CorrectionReason string
		Version                      int
		Current                      bool
		ValueUsv                     int64
		Supersedes                   struct {
			ID           string
			Current      bool
			SupersededAt *string
		}
	}
}

func correction(id int, value float64, unit, reason string) map[string]any {
	return map[string]any{"in": map[string]any{"doseRecordID": strconv.Itoa(id), "value": value, "unit": unit, "reason": reason}}
}

const workerFile = `query($id: ID!) { node(id: $id) { ... on Worker {
	doseRecords(first: 20) { edges { node { id version current valueUsv supersedesID } } }
	exposure { limitCode label state valueMsv limitMsv share windowStart windowEnd } } } }`

type file struct {
	Node struct {
		DoseRecords struct {
			Edges []struct {
				Node struct {
					ID, SupersedesID string
					Version          int
					Current          bool
					ValueUsv         int64
				}
			}
		}
		Exposure []struct {
			LimitCode, Label, State, WindowStart, WindowEnd string
			ValueMsv, Share                                 *float64
			LimitMsv                                        float64
		}
	}
}

func (f file) effective(t *testing.T) (state string, msv float64) {
	t.Helper()
	for _, l := range f.Node.Exposure {
		if l.LimitCode == "EFFECTIVE" {
			if l.ValueMsv == nil || l.Label != "Dose efficace (12 mois glissants)" || l.LimitMsv != 20 {
				t.Fatalf("EFFECTIVE = %+v", l)
			}
			return l.State, *l.ValueMsv
		}
	}
	t.Fatalf("no EFFECTIVE standing in %+v", f.Node.Exposure)
	return "", 0
}

// TestCorrectDose ensures physicians and their delegates correct the doses of
// the workers they follow as new versions, that the worker's standing follows,
// and that everyone else is refused.
func TestCorrectDose(t *testing.T) {
	w := mustCorrectionWorld(t)
	physician := w.login(t, "medecin@test.fr")
	workerID := map[string]any{"id": strconv.Itoa(w.worker.ID)}
	var before file
	physician.MustDo(workerFile, workerID, &before)
	if state, v := before.effective(t); state != "EXCEEDED" || v != 21 {
		t.Fatalf("before: EFFECTIVE %s at %v mSv, want EXCEEDED at 21", state, v)
	}

	var v2 correctedDose
	t.Run("OKPhysician", func(t *testing.T) {
		// Ensure the correction is a version 2 superseding the original, and the
		// effective dose falls back under the limit.
		physician.MustDo(correctDose, correction(w.doses[0].ID, 1.2, "mSv", "  Erreur d'unité du laboratoire "), &v2)
		c := v2.CorrectDose
		if c.Version != 2 || !c.Current || c.Source != "PHYSICIAN" || c.ValueUsv != 1200 || c.CorrectionReason != "Erreur d'unité du laboratoire" {
			t.Errorf("new version = %+v", c)
		}
		if c.Supersedes.ID != strconv.Itoa(w.doses[0].ID) || c.Supersedes.Current || c.Supersedes.SupersededAt == nil {
			t.Errorf("superseded version = %+v, want the original, no longer current", c.Supersedes)
		}
		var after file
		physician.MustDo(workerFile, workerID, &after)
		versions := map[string]bool{}
		for _, e := range after.Node.DoseRecords.Edges {
			versions[fmt.Sprintf("%s v%d current=%v", e.Node.ID, e.Node.Version, e.Node.Current)] = true
		}
		for _, want := range []string{fmt.Sprintf("%d v1 current=false", w.doses[0].ID), c.ID + " v2 current=true",
			fmt.Sprintf("%d v1 current=true", w.doses[1].ID)} {
			if !versions[want] {
				t.Errorf("history lacks %q: %v", want, versions)
			}
		}
		if state, v := after.effective(t); state != "OK" || v != 10.2 {
			t.Errorf("after: EFFECTIVE %s at %v mSv, want OK at 10.2", state, v)
		}
		rec := w.client.DoseRecord.GetX(w.ctx, mustAtoi(t, c.ID))
		if acc, err := w.client.Account.Get(w.ctx, rec.RecordedByID); err != nil || acc.Email != "medecin@test.fr" {
			t.Errorf("recorded_by_id = %d, want the physician's account", rec.RecordedByID)
		}
		n := w.client.AuditEvent.Query().Where(auditevent.Action(audit.ActionWrite), auditevent.ActorAccountID(rec.RecordedByID)).
			AllX(w.ctx)
		if !slices.ContainsFunc(n, func(e *ent.AuditEvent) bool {
			return slices.Contains(e.FieldPaths, "Mutation.correctDose") && slices.Contains(e.WorkerIds, w.worker.ID)
		}) {
			t.Errorf("no WRITE audit event of the correction among %d", len(n))
		}
	})

	t.Run("ErrDelegate", func(t *testing.T) {
		// Ensure a delegate may not correct: the physician decides (RC13).
		before := w.client.DoseRecord.Query().CountX(w.ctx)
		res := w.login(t, "delegue@test.fr").Do(correctDose, correction(mustAtoi(t, v2.CorrectDose.ID), 1500, "µSv", "Dosimètre témoin mal soustrait"))
		if code := res.Code(); code != "FORBIDDEN" && code != "FORBIDDEN_FIELD" {
			t.Errorf("code = %q, want FORBIDDEN", code)
		}
		if n := w.client.DoseRecord.Query().CountX(w.ctx); n != before {
			t.Errorf("dose records = %d, want %d", n, before)
		}
	})

	count := func() int { return w.client.DoseRecord.Query().CountX(w.ctx) }
	total := count()
	// The French messages a physician reads for a refused value.
	messages := map[string]string{
		"ErrPrecision": "La dose 1,2345 mSv est plus précise que le registre : sa précision est de 1 µSv (0,001 mSv). " +
			"Saisissez la dose arrondie au µSv, avec au plus 3 décimales en mSv et aucune en µSv.",
		"ErrPrecisionMicro": "La dose 0,5 µSv est plus précise que le registre : sa précision est de 1 µSv (0,001 mSv). " +
			"Saisissez la dose arrondie au µSv, avec au plus 3 décimales en mSv et aucune en µSv.",
		"ErrNegativeValue": "La dose « -2 mSv » est négative : une dose est positive ou nulle.",
	}
	for _, tc := range []struct {
		name, email string
		vars        map[string]any
		code, field string
	}{
		// Ensure a superseded version cannot be corrected again.
		{"ErrSuperseded", "medecin@test.fr", correction(w.doses[0].ID, 2, "mSv", "Encore"), "CONFLICT", "input.doseRecordID"},
		// Ensure the reason is required.
		{"ErrEmptyReason", "medecin@test.fr", correction(w.doses[1].ID, 2, "mSv", "   "), "BAD_USER_INPUT", "input.reason"},
		// Ensure a negative dose is refused on its field.
		{"ErrNegativeValue", "medecin@test.fr", correction(w.doses[1].ID, -2, "mSv", "Erreur"), "BAD_USER_INPUT", "input.value"},
		// Ensure precision below the µSv is refused rather than rounded.
		{"ErrPrecision", "medecin@test.fr", correction(w.doses[1].ID, 1.2345, "mSv", "Erreur"), "BAD_USER_INPUT", "input.value"},
		{"ErrPrecisionMicro", "medecin@test.fr", correction(w.doses[1].ID, 0.5, "µSv", "Erreur"), "BAD_USER_INPUT", "input.value"},
		{"ErrUnit", "medecin@test.fr", correction(w.doses[1].ID, 2, "Gy", "Erreur"), "BAD_USER_INPUT", "input.unit"},
		// Ensure a physician of another establishment does not even learn the record exists.
		{"ErrNotFollowed", "medecin2@test.fr", correction(w.doses[1].ID, 2, "mSv", "Erreur"), "NOT_FOUND", "input.doseRecordID"},
		// Ensure the roles that do not correct are refused the operation as a whole.
		{"ErrAdviser", "pcr@test.fr", correction(w.doses[1].ID, 2, "mSv", "Erreur"), "FORBIDDEN_FIELD", ""},
		{"ErrEmployer", "rh@test.fr", correction(w.doses[1].ID, 2, "mSv", "Erreur"), "FORBIDDEN_FIELD", ""},
		{"ErrLaboratory", "labo@test.fr", correction(w.doses[1].ID, 2, "mSv", "Erreur"), "FORBIDDEN_FIELD", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := w.login(t, tc.email).Do(correctDose, tc.vars)
			if res.Code() != tc.code {
				t.Fatalf("code = %q, want %s (%+v)", res.Code(), tc.code, res.Errors)
			}
			if f := res.Errors[0].Extensions["field"]; tc.field != "" && f != tc.field {
				t.Errorf("field = %v, want %s (%s)", f, tc.field, res.Errors[0].Message)
			}
			if want, ok := messages[tc.name]; ok && res.Errors[0].Message != want {
				t.Errorf("message = %q, want %q", res.Errors[0].Message, want)
			}
			if n := count(); n != total {
				t.Errorf("dose records = %d, want %d: nothing written", n, total)
			}
		})
	}
}

// TestAddDose ensures a physician adds a dose for a worker they follow, which
// counts in the worker's standing, and nothing for others.
func TestAddDose(t *testing.T) {
	w := mustCorrectionWorld(t)
	physician := w.login(t, "medecin@test.fr")
	const add = `mutation($in: AddDoseInput!) { addDose(input: $in) { id source version current valueUsv radionuclide correctionReason sectorCode } }`
	start := time.Date(time.Now().Year(), time.Now().Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0)
	input := func(worker, est int, kind, quantity, radionuclide string) map[string]any {
		in := map[string]any{"workerID": strconv.Itoa(worker), "establishmentID": strconv.Itoa(est), "monitoringKind": kind,
			"quantity": quantity, "periodStart": start.Format(time.DateOnly), "periodEnd": start.AddDate(0, 1, -1).Format(time.DateOnly),
			"value": 0.8, "unit": "mSv", "reason": "Dose engagée après contamination"}
		if radionuclide != "" {
			in["radionuclide"] = radionuclide
		}
		return map[string]any{"in": in}
	}
	t.Run("OK", func(t *testing.T) {
		// Ensure the added internal dose is stored as the physician's and counts
		// toward the effective dose.
		var out struct {
			AddDose struct {
				Source, Radionuclide, CorrectionReason string
				Version                                int
				Current                                bool
				ValueUsv                               int64
			}
		}
		physician.MustDo(add, input(w.worker.ID, w.est.ID, "INTERNAL", "E50", "I-131"), &out)
		if d := out.AddDose; d.Source != "PHYSICIAN" || d.Version != 1 || !d.Current || d.ValueUsv != 800 || d.Radionuclide != "I-131" {
			t.Errorf("added = %+v", d)
		}
		var f file
		physician.MustDo(workerFile, map[string]any{"id": strconv.Itoa(w.worker.ID)}, &f)
		if state, v := f.effective(t); state != "EXCEEDED" || math.Abs(v-21.8) > 1e-9 {
			t.Errorf("EFFECTIVE %s at %v mSv, want EXCEEDED at 21.8", state, v)
		}
	})
	total := w.client.DoseRecord.Query().CountX(w.ctx)
	for _, tc := range []struct {
		name        string
		vars        map[string]any
		code, field string
	}{
		// Ensure a radionuclide is refused outside internal monitoring.
		{"ErrRadionuclide", input(w.worker.ID, w.est.ID, "PASSIVE_WHOLE_BODY", "HP10", "Cs-137"), "BAD_USER_INPUT", "input.radionuclide"},
		// Ensure the quantity must suit the kind.
		{"ErrQuantity", input(w.worker.ID, w.est.ID, "EXTREMITY", "HP10", ""), "BAD_USER_INPUT", "input.quantity"},
		// Ensure the worker must be employed in the establishment then.
		{"ErrEstablishment", input(w.worker.ID, w.otherEst.ID, "PASSIVE_WHOLE_BODY", "HP10", ""), "BAD_USER_INPUT", "input.establishmentID"},
		// Ensure a worker the physician does not follow is not found.
		{"ErrNotFollowed", input(w.other.ID, w.otherEst.ID, "PASSIVE_WHOLE_BODY", "HP10", ""), "NOT_FOUND", "input.workerID"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := physician.Do(add, tc.vars)
			if res.Code() != tc.code || res.Errors[0].Extensions["field"] != tc.field {
				t.Fatalf("code = %q field = %v, want %s %s (%+v)", res.Code(), res.Errors[0].Extensions["field"], tc.code, tc.field, res.Errors)
			}
			if n := w.client.DoseRecord.Query().CountX(w.ctx); n != total {
				t.Errorf("dose records = %d, want %d", n, total)
			}
		})
	}
	t.Run("ErrEmployer", func(t *testing.T) {
		// Ensure an employer may not add doses at all.
		if res := w.login(t, "rh@test.fr").Do(add, input(w.worker.ID, w.est.ID, "PASSIVE_WHOLE_BODY", "HP10", "")); res.Code() != "FORBIDDEN_FIELD" {
			t.Errorf("code = %q, want FORBIDDEN_FIELD", res.Code())
		}
	})
}

// TestWorkerExposure ensures each role reads the standing its entitlements
// allow, and that the monthly history adds up to the records.
func TestWorkerExposure(t *testing.T) {
	w := mustCorrectionWorld(t)
	id := map[string]any{"id": strconv.Itoa(w.worker.ID)}
	t.Run("OKEmployerState", func(t *testing.T) {
		// Ensure an employer learns the state of each limit, not the value.
		var out struct {
			Node struct {
				Exposure []struct{ LimitCode, State string }
			}
		}
		w.login(t, "rh@test.fr").MustDo(`query($id: ID!) { node(id: $id) { ... on Worker { exposure { limitCode state } } } }`, id, &out)
		states := map[string]string{}
		for _, l := range out.Node.Exposure {
			states[l.LimitCode] = l.State
		}
		// The employer reads the limits exceeded and nothing of the others
		// (no band, RC11).
		if states["EFFECTIVE"] != "EXCEEDED" || len(states) != 1 {
			t.Errorf("states = %v, want EFFECTIVE EXCEEDED alone", states)
		}
	})
	t.Run("ErrEmployerValue", func(t *testing.T) {
		// Ensure selecting the value is refused to an employer (an adviser
		// reads the effective dose of the contract period: R.4451-69).
		for _, email := range []string{"rh@test.fr"} {
			res := w.login(t, email).Do(`query($id: ID!) { node(id: $id) { ... on Worker { exposure { limitCode valueMsv } } } }`, id)
			if res.Code() != "FORBIDDEN_FIELD" {
				t.Errorf("%s: code = %q, want FORBIDDEN_FIELD", email, res.Code())
			}
		}
	})
	t.Run("OKHistory", func(t *testing.T) {
		// Ensure the monthly sums match the current records, month by month.
		var out struct {
			Node struct {
				DoseHistory []struct {
					Month, MonitoringKind, Quantity string
					ValueMsv                        float64
					Records                         int
				}
			}
		}
		w.login(t, "medecin@test.fr").MustDo(`query($id: ID!) { node(id: $id) { ... on Worker {
			doseHistory { month monitoringKind quantity valueMsv records } } } }`, id, &out)
		want := map[string]float64{}
		for _, r := range w.client.DoseRecord.Query().Where(doserecord.WorkerID(w.worker.ID), doserecord.Current(true)).AllX(w.ctx) {
			want[r.PeriodEnd.Format("2006-01")] += float64(r.ValueUsv) / 1000
		}
		got := map[string]float64{}
		for _, m := range out.Node.DoseHistory {
			if m.MonitoringKind != "PASSIVE_WHOLE_BODY" || m.Quantity != "HP10" || m.Records != 1 {
				t.Errorf("month = %+v", m)
			}
			got[m.Month] = m.ValueMsv
		}
		if len(got) != 2 || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("history = %v, want %v", got, want)
		}
	})
	t.Run("ErrHistoryDates", func(t *testing.T) {
		// Ensure a reversed range is refused.
		res := w.login(t, "medecin@test.fr").Do(`query($id: ID!) { node(id: $id) { ... on Worker {
			doseHistory(from: "2025-06-01", to: "2025-01-01") { month } } } }`, id)
		if res.Code() != "BAD_USER_INPUT" {
			t.Errorf("code = %q, want BAD_USER_INPUT", res.Code())
		}
	})
}

// TestAddDoseNews ensures a physician's added dose is announced live once the
// mutation commits: the worker's exposure changed and the anomaly it raised.
func TestAddDoseNews(t *testing.T) {
	w := mustCorrectionWorld(t)
	physician := w.login(t, "medecin@test.fr")
	d := websocket.Dialer{Subprotocols: []string{"graphql-transport-ws"}}
	conn, _, err := d.Dial("ws"+strings.TrimPrefix(w.srv.URL, "http")+"/graphql", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	ws := &wsClient{t: t, conn: conn}
	_ = conn.WriteJSON(map[string]any{"type": "connection_init", "payload": map[string]any{"Authorization": "Bearer " + physician.Token}})
	if m := ws.next(5 * time.Second); m == nil || m["type"] != "connection_ack" {
		t.Fatalf("init: %v", m)
	}
	for id, q := range map[string]string{
		"exposure":  `subscription($w: ID!) { exposureChanged(workerID: $w) { id exposure { limitCode state } } }`,
		"anomalies": `subscription { anomalyRaised { anomaly { kind workerID } } }`,
	} {
		_ = conn.WriteJSON(map[string]any{"id": id, "type": "subscribe", "payload": map[string]any{
			"query": q, "variables": map[string]any{"w": strconv.Itoa(w.worker.ID)}}})
	}
	time.Sleep(300 * time.Millisecond) // the subscriptions are in place before the write
	start := time.Date(time.Now().Year(), time.Now().Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0)
	physician.MustDo(`mutation($in: AddDoseInput!) { addDose(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"workerID": strconv.Itoa(w.worker.ID), "establishmentID": strconv.Itoa(w.est.ID), "monitoringKind": "PASSIVE_WHOLE_BODY",
		"quantity": "HP10", "periodStart": start.Format(time.DateOnly), "periodEnd": start.AddDate(0, 1, -1).Format(time.DateOnly),
		"value": 2, "unit": "mSv", "reason": "Dosimètre perdu : dose estimée"}}, nil)
	got := map[string]string{}
	for len(got) < 2 {
		m := ws.next(10 * time.Second)
		if m == nil {
			t.Fatalf("events received: %v, want exposureChanged and anomalyRaised", got)
		}
		if m["type"] != "next" {
			continue
		}
		data := m["payload"].(map[string]any)["data"].(map[string]any)
		switch m["id"] {
		case "exposure":
			got["exposure"] = fmt.Sprint(data["exposureChanged"].(map[string]any)["id"])
		case "anomalies":
			a := data["anomalyRaised"].(map[string]any)["anomaly"].(map[string]any)
			if a["kind"] == "LIMIT_EXCEEDED" {
				got["anomalies"] = fmt.Sprint(a["workerID"])
			}
		}
	}
	if want := strconv.Itoa(w.worker.ID); got["exposure"] != want || got["anomalies"] != want {
		t.Errorf("events = %v, want both about worker %s", got, want)
	}
}
