package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/seed"
	"github.com/siseri/siseri/backend/server/servertest"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/account"
	"github.com/siseri/siseri/ent/grant"
	"github.com/siseri/siseri/policy"
)

// regWorld is the registry the worked regulatory cases of
// ../shared/REGULATION-CASES.md run on: two establishments of two regions,
// a laboratory, and an account of every role. Everything the cases do goes
// through the public GraphQL API: employers declare workers, the laboratory
// sends its results (with their date of receipt), people read and decide.
// Only the reference data (establishments, laboratory, nomenclature) and the
// accounts are set up directly, as an administrator would.
type regWorld struct {
	srv        *servertest.Server
	client     *ent.Client
	ctx        context.Context
	estA, estB *ent.Establishment
	labID      int
	sessions   map[string]*servertest.Client
	n          int
	now        time.Time
	t          *testing.T
}

// Accounts of the regulation world.
const (
	regPhysician = "medecin@reg.fr"
	regDelegate  = "infirmier@reg.fr"
	regAdviserA  = "pcr-a@reg.fr"
	regAdviserB  = "pcr-b@reg.fr"
	regEmployerA = "rh-a@reg.fr"
	regEmployerB = "rh-b@reg.fr"
	regLab       = "labo@reg.fr"
	regInspector = "inspection-84@reg.fr"
	regAdmin     = "admin@reg.fr"
	regAnalyst   = "analyste@reg.fr"
	regMinistry  = "dgt@reg.fr"
	siretA       = "73282932000074"
	siretB       = "35600000000048"
)

func mustRegWorld(t *testing.T) *regWorld {
	t.Helper()
	db := storetest.MustOpen(t)
	w := &regWorld{srv: servertest.MustStart(t, db), client: db.Client, ctx: policy.SystemContext(context.Background()),
		sessions: map[string]*servertest.Client{}, now: time.Now().UTC(), t: t}
	c := db.Client
	if err := seed.CreateNomenclature(w.ctx, c); err != nil {
		t.Fatal(err)
	}
	w.estA = c.Establishment.Create().SetSiret(siretA).SetName("Centre hospitalier A").SetRegion("84").SaveX(w.ctx)
	w.estB = c.Establishment.Create().SetSiret(siretB).SetName("Clinique B").SetRegion("11").SaveX(w.ctx)
	w.labID = c.Laboratory.Create().SetCode("LABREG").SetName("Laboratoire de dosimétrie").SaveX(w.ctx).ID
	est := func(id int) func(*ent.GrantCreate) { return func(g *ent.GrantCreate) { g.SetEstablishmentID(id) } }
	servertest.MustCreateAccount(t, c, regPhysician, policy.RolePhysician, est(w.estA.ID))
	doctor := c.Grant.Query().Where(grant.HasAccountWith(account.Email(regPhysician))).OnlyX(w.ctx)
	c.Grant.Create().SetAccountID(doctor.AccountID).SetRole(policy.RolePhysician).SetEstablishmentID(w.estB.ID).
		SetValidFrom(time.Now().Add(-24 * time.Hour)).ExecX(w.ctx)
	servertest.MustCreateAccount(t, c, regDelegate, policy.RoleDelegate, func(g *ent.GrantCreate) {
		g.SetEstablishmentID(w.estA.ID).SetDelegatedFromID(doctor.ID)
	})
	servertest.MustCreateAccount(t, c, regAdviserA, policy.RoleRPA, est(w.estA.ID))
	servertest.MustCreateAccount(t, c, regAdviserB, policy.RoleRPA, est(w.estB.ID))
	servertest.MustCreateAccount(t, c, regEmployerA, policy.RoleEmployer, est(w.estA.ID))
	servertest.MustCreateAccount(t, c, regEmployerB, policy.RoleEmployer, est(w.estB.ID))
	servertest.MustCreateAccount(t, c, regLab, policy.RoleLaboratory, func(g *ent.GrantCreate) { g.SetLaboratoryID(w.labID) })
	servertest.MustCreateAccount(t, c, regInspector, policy.RoleControlAgent, func(g *ent.GrantCreate) { g.SetRegion("84") })
	servertest.MustCreateAccount(t, c, regAdmin, policy.RoleAdmin, nil)
	servertest.MustCreateAccount(t, c, regAnalyst, policy.RoleAnalyst, nil)
	servertest.MustCreateAccount(t, c, regMinistry, policy.RoleLabourMinistry, nil)
	return w
}

// as returns a signed-in client of account email (one session per account:
// logins are rate-limited). Its Do is safe in any subtest; use must rather
// than its MustDo, which fails the test the client was made in.
func (w *regWorld) as(t *testing.T, email string) *servertest.Client {
	t.Helper()
	if w.sessions[email] == nil {
		c := w.srv.NewClient(w.t)
		c.MustLogin(email, servertest.Password)
		w.sessions[email] = c
	}
	return w.sessions[email]
}

// must runs an operation as email, fails t on any error, and decodes the data
// into out when not nil.
func (w *regWorld) must(t *testing.T, email, query string, vars map[string]any, out any) {
	t.Helper()
	res := w.as(t, email).Do(query, vars)
	if len(res.Errors) > 0 {
		t.Fatalf("as %s: unexpected errors: %+v\nquery: %s", email, res.Errors, query)
	}
	if out != nil {
		if err := json.Unmarshal(res.Data, out); err != nil {
			t.Fatalf("decode data: %v\n%s", err, res.Data)
		}
	}
}

// month returns the first day of the month k months before the current one.
func (w *regWorld) month(k int) time.Time {
	return time.Date(w.now.Year(), w.now.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -k, 0)
}

func lastDayOf(m time.Time) time.Time { return m.AddDate(0, 1, -1) }

// person is a worker as employers declare them and laboratories name them.
type person struct {
	nir, last, first string
	birth            time.Time
	sex              string
	id               int
}

// newPerson makes a distinct person born on birth (a valid NIR, a distinct
// name).
func (w *regWorld) newPerson(birth time.Time, sex string) *person {
	w.n++
	digit := "2"
	if sex == "M" {
		digit = "1"
	}
	nir := validNIR(fmt.Sprintf("%s%02d%02d75056%03d", digit, birth.Year()%100, int(birth.Month()), w.n))
	return &person{nir: nir, last: "Durand" + strings.Repeat("e", w.n%7) + string(rune('a'+w.n%26)), first: "Camille",
		birth: birth, sex: sex}
}

// declare has the employer of siret declare p employed there from start to
// end (open when end is zero), through the bulk declarations API, and
// records p's worker id.
func (w *regWorld) declare(t *testing.T, employer, siret string, p *person, start, end time.Time) {
	t.Helper()
	row := map[string]any{"siret": siret, "nir": p.nir, "nom": p.last, "prenom": p.first,
		"dateNaissance": p.birth.Format(time.DateOnly), "sexe": p.sex, "dateDebut": start.Format(time.DateOnly),
		"typeContrat": "CDI", "secteur": "MED-RI", "metier": "CARDIO-INT", "categorie": "A"}
	if !end.IsZero() {
		row["dateFin"] = end.Format(time.DateOnly)
	}
	var out struct{ SubmitDeclarations reportOut }
	w.must(t, employer, `mutation($ref: String!, $rows: [DeclarationInput!]!) { submitDeclarations(reference: $ref, rows: $rows) {
		status rowsAccepted problems { line column value code message severity } } }`,
		map[string]any{"ref": fmt.Sprintf("DECL-%s-%s", p.nir, start.Format("20060102")), "rows": []any{row}}, &out)
	if r := out.SubmitDeclarations; r.Status != "ACCEPTED" {
		t.Fatalf("declaration of %s: %s %+v", p.last, r.Status, r.Problems)
	}
	var found struct {
		Workers struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	w.must(t, employer, `query($nir: String!) { workers(first: 2, where: {nir: $nir}) { edges { node { id } } } }`,
		map[string]any{"nir": p.nir}, &found)
	if len(found.Workers.Edges) != 1 {
		t.Fatalf("declared worker %s not found", p.nir)
	}
	p.id = mustAtoi(t, found.Workers.Edges[0].Node.ID)
}

// declarePregnancy has the employer record a pregnancy on p's employment
// (ended zero while it lasts).
func (w *regWorld) declarePregnancy(t *testing.T, employer string, p *person, declared, ended time.Time) {
	t.Helper()
	var out struct {
		Node struct {
			Employments struct {
				Edges []struct{ Node struct{ ID string } }
			}
		}
	}
	w.must(t, employer, `query($id: ID!) { node(id: $id) { ... on Worker { employments(first: 5) { edges { node { id } } } } } }`,
		map[string]any{"id": strconv.Itoa(p.id)}, &out)
	in := map[string]any{"pregnancyDeclaredOn": declared.Format(time.DateOnly)}
	if !ended.IsZero() {
		in["pregnancyEndedOn"] = ended.Format(time.DateOnly)
	}
	for _, e := range out.Node.Employments.Edges {
		w.must(t, employer, `mutation($id: ID!, $in: UpdateEmploymentInput!) { updateEmployment(id: $id, input: $in) { id } }`,
			map[string]any{"id": e.Node.ID, "in": in}, nil)
	}
}

// result is one laboratory result to send.
type result struct {
	p                *person
	siret, dosimeter string
	kind, quantity   string
	start, end       time.Time
	value, unit      string
	received         time.Time // date_reception; zero: left empty
}

// monthly is a whole-body Hp(10) result of the month starting on m, in mSv,
// received ten days after its end.
func monthly(p *person, siret string, m time.Time, msv string) result {
	return result{p: p, siret: siret, dosimeter: "D" + p.nir[:6] + p.nir[10:13], kind: "PASSIF_CORPS_ENTIER", quantity: "HP10",
		start: m, end: lastDayOf(m), value: msv, unit: "mSv", received: lastDayOf(m).AddDate(0, 0, 10)}
}

func (r result) row() map[string]any {
	row := map[string]any{"nir": r.p.nir, "nom": r.p.last, "prenom": r.p.first, "dateNaissance": r.p.birth.Format(time.DateOnly),
		"siret": r.siret, "dosimetre": r.dosimeter, "typeSuivi": r.kind, "grandeur": r.quantity,
		"debutPeriode": r.start.Format(time.DateOnly), "finPeriode": r.end.Format(time.DateOnly), "resultat": r.value, "unite": r.unit}
	if !r.received.IsZero() {
		// Results of last month cannot have been received in the future.
		day := r.received
		if today := time.Now().UTC().Truncate(24 * time.Hour); day.After(today) {
			day = today
		}
		row["dateReception"] = day.Format(time.DateOnly)
	}
	return row
}

// labReport is the part of an execution report the cases read.
type labReport struct {
	Status                     string
	RowsAccepted, RowsRejected int
	AnomaliesRaised            int
	Problems                   []struct {
		Line                                   int
		Column, Value, Code, Message, Severity string
	}
}

// send submits results as the laboratory under reference ref (history with
// the administrator when history is set) and returns the report.
func (w *regWorld) send(t *testing.T, ref string, rs ...result) labReport {
	t.Helper()
	rows := make([]any, len(rs))
	for i, r := range rs {
		rows[i] = r.row()
	}
	var out struct{ SubmitLabResults labReport }
	w.must(t, regLab, `mutation($ref: String!, $rows: [LabResultInput!]!) { submitLabResults(reference: $ref, rows: $rows) {
		status rowsAccepted rowsRejected anomaliesRaised problems { line column value code message severity } } }`,
		map[string]any{"ref": ref, "rows": rows}, &out)
	return out.SubmitLabResults
}

// standing is one limit of Worker.exposure.
type standing struct {
	LimitCode, State       string
	ValueMsv               *float64
	LimitMsv               float64
	WindowStart, WindowEnd string
}

// exposure reads p's standings as email, by limit code.
func (w *regWorld) exposure(t *testing.T, email string, p *person) map[string]standing {
	t.Helper()
	var out struct {
		Node struct{ Exposure []standing }
	}
	w.must(t, email, `query($id: ID!) { node(id: $id) { ... on Worker { exposure { limitCode state valueMsv limitMsv windowStart windowEnd } } } }`,
		map[string]any{"id": strconv.Itoa(p.id)}, &out)
	m := map[string]standing{}
	for _, s := range out.Node.Exposure {
		m[s.LimitCode] = s
	}
	return m
}

// finding is an anomaly as the physician reads it.
type finding struct {
	ID, Kind, Status, Explanation string
	PeriodStart, PeriodEnd        *string
	Reference                     map[string]any
}

// anomalies reads p's anomalies of kind (all kinds when empty) as the physician.
func (w *regWorld) anomalies(t *testing.T, p *person, kind string) []finding {
	t.Helper()
	where := map[string]any{"workerID": strconv.Itoa(p.id)}
	if kind != "" {
		where["kind"] = kind
	}
	var out struct {
		Anomalies struct{ Edges []struct{ Node finding } }
	}
	w.must(t, regPhysician, `query($where: AnomalyWhereInput) { anomalies(first: 100, where: $where) {
		edges { node { id kind status explanation periodStart periodEnd reference } } } }`, map[string]any{"where": where}, &out)
	var fs []finding
	for _, e := range out.Anomalies.Edges {
		fs = append(fs, e.Node)
	}
	return fs
}

// doseRow is a dose of record as a role lists it.
type doseRow struct {
	ID, Source, MonitoringKind, Quantity, PeriodStart, PeriodEnd string
	ValueMsv                                                     *float64
	Current, Pending                                             bool
	Version                                                      int
}

// doses lists p's dose records (all versions) as email.
func (w *regWorld) doses(t *testing.T, email string, p *person) []doseRow {
	t.Helper()
	var out struct {
		DoseRecords struct{ Edges []struct{ Node doseRow } }
	}
	w.must(t, email, `query($where: DoseRecordWhereInput) { doseRecords(first: 500, where: $where, orderBy: [{field: PERIOD_START, direction: ASC}]) {
		edges { node { id source monitoringKind quantity periodStart periodEnd valueMsv current pending version } } } }`,
		map[string]any{"where": map[string]any{"workerID": strconv.Itoa(p.id)}}, &out)
	var ds []doseRow
	for _, e := range out.DoseRecords.Edges {
		ds = append(ds, e.Node)
	}
	return ds
}

// subscribe opens a graphql-transport-ws subscription as email.
func (w *regWorld) subscribe(t *testing.T, email, query string) *wsClient {
	t.Helper()
	return dialSubscription(t, w.srv, w.as(t, email).Token, query, map[string]any{})
}

func msvOf(v *float64) float64 {
	if v == nil {
		return -1
	}
	return *v
}

func refFloat(m map[string]any, keys ...string) float64 {
	var cur any = m
	for _, k := range keys {
		mm, ok := cur.(map[string]any)
		if !ok {
			return -1
		}
		cur = mm[k]
	}
	switch v := cur.(type) {
	case float64:
		return v
	case json.Number:
		f, _ := v.Float64()
		return f
	}
	return -1
}

func refString(m map[string]any, keys ...string) string {
	var cur any = m
	for _, k := range keys {
		mm, ok := cur.(map[string]any)
		if !ok {
			return ""
		}
		cur = mm[k]
	}
	s, _ := cur.(string)
	return s
}
