package accesstest

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/server/servertest"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/apikey"
	"github.com/siseri/siseri/ent/employment"
	"github.com/siseri/siseri/ent/grant"
	"github.com/siseri/siseri/ent/nomenclature"
	"github.com/siseri/siseri/ent/worker"
	"github.com/siseri/siseri/policy"
)

// The oracle world is a second fixture, built to be checked by the SQL oracle
// (oracle_sql_test.go) rather than by rules over Go rows. Its doses are dated
// relative to today, so that the rolling 12-month windows, the pregnancy and
// the limit states are live. It is written through the paths people use:
// laboratories send their results with submitLabResults, physicians correct
// and add doses with correctDose and addDose, the nuclear operator declares an
// intervention and sends operational dosimetry; the registry then keeps the
// standings and raises findings itself. Only reference data, workers,
// employments and accounts are seeded directly.
//
// Company C1 has establishments E1 and E2 (region 84); company C2 has E3
// (region 11), a nuclear site. Laboratories LA and LB.
//
//   - WM moves between regions and companies: E1 (C1, 84) from 24 months
//     ago to the end of month −7, then E3 (C2, 11). Whole-body results at
//     both (LA at E1, LB at E3), internal dosimetry at both, a quarterly
//     extremity result across the move, an absent result at E3 replaced by a
//     physician's added dose, operational dosimetry at both sites. Over the
//     current 12 months he exceeds the effective-dose limit only when E1's,
//     E3's and the internal results are summed.
//   - WP, at E2, declared a pregnancy in month −5: 1 mSv or more since
//     (RC07). Her physician corrects one result (RC01), and LA re-sends it:
//     a correction conflict, pending.
//   - WS, at E1, approaches the effective-dose limit (RC11's X); he intervenes
//     for E1 on E3's site in month −4 (operational dosimetry shared with E1).
//   - WZ, at E1, has only below-threshold results, four dosimeters a month
//     (RC11's Y); her job is the only one of its statistical cell.
//   - WE and WE2, at E1, exceed the effective-dose limit (RC11's Z), by 5 %
//     and 50 %.
type oracleWorld struct {
	srv   *servertest.Server
	tally *tally
	today time.Time

	c1, c2             int
	e1, e2, e3         int
	siret              map[int]string
	la, lb             int
	wm, wp, ws, wz, we int
	we2                int
	people             map[int]person
	subjects           []*subject
	byName             map[string]*subject
	company            map[*subject]int   // company of a grant, for advisers by company
	extra              map[*subject][]int // establishments of a subject's further grants
	correction, resend int                // WP's physician correction and LA's re-send of it
	added              int                // WM's dose added by his physician
	pregMonth          time.Time
}

type person struct {
	nir, last, first, birth string
}

// mo returns the first day of the month k months before the current one.
func (o *oracleWorld) mo(k int) time.Time {
	t := time.Date(o.today.Year(), o.today.Month(), 1, 0, 0, 0, 0, time.UTC)
	return t.AddDate(0, -k, 0)
}

// endOfMonth returns the last day of t's month.
func endOfMonth(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1, -1)
}

func iso(t time.Time) string { return t.Format(time.DateOnly) }

// labRow is one row of submitLabResults.
func (o *oracleWorld) labRow(w int, est int, dosimeter, kind, quantity string, start, end time.Time, result, unit string) map[string]any {
	p := o.people[w]
	rec := end.AddDate(0, 0, 10)
	if rec.After(o.today) {
		rec = time.Date(o.today.Year(), o.today.Month(), o.today.Day(), 0, 0, 0, 0, time.UTC)
	}
	r := map[string]any{"nir": p.nir, "nom": p.last, "prenom": p.first, "dateNaissance": p.birth, "siret": o.siret[est],
		"dosimetre": dosimeter, "typeSuivi": kind, "grandeur": quantity, "debutPeriode": iso(start), "finPeriode": iso(end),
		"resultat": result, "unite": unit, "dateReception": iso(rec)}
	if kind == "INTERNE" {
		r["radionucleide"] = "Cs-137"
		r["commentaire"] = "Anthroporadiométrie"
	}
	return r
}

// monthly returns whole-body Hp(10) rows of worker w at est for months
// from..to months ago (from ≥ to), value(k) in mSv ("M" below threshold).
func (o *oracleWorld) monthly(w, est int, dosimeter string, from, to int, value func(k int) string) []map[string]any {
	var out []map[string]any
	for k := from; k >= to; k-- {
		v := value(k)
		unit := "mSv"
		if v == "M" {
			unit = ""
		}
		out = append(out, o.labRow(w, est, dosimeter, "PASSIF_CORPS_ENTIER", "HP10", o.mo(k), endOfMonth(o.mo(k)), v, unit))
	}
	return out
}

func mustBuildOracleWorld(t *testing.T, tl *tally) *oracleWorld {
	t.Helper()
	db := storetest.MustOpen(t)
	srv := servertest.MustStart(t, db)
	c := db.Client
	ctx := policy.SystemContext(context.Background())
	now := time.Now().UTC()
	o := &oracleWorld{srv: srv, tally: tl, today: now, siret: map[int]string{}, people: map[int]person{},
		byName: map[string]*subject{}, company: map[*subject]int{}, extra: map[*subject][]int{}}

	mkCompany := func(prefix, name string) (int, string) {
		siren := prefix + luhnDigit(prefix)
		return c.Company.Create().SetSiren(siren).SetName(name).SaveX(ctx).ID, siren
	}
	var s1, s2 string
	o.c1, s1 = mkCompany("44306184", "Groupe Nord")
	o.c2, s2 = mkCompany("38734718", "Énergie Ouest")
	mkEst := func(siren, nic, name, region string, company int) int {
		p := siren + nic
		siret := p + luhnDigit(p)
		id := c.Establishment.Create().SetSiret(siret).SetName(name).SetRegion(region).SetCompanyID(company).SaveX(ctx).ID
		o.siret[id] = siret
		return id
	}
	o.e1 = mkEst(s1, "0001", "Clinique E1", "84", o.c1)
	o.e2 = mkEst(s1, "0002", "Clinique E2", "84", o.c1)
	o.e3 = mkEst(s2, "0001", "Centrale E3", "11", o.c2)
	o.la = c.Laboratory.Create().SetCode("LA").SetName("Laboratoire A").SaveX(ctx).ID
	o.lb = c.Laboratory.Create().SetCode("LB").SetName("Laboratoire B").SaveX(ctx).ID
	for _, n := range []struct{ kind, code, label, parent string }{
		{"SECTOR", "S01", "Médical", ""}, {"JOB", "J01", "Manipulateur", "S01"}, {"JOB", "J03", "Dentiste", "S01"},
	} {
		q := c.Nomenclature.Create().SetKind(nomenclature.Kind(n.kind)).SetVersion("2019").SetCode(n.code).SetLabel(n.label).
			SetValidFrom(day("2019-01-01"))
		if n.parent != "" {
			q.SetParentCode(n.parent)
		}
		q.SaveX(ctx)
	}

	mkWorker := func(nir13, last, first, birth, sex string) int {
		n := nir(nir13)
		id := c.Worker.Create().SetIdentifierKind("NIR").SetNir(n).SetLastName(last).SetFirstNames(first).
			SetBirthDate(day(birth)).SetSex(worker.Sex(sex)).SaveX(ctx).ID
		o.people[id] = person{nir: n, last: last, first: first, birth: birth}
		return id
	}
	o.wm = mkWorker("1840369123001", "Mobile", "Marc", "1984-03-12", "M")
	o.wp = mkWorker("2920669123002", "Durand", "Pauline", "1992-06-20", "F")
	o.ws = mkWorker("1800169123003", "Stable", "Sylvain", "1980-01-05", "M")
	o.wz = mkWorker("2950269123004", "Zéro", "Zoé", "1995-02-14", "F")
	o.we = mkWorker("1750769123005", "Excès", "Éric", "1975-07-01", "M")
	o.we2 = mkWorker("2880969123006", "Haute", "Emma", "1988-09-09", "F")

	mkEmp := func(w, est int, start time.Time, end *time.Time, job string, pregnancy *time.Time) {
		class := "A"
		if est == o.e3 {
			class = "B" // WM's classification at E3 is to be reviewed
		}
		q := c.Employment.Create().SetWorkerID(w).SetEstablishmentID(est).SetStartDate(start).SetNillableEndDate(end).
			SetContractType("CDI").SetNomenclatureVersion("2019").SetSectorCode("S01").SetJobCode(job).
			SetClassification(employment.Classification(class)).SetMonitoringKinds([]string{"PASSIVE_WHOLE_BODY"}).SetNillablePregnancyDeclaredOn(pregnancy)
		q.SaveX(ctx)
	}
	o.pregMonth = o.mo(5)
	mkEmp(o.wm, o.e1, o.mo(24), ptr(o.mo(6).AddDate(0, 0, -1)), "J01", nil)
	mkEmp(o.wm, o.e3, o.mo(6), nil, "J01", nil)
	mkEmp(o.wp, o.e2, o.mo(30), nil, "J01", ptr(o.mo(5).AddDate(0, 0, 9)))
	mkEmp(o.ws, o.e1, o.mo(40), nil, "J01", nil)
	mkEmp(o.wz, o.e1, o.mo(20), nil, "J03", nil)
	mkEmp(o.we, o.e1, o.mo(36), nil, "J01", nil)
	mkEmp(o.we2, o.e1, o.mo(36), nil, "J01", nil)

	o.mustSubjects(t, c, ctx)
	o.mustSendResults(t)
	return o
}

// mustSubjects creates one account per role and scope, signs them in, and
// adds the anonymous caller and one laboratory key.
func (o *oracleWorld) mustSubjects(t *testing.T, c *ent.Client, ctx context.Context) {
	t.Helper()
	type acct struct {
		name    string
		role    policy.Role
		set     func(*ent.GrantCreate)
		company int
	}
	var physicianE3 int
	accts := []acct{
		{"worker(WM)", policy.RoleWorker, func(g *ent.GrantCreate) { g.SetWorkerID(o.wm) }, 0},
		{"worker(WP)", policy.RoleWorker, func(g *ent.GrantCreate) { g.SetWorkerID(o.wp) }, 0},
		{"physician(E1)", policy.RolePhysician, func(g *ent.GrantCreate) { g.SetEstablishmentID(o.e1) }, 0},
		{"physician(E2)", policy.RolePhysician, func(g *ent.GrantCreate) { g.SetEstablishmentID(o.e2) }, 0},
		{"physician(E3)", policy.RolePhysician, func(g *ent.GrantCreate) { g.SetEstablishmentID(o.e3) }, 0},
		{"delegate(E3)", policy.RoleDelegate, func(g *ent.GrantCreate) {
			g.SetDelegatedFromID(physicianE3).SetEstablishmentID(o.e3).SetValidTo(time.Now().Add(30 * 24 * time.Hour))
		}, 0},
		{"adviser(E1)", policy.RoleRPA, func(g *ent.GrantCreate) { g.SetEstablishmentID(o.e1) }, 0},
		{"adviser(E3)", policy.RoleRPA, func(g *ent.GrantCreate) { g.SetEstablishmentID(o.e3) }, 0},
		{"adviser(C1)", policy.RoleRPA, func(g *ent.GrantCreate) { g.SetCompanyID(o.c1) }, o.c1},
		// An adviser designated for E1 and for E3 (two grants): the second
		// is revoked while a socket is open (testRevocation).
		{"adviser(E1+E3)", policy.RoleRPA, func(g *ent.GrantCreate) { g.SetEstablishmentID(o.e1) }, 0},
		{"employer(E1)", policy.RoleEmployer, func(g *ent.GrantCreate) { g.SetEstablishmentID(o.e1) }, 0},
		{"employer(E2)", policy.RoleEmployer, func(g *ent.GrantCreate) { g.SetEstablishmentID(o.e2) }, 0},
		{"employer(E3)", policy.RoleEmployer, func(g *ent.GrantCreate) { g.SetEstablishmentID(o.e3) }, 0},
		{"laboratory(LA)", policy.RoleLaboratory, func(g *ent.GrantCreate) { g.SetLaboratoryID(o.la) }, 0},
		{"laboratory(LB)", policy.RoleLaboratory, func(g *ent.GrantCreate) { g.SetLaboratoryID(o.lb) }, 0},
		{"control-agent(84)", policy.RoleControlAgent, func(g *ent.GrantCreate) { g.SetRegion("84") }, 0},
		{"control-agent(11)", policy.RoleControlAgent, func(g *ent.GrantCreate) { g.SetRegion("11") }, 0},
		{"analyst", policy.RoleAnalyst, nil, 0},
		{"admin", policy.RoleAdmin, nil, 0},
		{"labour-ministry", policy.RoleLabourMinistry, nil, 0},
	}
	for i, a := range accts {
		email := fmt.Sprintf("oracle%02d@test.fr", i)
		acc := servertest.MustCreateAccount(t, c, email, a.role, a.set)
		g := c.Grant.Query().Where(grant.AccountID(acc.ID)).OnlyX(ctx)
		if a.name == "physician(E3)" {
			physicianE3 = g.ID
		}
		s := &subject{name: a.name, role: a.role, account: acc.ID, grant: g.ID}
		if g.EstablishmentID != nil {
			s.est = *g.EstablishmentID
		}
		if g.WorkerID != nil {
			s.worker = *g.WorkerID
			c.Account.UpdateOneID(acc.ID).SetWorkerID(s.worker).ExecX(ctx)
		}
		if g.LaboratoryID != nil {
			s.lab = *g.LaboratoryID
		}
		if g.Region != nil {
			s.region = *g.Region
		}
		o.company[s] = a.company
		if a.name == "adviser(E1+E3)" {
			c.Grant.Create().SetAccountID(acc.ID).SetRole(a.role).SetEstablishmentID(o.e3).
				SetValidFrom(time.Now().Add(-24 * time.Hour)).SaveX(ctx)
			o.extra[s] = []int{o.e3}
		}
		s.client = o.srv.NewClient(t)
		s.client.MustLogin(email, servertest.Password)
		o.subjects = append(o.subjects, s)
		o.byName[s.name] = s
	}
	// A laboratory's LIMS reads through a partner key (RC01 applies to it too).
	la := o.byName["laboratory(LA)"]
	token, _, err := o.srv.App.Auth().NewAPIKey(ctx, la.account, la.grant, "LIMS A", apikey.Profile(policy.ProfileLaboratorySystem), nil, 100000)
	if err != nil {
		t.Fatalf("create key: %v", err)
	}
	key := *la
	key.name, key.profile = "key:laboratory-system(LA)", policy.ProfileLaboratorySystem
	key.client = o.srv.NewClient(t)
	key.client.Token = token
	o.subjects = append(o.subjects, &key)
	o.byName[key.name] = &key
	o.company[&key] = 0
	anon := &subject{name: "anonymous", client: o.srv.NewClient(t)}
	o.subjects = append(o.subjects, anon)
	o.byName[anon.name] = anon
}

// mustSendResults writes the doses through the API, as laboratories,
// physicians and the operator do.
func (o *oracleWorld) mustSendResults(t *testing.T) {
	t.Helper()
	mSv := func(v float64) func(int) string {
		return func(int) string { return strconv.FormatFloat(v, 'f', -1, 64) }
	}
	// LA: E1 and E2.
	var la []map[string]any
	la = append(la, o.monthly(o.wm, o.e1, "A-WM", 18, 12, mSv(1.0))...)
	la = append(la, o.monthly(o.wm, o.e1, "A-WM", 11, 7, mSv(2.5))...)
	la = append(la, o.labRow(o.wm, o.e1, "", "INTERNE", "E50", o.mo(9), endOfMonth(o.mo(9)), "0.8", "mSv"))
	// A quarterly ring across the move (months −8 to −6): E1's employment covers part of it.
	la = append(la, o.labRow(o.wm, o.e1, "R-WM", "EXTREMITES", "HP007", o.mo(8), endOfMonth(o.mo(6)), "40", "mSv"))
	la = append(la, o.monthly(o.wp, o.e2, "A-WP", 12, 1, mSv(0.2))...)
	la = append(la, o.monthly(o.ws, o.e1, "A-WS", 12, 1, mSv(1.5))...)
	// WZ: monthly, then weekly wearing periods for the last six months, all
	// below the recording threshold.
	la = append(la, o.monthly(o.wz, o.e1, "A-WZ", 12, 7, func(int) string { return "M" })...)
	for start := o.mo(6); start.Before(o.mo(0)); {
		end := start.AddDate(0, 0, 6)
		if end.Month() != start.Month() {
			end = endOfMonth(start)
		}
		la = append(la, o.labRow(o.wz, o.e1, "A-WZ", "PASSIF_CORPS_ENTIER", "HP10", start, end, "M", ""))
		start = end.AddDate(0, 0, 1)
	}
	la = append(la, o.monthly(o.we, o.e1, "A-WE", 12, 1, mSv(1.75))...)
	la = append(la, o.monthly(o.we2, o.e1, "A-WE2", 12, 1, mSv(2.5))...)
	o.mustSubmitLab(t, "laboratory(LA)", "LA-1", la)

	// LB: E3.
	var lb []map[string]any
	lb = append(lb, o.monthly(o.wm, o.e3, "B-WM", 6, 1, mSv(1.2))...)
	lb = append(lb, o.labRow(o.wm, o.e3, "", "INTERNE", "E50", o.mo(3), endOfMonth(o.mo(3)), "1.0", "mSv"))
	lb = append(lb, o.labRow(o.wm, o.e3, "N-WM", "NEUTRONS", "HP10", o.mo(2), endOfMonth(o.mo(2)), "ABSENT", ""))
	o.mustSubmitLab(t, "laboratory(LB)", "LB-1", lb)

	// WM's physician adds an estimate for the neutron dosimeter not returned.
	var added struct{ AddDose struct{ ID string } }
	o.byName["physician(E3)"].client.MustDo(`mutation($in: AddDoseInput!) { addDose(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"workerID": o.wm, "establishmentID": o.e3, "monitoringKind": "NEUTRON", "quantity": "HP10",
		"periodStart": iso(o.mo(2)), "periodEnd": iso(endOfMonth(o.mo(2))), "value": 0.4, "unit": "mSv",
		"reason": "Estimation : dosimètre neutrons non retourné"}}, &added)
	o.tally.requests++
	o.added = parseID(added.AddDose.ID)

	// WP's physician corrects her month −2; LA re-sends its value: a conflict.
	var list struct {
		DoseRecords struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	mdt := o.byName["physician(E2)"]
	mdt.client.MustDo(`query($w: ID!, $from: Date!, $to: Date!) { doseRecords(first: 5, where: {workerID: $w, periodStart: $from, periodEnd: $to}) { edges { node { id } } } }`,
		map[string]any{"w": o.wp, "from": iso(o.mo(2)), "to": iso(endOfMonth(o.mo(2)))}, &list)
	o.tally.requests++
	if len(list.DoseRecords.Edges) != 1 {
		t.Fatalf("oracle world: WP's month −2 result: %+v", list)
	}
	var corr struct{ CorrectDose struct{ ID string } }
	mdt.client.MustDo(`mutation($in: CorrectDoseInput!) { correctDose(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"doseRecordID": list.DoseRecords.Edges[0].Node.ID, "value": 0.35, "unit": "mSv",
		"reason": "Dosimètre témoin mal soustrait (grossesse déclarée)"}}, &corr)
	o.tally.requests++
	o.correction = parseID(corr.CorrectDose.ID)
	o.mustSubmitLab(t, "laboratory(LA)", "LA-2", []map[string]any{
		o.labRow(o.wp, o.e2, "A-WP", "PASSIF_CORPS_ENTIER", "HP10", o.mo(2), endOfMonth(o.mo(2)), "0.25", "mSv")})

	// E3, a nuclear site, declares WS's intervention for E1 in month −4 and
	// sends operational dosimetry.
	ws := o.people[o.ws]
	var iv struct{ DeclareIntervention struct{ ID string } }
	o.byName["employer(E3)"].client.MustDo(`mutation($in: DeclareInterventionInput!) { declareIntervention(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"siteEstablishmentID": o.e3, "contractorSiret": o.siret[o.e1], "nir": ws.nir,
			"lastName": ws.last, "firstNames": ws.first, "birthDate": ws.birth,
			"startDate": iso(o.mo(4)), "endDate": iso(o.mo(4).AddDate(0, 0, 19))}}, &iv)
	o.tally.requests++
	op := func(w, est int, serial string, start time.Time, days int, v string) map[string]any {
		p := o.people[w]
		return map[string]any{"nir": p.nir, "nom": p.last, "prenom": p.first, "siret": o.siret[est], "dosimetre": serial,
			"debut": start.Add(8 * time.Hour).Format("2006-01-02T15:04:05"), "fin": start.AddDate(0, 0, days).Add(17 * time.Hour).Format("2006-01-02T15:04:05"),
			"resultat": v, "unite": "mSv"}
	}
	o.mustSubmitOp(t, "employer(E3)", "E3-OP-1", []map[string]any{
		op(o.wm, o.e3, "OP-E3-1", o.mo(2).AddDate(0, 0, 2), 4, "0.03"),
		op(o.ws, o.e3, "OP-E3-2", o.mo(4).AddDate(0, 0, 2), 4, "0.02"),
		op(o.ws, o.e3, "OP-E3-2", o.mo(4).AddDate(0, 0, 9), 4, "0.015"),
	})
	// E1's adviser sends E1's, by delegation of the employer (docs/formats.md § 5).
	o.mustSubmitOp(t, "adviser(E1)", "E1-OP-1", []map[string]any{
		op(o.ws, o.e1, "OP-E1-1", o.mo(5).AddDate(0, 0, 2), 4, "0.05"),
		op(o.wm, o.e1, "OP-E1-2", o.mo(9).AddDate(0, 0, 2), 4, "0.04"),
	})
}

type importReport struct {
	Status       string
	RowsAccepted int
	RowsRejected int
	Problems     []struct {
		Line          int
		Code, Message string
	}
}

func (o *oracleWorld) mustSubmitLab(t *testing.T, who, ref string, rows []map[string]any) {
	t.Helper()
	var out struct{ SubmitLabResults importReport }
	o.byName[who].client.MustDo(`mutation($ref: String!, $rows: [LabResultInput!]!) { submitLabResults(reference: $ref, rows: $rows) {
	  status rowsAccepted rowsRejected problems { line code message } } }`, map[string]any{"ref": ref, "rows": rows}, &out)
	o.tally.requests++
	if r := out.SubmitLabResults; r.RowsAccepted != len(rows) {
		t.Fatalf("oracle world: %s %s accepted %d of %d rows: %+v", who, ref, r.RowsAccepted, len(rows), r.Problems)
	}
}

func (o *oracleWorld) mustSubmitOp(t *testing.T, who, ref string, rows []map[string]any) {
	t.Helper()
	var out struct{ SubmitOperationalDoses importReport }
	o.byName[who].client.MustDo(`mutation($ref: String!, $rows: [OperationalDoseInput!]!) { submitOperationalDoses(reference: $ref, rows: $rows) {
	  status rowsAccepted rowsRejected problems { line code message } } }`, map[string]any{"ref": ref, "rows": rows}, &out)
	o.tally.requests++
	if r := out.SubmitOperationalDoses; r.RowsAccepted != len(rows) {
		t.Fatalf("oracle world: %s %s accepted %d of %d rows: %+v", who, ref, r.RowsAccepted, len(rows), r.Problems)
	}
}
