// Package accesstest is the generated authorization matrix of SISERI: every
// role and partner profile, every GraphQL field, every fixture row, through the
// real HTTP handler on PostgreSQL, against an entitlement table and row rules
// written independently from policy.csv and policy/scope (DOMAIN.md §1.3).
package accesstest

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/server/servertest"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/anomaly"
	"github.com/siseri/siseri/ent/apikey"
	"github.com/siseri/siseri/ent/exposuresummary"
	"github.com/siseri/siseri/ent/grant"
	"github.com/siseri/siseri/ent/importbatch"
	"github.com/siseri/siseri/policy"
)

// The world: one company with establishments A and B (region 84), an
// unrelated establishment C (region 11), laboratories L1 and L2, and three
// workers. W1 moves from A (2024-01-01 → 2024-06-30) to B (2024-07-01 → open),
// W2 stays at A, W3 is at C. W2 intervenes for A on B's site in September
// 2024 (an outside company's worker on an operator's site); the ministry of
// labour holds one anonymous notice.

type employmentRow struct {
	id, worker, est int
	start           time.Time
	end             *time.Time // inclusive; nil while it lasts
}

type doseRow struct {
	id, worker, est, lab, batch int
	start, end                  time.Time
	value                       int64
	internal                    bool
	// physician marks an occupational physician's correction (source
	// PHYSICIAN, the laboratory's id kept); stale, a version that is not the
	// dose of record (superseded, or a re-send pending the physician).
	physician, stale bool
}

// conflictRow is a laboratory re-send of a corrected result (DoseConflict).
type conflictRow struct{ id, worker, est int }

type opDoseRow struct {
	id, worker, est int
	start, end      time.Time
	value           int64
}

type summaryRow struct {
	id, worker   int
	wStart, wEnd time.Time
	status       string
}

type anomalyRow struct {
	id, worker, est int
	layer, kind     string
	start, end      time.Time
	doses           []int
}

type dosimeterRow struct{ id, est, lab int }

// interventionRow is an outside company's worker on an operator's site.
type interventionRow struct {
	id, worker, site, contractor int
	start                        time.Time
	end                          *time.Time // inclusive; nil while it lasts
}

type assignmentRow struct{ id, dosimeter, worker int }

type batchRow struct{ id, lab, est, submitter int }

type batchFindingRow struct{ id, lab int }

type grantRow struct{ id, account, delegatedFrom int }

type keyRow struct{ id, account int }

// subject is one caller of the matrix: a person signed in under one role, or a
// partner key (Profile set) acting under a person's grant.
type subject struct {
	name    string
	role    policy.Role
	profile policy.Profile
	account int
	grant   int
	est     int    // establishment of the grant, 0 if none
	worker  int    // worker of the grant, 0 if none
	lab     int    // laboratory of the grant, 0 if none
	region  string // region of the grant, "" if none
	client  *servertest.Client
}

func (s *subject) String() string { return s.name }

type world struct {
	srv *servertest.Server

	company                  int
	estA, estB, estC         int
	region                   map[int]string // establishment → region
	labL1, labL2             int
	nomenclatures            []int
	w1, w2, w3               int
	workerNames              map[int][3]string // NIR (or ""), last name, first names
	employments              []employmentRow
	doses                    []doseRow
	opDoses                  []opDoseRow
	summaries                []summaryRow
	conflicts                []conflictRow
	anomalies                []anomalyRow
	dosimeters               []dosimeterRow
	interventions            []interventionRow
	notices                  []int
	assignments              []assignmentRow
	batches                  []batchRow
	batchFindings            []batchFindingRow
	accounts                 []int
	grants                   []grantRow
	keys                     []keyRow
	subjects                 []*subject
	byName                   map[string]*subject
	tally                    *tally
	today                    time.Time
	w1MarchHP10, w1DecHP10   int // dose ids used by the moving-worker cases
	w1MarchE50, w1SeptE50    int
	w1AugHP10, w2MayHP10     int
	anLimitB, anOutlierB     int
	anOutlierA, anUnitErrorA int
	anDriftB                 int // a finding on W1's own history, which began at A
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func ptr[T any](v T) *T { return &v }

// luhnDigit returns the digit that makes prefix+digit pass the Luhn check.
func luhnDigit(prefix string) string {
	for d := 0; d <= 9; d++ {
		s := prefix + strconv.Itoa(d)
		sum := 0
		for i := 0; i < len(s); i++ {
			n := int(s[len(s)-1-i] - '0')
			if i%2 == 1 {
				n *= 2
				if n > 9 {
					n -= 9
				}
			}
			sum += n
		}
		if sum%10 == 0 {
			return strconv.Itoa(d)
		}
	}
	panic("no Luhn digit")
}

// nir appends the control key 97 − (n mod 97) to 13 digits.
func nir(first13 string) string {
	rem := 0
	for _, c := range first13 {
		rem = (rem*10 + int(c-'0')) % 97
	}
	return fmt.Sprintf("%s%02d", first13, 97-rem)
}

// mustBuildWorld seeds the database through the Ent client in a system
// context, starts the server, signs every subject in and makes the partner keys.
func mustBuildWorld(t *testing.T) *world {
	t.Helper()
	db := storetest.MustOpen(t)
	srv := servertest.MustStart(t, db)
	c := db.Client
	ctx := policy.SystemContext(context.Background())
	w := &world{srv: srv, region: map[int]string{}, workerNames: map[int][3]string{}, byName: map[string]*subject{},
		tally: &tally{}, today: time.Now().UTC()}

	siren := "73282932" + luhnDigit("73282932")
	siret := func(nic string) string { p := siren + nic; return p + luhnDigit(p) }
	w.company = c.Company.Create().SetSiren(siren).SetName("Groupe Atome").SaveX(ctx).ID
	mkEst := func(nic, name, region string, company bool) int {
		q := c.Establishment.Create().SetSiret(siret(nic)).SetName(name).SetRegion(region).SetPostalCode("69003").SetCity("Lyon")
		if company {
			q.SetCompanyID(w.company)
		}
		id := q.SaveX(ctx).ID
		w.region[id] = region
		return id
	}
	w.estA = mkEst("0001", "Centre A", "84", true)
	w.estB = mkEst("0002", "Centre B", "84", true)
	otherSiren := "55210055" + luhnDigit("55210055")
	cSiret := otherSiren + "0001" + luhnDigit(otherSiren+"0001")
	w.estC = c.Establishment.Create().SetSiret(cSiret).SetName("Centre C").SetRegion("11").SaveX(ctx).ID
	w.region[w.estC] = "11"

	w.labL1 = c.Laboratory.Create().SetCode("L1").SetName("Laboratoire 1").SaveX(ctx).ID
	w.labL2 = c.Laboratory.Create().SetCode("L2").SetName("Laboratoire 2").SaveX(ctx).ID
	w.nomenclatures = append(w.nomenclatures,
		c.Nomenclature.Create().SetKind("SECTOR").SetVersion("2019").SetCode("S01").SetLabel("Médical").SetValidFrom(day("2019-01-01")).SaveX(ctx).ID,
		c.Nomenclature.Create().SetKind("JOB").SetVersion("2019").SetCode("J01").SetLabel("Manipulateur").SetParentCode("S01").SetValidFrom(day("2019-01-01")).SaveX(ctx).ID)

	nir1, nir2 := nir("1850369123456"), nir("2900575056789")
	w.w1 = c.Worker.Create().SetIdentifierKind("NIR").SetNir(nir1).SetLastName("Mobile").SetFirstNames("Paul").
		SetBirthDate(day("1985-03-12")).SetBirthPlace("Lyon").SetBirthCountry("FR").SetSex("M").SaveX(ctx).ID
	w.w2 = c.Worker.Create().SetIdentifierKind("NIR").SetNir(nir2).SetLastName("Stable").SetFirstNames("Anne").
		SetBirthDate(day("1990-05-02")).SetSex("F").SaveX(ctx).ID
	w.w3 = c.Worker.Create().SetIdentifierKind("NTT").SetTemporaryID("NTT2024W3").SetLastName("Ailleurs").SetFirstNames("Luc").
		SetBirthDate(day("1979-11-30")).SetSex("M").SaveX(ctx).ID
	w.workerNames[w.w1] = [3]string{nir1, "Mobile", "Paul"}
	w.workerNames[w.w2] = [3]string{nir2, "Stable", "Anne"}
	w.workerNames[w.w3] = [3]string{"", "Ailleurs", "Luc"}

	mkEmp := func(worker, est int, start string, end *time.Time, pregnancy bool) {
		q := c.Employment.Create().SetWorkerID(worker).SetEstablishmentID(est).SetStartDate(day(start)).SetNillableEndDate(end).
			SetContractType("CDI").SetNomenclatureVersion("2019").SetSectorCode("S01").SetJobCode("J01").
			SetClassification("A").SetMonitoringKinds([]string{"PASSIVE_WHOLE_BODY"})
		if pregnancy {
			q.SetPregnancyDeclaredOn(day("2024-03-01")).SetPregnancyEndedOn(day("2024-11-30"))
		}
		w.employments = append(w.employments, employmentRow{id: q.SaveX(ctx).ID, worker: worker, est: est, start: day(start), end: end})
	}
	mkEmp(w.w1, w.estA, "2024-01-01", ptr(day("2024-06-30")), false)
	mkEmp(w.w1, w.estB, "2024-07-01", nil, false)
	mkEmp(w.w2, w.estA, "2023-01-01", nil, true)
	mkEmp(w.w3, w.estC, "2022-01-01", nil, false)

	// Accounts, one per role and scope, then the partner keys.
	type acct struct {
		name, email string
		role        policy.Role
		set         func(*ent.GrantCreate)
	}
	var mdtGrant int
	accts := []acct{
		{"worker(W1)", "travailleur@test.fr", policy.RoleWorker, func(g *ent.GrantCreate) { g.SetWorkerID(w.w1) }},
		{"physician(A)", "mdt@test.fr", policy.RolePhysician, func(g *ent.GrantCreate) { g.SetEstablishmentID(w.estA) }},
		{"delegate(A)", "delegue@test.fr", policy.RoleDelegate, func(g *ent.GrantCreate) {
			g.SetDelegatedFromID(mdtGrant).SetEstablishmentID(w.estA).SetValidTo(time.Now().Add(30 * 24 * time.Hour))
		}},
		{"adviser(A)", "crp.a@test.fr", policy.RoleRPA, func(g *ent.GrantCreate) { g.SetEstablishmentID(w.estA) }},
		{"adviser(B)", "crp.b@test.fr", policy.RoleRPA, func(g *ent.GrantCreate) { g.SetEstablishmentID(w.estB) }},
		{"employer(B)", "employeur.b@test.fr", policy.RoleEmployer, func(g *ent.GrantCreate) { g.SetEstablishmentID(w.estB) }},
		{"laboratory(L1)", "labo1@test.fr", policy.RoleLaboratory, func(g *ent.GrantCreate) { g.SetLaboratoryID(w.labL1) }},
		{"control-agent(84)", "inspecteur@test.fr", policy.RoleControlAgent, func(g *ent.GrantCreate) { g.SetRegion("84") }},
		{"analyst", "analyste@test.fr", policy.RoleAnalyst, nil},
		{"admin", "admin@test.fr", policy.RoleAdmin, nil},
		{"labour-ministry", "dgt@test.fr", policy.RoleLabourMinistry, nil},
		{"", "labo2@test.fr", policy.RoleLaboratory, func(g *ent.GrantCreate) { g.SetLaboratoryID(w.labL2) }}, // submits L2's batch, never signs in
	}
	var labo2 int
	for _, a := range accts {
		acc := servertest.MustCreateAccount(t, c, a.email, a.role, a.set)
		g := c.Grant.Query().Where(grant.AccountID(acc.ID)).OnlyX(ctx)
		w.accounts = append(w.accounts, acc.ID)
		gr := grantRow{id: g.ID, account: acc.ID}
		if g.DelegatedFromID != nil {
			gr.delegatedFrom = *g.DelegatedFromID
		}
		w.grants = append(w.grants, gr)
		if a.role == policy.RolePhysician {
			mdtGrant = g.ID
		}
		if a.name == "" {
			labo2 = acc.ID
			continue
		}
		s := &subject{name: a.name, role: a.role, account: acc.ID, grant: g.ID}
		if g.EstablishmentID != nil {
			s.est = *g.EstablishmentID
		}
		if g.WorkerID != nil {
			s.worker = *g.WorkerID
		}
		if g.LaboratoryID != nil {
			s.lab = *g.LaboratoryID
		}
		if g.Region != nil {
			s.region = *g.Region
		}
		if a.role == policy.RoleWorker {
			c.Account.UpdateOneID(acc.ID).SetWorkerID(w.w1).ExecX(ctx)
		}
		s.client = srv.NewClient(t)
		s.client.MustLogin(a.email, servertest.Password)
		w.subjects = append(w.subjects, s)
		w.byName[s.name] = s
	}
	for _, k := range []struct {
		name, of string
		profile  policy.Profile
	}{
		{"key:occupational-health", "physician(A)", policy.ProfileOccupationalHealth},
		{"key:laboratory-system", "laboratory(L1)", policy.ProfileLaboratorySystem},
		{"key:statistics", "analyst", policy.ProfileStatistics},
	} {
		of := w.byName[k.of]
		token, key, err := srv.App.Auth().NewAPIKey(ctx, of.account, of.grant, k.name, apikey.Profile(k.profile), nil, 100000)
		if err != nil {
			t.Fatalf("create key %s: %v", k.name, err)
		}
		w.keys = append(w.keys, keyRow{id: key.ID, account: of.account})
		s := *of
		s.name, s.profile = k.name, k.profile
		s.client = srv.NewClient(t)
		s.client.Token = token
		w.subjects = append(w.subjects, &s)
		w.byName[s.name] = &s
	}

	// One results batch per laboratory, one operational batch for B.
	mkBatch := func(submitter, lab, est int, format, ref string) int {
		q := c.ImportBatch.Create().SetSubmitterID(submitter).SetFormat(importbatch.Format(format)).SetReference(ref).SetStatus("ACCEPTED").
			SetRowsTotal(10).SetRowsAccepted(10)
		if lab != 0 {
			q.SetLaboratoryID(lab)
		}
		if est != 0 {
			q.SetEstablishmentID(est)
		}
		id := q.SaveX(ctx).ID
		w.batches = append(w.batches, batchRow{id: id, lab: lab, est: est, submitter: submitter})
		return id
	}
	batchL1 := mkBatch(w.byName["laboratory(L1)"].account, w.labL1, 0, "LAB_RESULTS", "L1-2024")
	batchL2 := mkBatch(labo2, w.labL2, 0, "LAB_RESULTS", "L2-2024")
	batchOpB := mkBatch(w.byName["employer(B)"].account, 0, w.estB, "OPERATIONAL", "B-OP-2024")
	// A finding on each laboratory's batch: read by that laboratory and the agency.
	for _, b := range [][2]int{{batchL1, w.labL1}, {batchL2, w.labL2}} {
		id := c.BatchFinding.Create().SetImportBatchID(b[0]).SetLaboratoryID(b[1]).SetKind("BATCH_ZERO_SHARE").
			SetContextKey("K|PASSIVE_WHOLE_BODY|1").SetMonitoringKind("PASSIVE_WHOLE_BODY").SetPeriodMonths(1).
			SetDirection("UP").SetPValue(1e-9).SetStatistics(map[string]any{"batchShare": 0.6}).
			SetExplanation("Dans ce lot, 60 % des résultats sont nuls.").SaveX(ctx).ID
		w.batchFindings = append(w.batchFindings, batchFindingRow{id: id, lab: b[1]})
	}

	// Monthly whole-body doses over 2024, at the establishment of the covering
	// employment, plus W1's two internal committed doses.
	mkDose := func(worker, est, lab int, month int, value int64, internal bool) int {
		start := time.Date(2024, time.Month(month), 1, 0, 0, 0, 0, time.UTC)
		end := start.AddDate(0, 1, -1)
		batch := batchL1
		if lab == w.labL2 {
			batch = batchL2
		}
		q := c.DoseRecord.Create().SetWorkerID(worker).SetEstablishmentID(est).SetLaboratoryID(lab).SetImportBatchID(batch).
			SetSource("LABORATORY").SetStatus("MEASURED").SetValueUsv(value).SetPeriodStart(start).SetPeriodEnd(end).
			SetSectorCode("S01").SetJobCode("J01")
		if internal {
			q.SetMonitoringKind("INTERNAL").SetQuantity("E50").SetRadionuclide("Cs-137").SetComment("Anthroporadiométrie")
		} else {
			q.SetMonitoringKind("PASSIVE_WHOLE_BODY").SetQuantity("HP10").SetDosimeterSerial(fmt.Sprintf("S-%d-%d", worker, month))
		}
		id := q.SaveX(ctx).ID
		w.doses = append(w.doses, doseRow{id: id, worker: worker, est: est, lab: lab, batch: batch, start: start, end: end, value: value, internal: internal})
		return id
	}
	for m := 1; m <= 12; m++ {
		// W1: 1200–1700 µSv at A (L1), 270–310 µSv at B (L1 then L2), 19 mSv in December.
		switch {
		case m <= 6:
			id := mkDose(w.w1, w.estA, w.labL1, m, int64(1100+100*m), false)
			if m == 3 {
				w.w1MarchHP10 = id
			}
		case m <= 9:
			id := mkDose(w.w1, w.estB, w.labL1, m, int64(200+10*m), false)
			if m == 8 {
				w.w1AugHP10 = id
			}
		case m <= 11:
			mkDose(w.w1, w.estB, w.labL2, m, int64(200+10*m), false)
		default:
			w.w1DecHP10 = mkDose(w.w1, w.estB, w.labL2, m, 19000, false)
		}
		lab := w.labL1
		if m > 6 {
			lab = w.labL2
		}
		id := mkDose(w.w2, w.estA, lab, m, int64(400+10*m), false)
		if m == 5 {
			w.w2MayHP10 = id
		}
		mkDose(w.w3, w.estC, w.labL2, m, int64(50*m), false)
	}
	w.w1MarchE50 = mkDose(w.w1, w.estA, w.labL1, 3, 5000, true)
	w.w1SeptE50 = mkDose(w.w1, w.estB, w.labL2, 9, 7000, true)

	// Operational (active) dosimetry at A and B.
	mkOp := func(worker, est int, month int, value int64, batch int) {
		start := time.Date(2024, time.Month(month), 3, 7, 0, 0, 0, time.UTC)
		q := c.OperationalDose.Create().SetWorkerID(worker).SetEstablishmentID(est).SetDosimeterSerial(fmt.Sprintf("OP-%d", est)).
			SetStartAt(start).SetEndAt(start.Add(7 * 24 * time.Hour)).SetValueUsv(value)
		if batch != 0 {
			q.SetImportBatchID(batch)
		}
		w.opDoses = append(w.opDoses, opDoseRow{id: q.SaveX(ctx).ID, worker: worker, est: est, start: start, end: start.Add(7 * 24 * time.Hour), value: value})
	}
	mkOp(w.w1, w.estA, 4, 35, 0)
	mkOp(w.w1, w.estB, 8, 42, batchOpB)
	mkOp(w.w1, w.estB, 10, 57, batchOpB)
	mkOp(w.w2, w.estA, 5, 21, 0)

	// W2, employed at A, intervenes for A on B's site in September 2024: B
	// sends their operational dosimetry there; a dose at B in November falls
	// outside the intervention (A's adviser must not read it).
	iv := c.Intervention.Create().SetWorkerID(w.w2).SetSiteEstablishmentID(w.estB).SetContractorEstablishmentID(w.estA).
		SetStartDate(day("2024-09-01")).SetEndDate(day("2024-09-30")).SetDeclaredByID(w.byName["employer(B)"].account).SaveX(ctx)
	w.interventions = append(w.interventions, interventionRow{id: iv.ID, worker: w.w2, site: w.estB, contractor: w.estA,
		start: day("2024-09-01"), end: ptr(day("2024-09-30"))})
	mkOp(w.w2, w.estB, 9, 33, batchOpB)
	mkOp(w.w2, w.estB, 11, 44, batchOpB)
	// A shift on the last day of the intervention: still shared with A.
	last := day("2024-09-30").Add(7 * time.Hour)
	w.opDoses = append(w.opDoses, opDoseRow{id: c.OperationalDose.Create().SetWorkerID(w.w2).SetEstablishmentID(w.estB).
		SetDosimeterSerial("OP-LAST").SetStartAt(last).SetEndAt(last.Add(8 * time.Hour)).SetValueUsv(12).SetImportBatchID(batchOpB).
		SaveX(ctx).ID, worker: w.w2, est: w.estB, start: last, end: last.Add(8 * time.Hour), value: 12})

	// The ministry's anonymous notice of a confirmed exceedance.
	w.notices = append(w.notices, c.ExceedanceNotice.Create().SetSectorCode("S01").SetSectorLabel("Médical").
		SetDomainCode("NON_RENSEIGNE").SetDomainLabel("Non renseigné").SetRegionCode("84").SetRegionLabel("Auvergne-Rhône-Alpes").
		SetLimitCode("EFFECTIVE").SetPopulation("ADULT").SetBand("FROM_1_TO_1_25").SetBandLabel("de 1 à 1,25 fois la limite").
		SetBandLowerUsv(20000).SetBandUpperUsv(25000).SetExceedanceMonth(day("2024-12-01")).SetConfirmedOn(day("2025-01-15")).
		SaveX(ctx).ID)

	// W3's June result, corrected by a physician, then re-sent by the
	// laboratory with another value: the re-send waits for the physician.
	for i, d := range w.doses {
		if d.worker != w.w3 || d.start.Month() != time.June {
			continue
		}
		c.DoseRecord.UpdateOneID(d.id).SetCurrent(false).SetSupersededAt(day("2025-01-10")).ExecX(ctx)
		w.doses[i].stale = true
		corr := c.DoseRecord.Create().SetWorkerID(d.worker).SetEstablishmentID(d.est).SetLaboratoryID(d.lab).SetSource("PHYSICIAN").
			SetMonitoringKind("PASSIVE_WHOLE_BODY").SetQuantity("HP10").SetDosimeterSerial(fmt.Sprintf("S-%d-6", d.worker)).
			SetStatus("MEASURED").SetValueUsv(d.value + 100).SetPeriodStart(d.start).SetPeriodEnd(d.end).SetVersion(2).
			SetSupersedesID(d.id).SetCorrectionReason("Dosimètre témoin mal soustrait").SaveX(ctx)
		resend := c.DoseRecord.Create().SetWorkerID(d.worker).SetEstablishmentID(d.est).SetLaboratoryID(d.lab).SetImportBatchID(d.batch).
			SetSource("LABORATORY").SetMonitoringKind("PASSIVE_WHOLE_BODY").SetQuantity("HP10").SetDosimeterSerial(fmt.Sprintf("S-%d-6", d.worker)).
			SetStatus("MEASURED").SetValueUsv(d.value + 7).SetPeriodStart(d.start).SetPeriodEnd(d.end).SetVersion(3).
			SetCurrent(false).SetPending(true).SaveX(ctx)
		w.doses = append(w.doses,
			doseRow{id: corr.ID, worker: d.worker, est: d.est, lab: d.lab, start: d.start, end: d.end, value: corr.ValueUsv, physician: true},
			doseRow{id: resend.ID, worker: d.worker, est: d.est, lab: d.lab, batch: d.batch, start: d.start, end: d.end, value: resend.ValueUsv, stale: true})
		id := c.DoseConflict.Create().SetWorkerID(d.worker).SetEstablishmentID(d.est).SetLaboratoryID(d.lab).
			SetCorrectionID(corr.ID).SetResendID(resend.ID).SaveX(ctx).ID
		w.conflicts = append(w.conflicts, conflictRow{id: id, worker: d.worker, est: d.est})
		break
	}

	// Rolling sums over 2024 (effective dose).
	for _, wk := range []int{w.w1, w.w2, w.w3} {
		var sum int64
		n := 0
		for _, d := range w.doses {
			if d.worker == wk && !d.stale {
				sum += d.value
				n++
			}
		}
		status := "OK"
		if sum > 20000 {
			status = "EXCEEDED"
		}
		id := c.ExposureSummary.Create().SetWorkerID(wk).SetLimitCode("EFFECTIVE").SetWindowStart(day("2024-01-01")).
			SetWindowEnd(day("2024-12-31")).SetSumUsv(sum).SetLimitUsv(20000).SetStatus(exposuresummary.Status(status)).SetRecords(n).SaveX(ctx).ID
		w.summaries = append(w.summaries, summaryRow{id: id, worker: wk, wStart: day("2024-01-01"), wEnd: day("2024-12-31"), status: status})
	}

	// Findings: a limit exceedance and an outlier on internal dosimetry for W1
	// at B, a unit error on W1 at A (A period), an outlier on W2 at A.
	mkAnomaly := func(worker, est int, layer, kind, severity string, month int, dose int, internal bool) int {
		start := time.Date(2024, time.Month(month), 1, 0, 0, 0, 0, time.UTC)
		end := start.AddDate(0, 1, -1)
		id := c.Anomaly.Create().SetWorkerID(worker).SetEstablishmentID(est).SetLayer(anomaly.Layer(layer)).SetKind(kind).SetSeverity(anomaly.Severity(severity)).
			SetScore(0.97).SetExplanation(fmt.Sprintf("Dose de %s : valeur atypique.", start.Format("01/2006"))).
			SetReference(map[string]any{"median_usv": 300, "value_usv": 19000}).SetFingerprint(fmt.Sprintf("%s-%d-%d", kind, worker, month)).
			SetPeriodStart(start).SetPeriodEnd(end).AddDoseRecordIDs(dose).SaveX(ctx).ID
		w.anomalies = append(w.anomalies, anomalyRow{id: id, worker: worker, est: est, layer: layer, kind: kind, start: start, end: end, doses: []int{dose}})
		return id
	}
	w.anLimitB = mkAnomaly(w.w1, w.estB, "REGULATORY", "LIMIT_EXCEEDED", "CRITICAL", 12, w.w1DecHP10, false)
	w.anOutlierB = mkAnomaly(w.w1, w.estB, "CONTEXT", "CONTEXT_OUTLIER", "MEDIUM", 9, w.w1SeptE50, true)
	w.anUnitErrorA = mkAnomaly(w.w1, w.estA, "VALIDITY", "UNIT_ERROR", "LOW", 3, w.w1MarchHP10, false)
	w.anOutlierA = mkAnomaly(w.w2, w.estA, "CONTEXT", "CONTEXT_OUTLIER", "MEDIUM", 5, w.w2MayHP10, false)
	// A drift of W1's own results at B: its evidence (the results before)
	// reaches back into W1's contract at A.
	w.anDriftB = mkAnomaly(w.w1, w.estB, "HISTORY", "HISTORY_DRIFT", "MEDIUM", 11, w.w1DecHP10, false)
	// A notice of W2's result at A above A's dose constraint: an anomaly row
	// of layer CONSTRAINT, read like the anomalies but listed apart
	// (doseConstraintNotices), never by the anomalies query.
	mkAnomaly(w.w2, w.estA, "CONSTRAINT", "DOSE_CONSTRAINT_EXCEEDED", "INFO", 5, w.w2MayHP10, false)

	// Dosimeters and wearing periods.
	mkDosimeter := func(serial string, est, lab int) int {
		id := c.Dosimeter.Create().SetSerial(serial).SetKind("PASSIVE_WHOLE_BODY").SetEstablishmentID(est).SetLaboratoryID(lab).SaveX(ctx).ID
		w.dosimeters = append(w.dosimeters, dosimeterRow{id: id, est: est, lab: lab})
		return id
	}
	mkAssignment := func(dosimeter, worker int, start string, end *time.Time) {
		id := c.DosimeterAssignment.Create().SetDosimeterID(dosimeter).SetWorkerID(worker).SetStartDate(day(start)).
			SetNillableEndDate(end).SetBodyPosition("poitrine").SaveX(ctx).ID
		w.assignments = append(w.assignments, assignmentRow{id: id, dosimeter: dosimeter, worker: worker})
	}
	da1, da2 := mkDosimeter("A-001", w.estA, w.labL1), mkDosimeter("A-002", w.estA, w.labL1)
	db1, dc1 := mkDosimeter("B-001", w.estB, w.labL2), mkDosimeter("C-001", w.estC, w.labL2)
	mkAssignment(da1, w.w1, "2024-01-01", ptr(day("2024-06-30")))
	mkAssignment(db1, w.w1, "2024-07-01", nil)
	mkAssignment(da2, w.w2, "2023-01-01", nil)
	mkAssignment(dc1, w.w3, "2022-01-01", nil)
	return w
}

// entity is one fixture row, for node lookups.
type entity struct {
	typ string
	id  int
}

// entities lists every fixture row (audit events excepted: they grow with
// every nominative read).
func (w *world) entities() []entity {
	var out []entity
	add := func(typ string, ids ...int) {
		for _, id := range ids {
			out = append(out, entity{typ, id})
		}
	}
	add("Company", w.company)
	add("Establishment", w.estA, w.estB, w.estC)
	add("Laboratory", w.labL1, w.labL2)
	add("Nomenclature", w.nomenclatures...)
	add("Worker", w.w1, w.w2, w.w3)
	for _, r := range w.employments {
		add("Employment", r.id)
	}
	for _, r := range w.doses {
		add("DoseRecord", r.id)
	}
	for _, r := range w.opDoses {
		add("OperationalDose", r.id)
	}
	for _, r := range w.summaries {
		add("ExposureSummary", r.id)
	}
	for _, r := range w.conflicts {
		add("DoseConflict", r.id)
	}
	for _, r := range w.anomalies {
		add("Anomaly", r.id)
	}
	for _, r := range w.dosimeters {
		add("Dosimeter", r.id)
	}
	for _, r := range w.assignments {
		add("DosimeterAssignment", r.id)
	}
	for _, r := range w.batches {
		add("ImportBatch", r.id)
	}
	for _, r := range w.batchFindings {
		add("BatchFinding", r.id)
	}
	for _, r := range w.interventions {
		add("Intervention", r.id)
	}
	add("ExceedanceNotice", w.notices...)
	add("Account", w.accounts...)
	for _, r := range w.grants {
		add("Grant", r.id)
	}
	for _, r := range w.keys {
		add("ApiKey", r.id)
	}
	return out
}

// tally counts what the suite did.
type tally struct {
	requests, assertions, leaks int
}

// do sends one GraphQL operation as s and counts it.
func (w *world) do(s *subject, query string, vars map[string]any) *servertest.Response {
	w.tally.requests++
	return s.client.Do(query, vars)
}

// forbiddenObjects returns the Type.field objects named by a FORBIDDEN_FIELD
// error's extensions.paths ("a.b (Type.field)", "a(where).x (filtre sur Type.field)").
func forbiddenObjects(res *servertest.Response) map[string]bool {
	out := map[string]bool{}
	for _, e := range res.Errors {
		paths, _ := e.Extensions["paths"].([]any)
		for _, p := range paths {
			s, _ := p.(string)
			if i := strings.LastIndex(s, "("); i >= 0 && strings.HasSuffix(s, ")") {
				obj := strings.TrimPrefix(s[i+1:len(s)-1], "filtre sur ")
				out[obj] = true
			}
		}
	}
	return out
}

// dataIsNull reports whether the response carries no data at all.
func dataIsNull(res *servertest.Response) bool {
	return len(res.Data) == 0 || string(res.Data) == "null"
}

// parseID reads a GraphQL ID (a JSON string or number).
func parseID(v any) int {
	switch x := v.(type) {
	case string:
		n, _ := strconv.Atoi(x)
		return n
	case float64:
		return int(x)
	case json.Number:
		n, _ := x.Int64()
		return int(n)
	}
	return 0
}

// listIDs extracts the node ids of data.<field>.edges.
func listIDs(res *servertest.Response, field string) ([]int, error) {
	var out map[string]struct {
		Edges []struct {
			Node map[string]any `json:"node"`
		} `json:"edges"`
		TotalCount *int `json:"totalCount"`
	}
	if err := json.Unmarshal(res.Data, &out); err != nil {
		return nil, err
	}
	var ids []int
	for _, e := range out[field].Edges {
		ids = append(ids, parseID(e.Node["id"]))
	}
	return ids, nil
}

type idSet map[int]bool

func setOf(ids ...int) idSet {
	s := idSet{}
	for _, id := range ids {
		s[id] = true
	}
	return s
}

func (s idSet) sorted() []int {
	out := make([]int, 0, len(s))
	for id := range s {
		out = append(out, id)
	}
	sort.Ints(out)
	return out
}

// diff describes how got differs from want ("" when equal).
func (s idSet) diff(got []int) string {
	g := setOf(got...)
	var extra, missing []int
	for id := range g {
		if !s[id] {
			extra = append(extra, id)
		}
	}
	for id := range s {
		if !g[id] {
			missing = append(missing, id)
		}
	}
	if len(extra) == 0 && len(missing) == 0 && len(got) == len(g) {
		return ""
	}
	sort.Ints(extra)
	sort.Ints(missing)
	return fmt.Sprintf("unexpected rows %v, missing rows %v", extra, missing)
}
