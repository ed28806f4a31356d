package seed_test

import (
	"testing"
	"time"

	"github.com/siseri/siseri/backend/auth"
	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/backend/seed"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/account"
	"github.com/siseri/siseri/ent/doserecord"
	"github.com/siseri/siseri/ent/employment"
	"github.com/siseri/siseri/ent/worker"
	"github.com/siseri/siseri/policy"
)

// checkIdentifiers checks NIRs against the birth data, and SIRENs and SIRETs.
func checkIdentifiers(t *testing.T, c *ent.Client) {
	ws, err := c.Worker.Query().All(sys)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range ws {
		if w.Nir == nil {
			if w.IdentifierKind == worker.IdentifierKindNIR || w.IdentifierKind == worker.IdentifierKindNIA {
				t.Errorf("worker %d: kind %s without a NIR", w.ID, w.IdentifierKind)
			}
			continue
		}
		n, err := dosimetry.ParseNIR(*w.Nir)
		if err != nil {
			t.Errorf("ParseNIR(%q) = %v", *w.Nir, err)
			continue
		}
		wantSex := dosimetry.SexMale
		if w.Sex == worker.SexFemale {
			wantSex = dosimetry.SexFemale
		}
		if n.Sex() != wantSex || n.BirthYear2() != w.BirthDate.Year()%100 || n.BirthMonth() != w.BirthDate.Month() {
			t.Errorf("NIR %s: sex %s, year %d, month %d; worker: %s born %s", n, n.Sex(), n.BirthYear2(), n.BirthMonth(), w.Sex, w.BirthDate.Format(time.DateOnly))
		}
		if (string(n.Kind()) == "NIA") != (w.IdentifierKind == worker.IdentifierKindNIA) {
			t.Errorf("NIR %s: kind %s, worker kind %s", n, n.Kind(), w.IdentifierKind)
		}
	}
	es, err := c.Establishment.Query().WithCompany().All(sys)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) < 12 || len(es) > 20 {
		t.Errorf("%d establishments, want 12 to 20", len(es))
	}
	regions := map[string]bool{}
	for _, e := range es {
		regions[e.Region] = true
		if _, err := dosimetry.ParseSIRET(e.Siret); err != nil {
			t.Errorf("ParseSIRET(%q) = %v", e.Siret, err)
		}
		if e.Edges.Company == nil {
			t.Errorf("establishment %s has no company", e.Name)
			continue
		}
		if _, err := dosimetry.ParseSIREN(e.Edges.Company.Siren); err != nil || e.Siret[:9] != e.Edges.Company.Siren {
			t.Errorf("establishment %s: SIRET %s, company SIREN %s (%v)", e.Name, e.Siret, e.Edges.Company.Siren, err)
		}
	}
	if len(regions) < 6 {
		t.Errorf("establishments in %d regions, want at least 6", len(regions))
	}
	labs, err := c.Laboratory.Query().All(sys)
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range labs {
		if _, err := dosimetry.ParseSIRET(l.Siret); err != nil {
			t.Errorf("laboratory %s: ParseSIRET(%q) = %v", l.Code, l.Siret, err)
		}
	}
}

// checkAccounts checks the nine demo accounts, their password and grants.
func checkAccounts(t *testing.T, c *ent.Client) {
	if len(seed.DemoAccounts) != 9 {
		t.Fatalf("%d demo accounts, want 9", len(seed.DemoAccounts))
	}
	for _, d := range seed.DemoAccounts {
		a, err := c.Account.Query().Where(account.Email(d.Email)).WithGrants().Only(sys)
		if err != nil {
			t.Errorf("account %s: %v", d.Email, err)
			continue
		}
		if ok, err := auth.VerifyPassword(a.PasswordHash, seed.DemoPassword); !ok || err != nil {
			t.Errorf("%s: VerifyPassword(%q) = %v, %v, want true", d.Email, seed.DemoPassword, ok, err)
		}
		if !a.Demo || !a.Active || a.DisplayName == "" || d.Description == "" {
			t.Errorf("%s: demo %v, active %v, display name %q", d.Email, a.Demo, a.Active, a.DisplayName)
		}
		if len(a.Edges.Grants) == 0 {
			t.Errorf("%s: no grant", d.Email)
		}
		for _, g := range a.Edges.Grants {
			if g.Role != d.Role || g.ValidTo != nil || g.RevokedAt != nil || g.ValidFrom.After(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)) {
				t.Errorf("%s: grant %s from %s to %v, want %s from the start of the data", d.Email, g.Role, g.ValidFrom, g.ValidTo, d.Role)
			}
			checkScope(t, d, a, g)
		}
	}
}

// checkScope checks that a grant is scoped as its role needs.
func checkScope(t *testing.T, d seed.DemoAccount, a *ent.Account, g *ent.Grant) {
	t.Helper()
	var ok bool
	switch d.Role {
	case policy.RoleAdmin, policy.RoleAnalyst, policy.RoleLabourMinistry:
		ok = g.EstablishmentID == nil && g.WorkerID == nil && g.LaboratoryID == nil && g.Region == nil && g.CompanyID == nil
	case policy.RoleWorker:
		ok = g.WorkerID != nil && a.WorkerID != nil && *g.WorkerID == *a.WorkerID
	case policy.RolePhysician:
		ok = g.EstablishmentID != nil && a.Rpps != nil
		if ok {
			_, err := dosimetry.ParseRPPS(*a.Rpps)
			ok = err == nil
		}
	case policy.RoleRPA, policy.RoleEmployer:
		ok = g.EstablishmentID != nil
	case policy.RoleLaboratory:
		ok = g.LaboratoryID != nil
	case policy.RoleControlAgent:
		ok = g.Region != nil
	}
	if !ok {
		t.Errorf("%s: grant %+v is not scoped for %s", d.Email, g, d.Role)
	}
}

// checkRecords checks each record's quantity, dates and context against the
// covering employment.
func checkRecords(t *testing.T, c *ent.Client) {
	emps, err := c.Employment.Query().All(sys)
	if err != nil {
		t.Fatal(err)
	}
	byWorker := map[int][]*ent.Employment{}
	for _, e := range emps {
		byWorker[e.WorkerID] = append(byWorker[e.WorkerID], e)
	}
	rs, err := c.DoseRecord.Query().All(sys)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		if !dosimetry.MonitoringKind(r.MonitoringKind).Allows(dosimetry.Quantity(r.Quantity)) {
			t.Errorf("record %d: quantity %s for kind %s", r.ID, r.Quantity, r.MonitoringKind)
		}
		if !midnight(r.PeriodStart) || !midnight(r.PeriodEnd) || r.PeriodEnd.Before(r.PeriodStart) || r.PeriodEnd.Sub(r.PeriodStart) > 92*24*time.Hour {
			t.Errorf("record %d: period %s – %s", r.ID, r.PeriodStart, r.PeriodEnd)
		}
		if (r.Status == doserecord.StatusBelowThreshold || r.Status == doserecord.StatusAbsent) && r.ValueUsv != 0 {
			t.Errorf("record %d: status %s with %d µSv", r.ID, r.Status, r.ValueUsv)
		}
		var cover *ent.Employment
		for _, e := range byWorker[r.WorkerID] {
			if e.EstablishmentID == r.EstablishmentID && !r.PeriodStart.Before(e.StartDate) && (e.EndDate == nil || !r.PeriodEnd.After(*e.EndDate)) {
				cover = e
			}
		}
		if cover == nil {
			t.Errorf("record %d: no employment covers %s – %s", r.ID, r.PeriodStart.Format(time.DateOnly), r.PeriodEnd.Format(time.DateOnly))
			continue
		}
		if deref(cover.SectorCode) != deref(r.SectorCode) || deref(cover.JobCode) != deref(r.JobCode) {
			t.Errorf("record %d: context %v/%v, employment %v/%v", r.ID, deref(r.SectorCode), deref(r.JobCode), deref(cover.SectorCode), deref(cover.JobCode))
		}
	}
}

func midnight(t time.Time) bool {
	t = t.UTC()
	return t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0
}

// checkCorrections checks the version chain of the physicians' corrections.
func checkCorrections(t *testing.T, c *ent.Client) {
	rs, err := c.DoseRecord.Query().Where(doserecord.Version(2)).WithSupersedes().All(sys)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) < 3 {
		t.Errorf("%d corrections, want at least 3", len(rs))
	}
	for _, r := range rs {
		o := r.Edges.Supersedes
		if o == nil || r.Source != doserecord.SourcePhysician || r.CorrectionReason == "" || !r.Current {
			t.Errorf("correction %d: source %s, reason %q, original %v", r.ID, r.Source, r.CorrectionReason, o)
			continue
		}
		if o.Current || o.SupersededAt == nil || o.Version != 1 || !o.PeriodStart.Equal(r.PeriodStart) || o.MonitoringKind != r.MonitoringKind {
			t.Errorf("original %d of correction %d: current %v, superseded at %v", o.ID, r.ID, o.Current, o.SupersededAt)
		}
	}
}

// checkPlanted checks the planted cases: a rolling 12-month sum over 20 mSv,
// a probable unit error and an extremity spike.
func checkPlanted(t *testing.T, c *ent.Client) {
	rs, err := c.DoseRecord.Query().Where(doserecord.Current(true),
		doserecord.MonitoringKindEQ(doserecord.MonitoringKindPassiveWholeBody)).All(sys)
	if err != nil {
		t.Fatal(err)
	}
	byWorker := map[int][]dosimetry.DatedDose{}
	unit := 0
	for _, r := range rs {
		byWorker[r.WorkerID] = append(byWorker[r.WorkerID], dosimetry.DatedDose{Start: r.PeriodStart, End: r.PeriodEnd, Dose: dosimetry.Microsievert(r.ValueUsv)})
		if r.ValueUsv >= 100_000 {
			unit++
		}
	}
	over := 0
	for _, doses := range byWorker {
		first, last, _ := dosimetry.DoseSpan(doses)
		if w, _ := dosimetry.MaxRollingSum(doses, first, last); w.Sum > 20_000 {
			over++
		}
	}
	// The unit-error worker is over the limit too: that is what the detector must explain.
	if over != 2 || unit != 1 {
		t.Errorf("%d workers over 20 mSv on 12 rolling months and %d results ≥ 100 mSv, want 2 and 1", over, unit)
	}
	spikes, err := c.DoseRecord.Query().Where(doserecord.Current(true),
		doserecord.MonitoringKindEQ(doserecord.MonitoringKindExtremity), doserecord.ValueUsvGTE(150_000)).Count(sys)
	if err != nil || spikes != 1 {
		t.Errorf("%d extremity results ≥ 150 mSv (%v), want 1", spikes, err)
	}
}

// checkMoves checks that workers left and joined the adviser's establishment
// during the data period, so that the time-bounded scope has cases.
func checkMoves(t *testing.T, c *ent.Client) {
	pcr, err := c.Account.Query().Where(account.Email("pcr@demo.siseri.fr")).QueryGrants().Only(sys)
	if err != nil {
		t.Fatal(err)
	}
	start := seed.DefaultOptions().End.AddDate(0, -seed.DefaultOptions().Months, 0)
	est := employment.EstablishmentID(*pcr.EstablishmentID)
	left, err := c.Employment.Query().Where(est, employment.EndDateGTE(start)).Count(sys)
	if err != nil {
		t.Fatal(err)
	}
	joined, err := c.Employment.Query().Where(est, employment.StartDateGT(start)).Count(sys)
	if err != nil {
		t.Fatal(err)
	}
	if left == 0 || joined == 0 {
		t.Errorf("adviser's establishment: %d employments ended and %d started during the data, want some of each", left, joined)
	}
}

// zeroYearShare returns the share of worker-years (calendar years with at
// least one current record) whose records are all zero.
func zeroYearShare(t *testing.T, c *ent.Client) float64 {
	t.Helper()
	rs, err := c.DoseRecord.Query().Where(doserecord.Current(true)).All(sys)
	if err != nil {
		t.Fatal(err)
	}
	type key struct{ w, y int }
	sums := map[key]int64{}
	for _, r := range rs {
		sums[key{r.WorkerID, r.PeriodEnd.Year()}] += r.ValueUsv
	}
	zero := 0
	for _, s := range sums {
		if s == 0 {
			zero++
		}
	}
	return float64(zero) / float64(len(sums))
}

// checkPopulation checks the shape of the population: every worker has
// results, some context is missing, and there are movers, apprentices aged
// 16–17 and pregnant workers, all of them in category B.
func checkPopulation(t *testing.T, c *ent.Client) {
	ws, err := c.Worker.Query().WithEmployments().All(sys)
	if err != nil {
		t.Fatal(err)
	}
	end := seed.DefaultOptions().End
	var emps, missing, movers, apprentices, pregnant int
	for _, w := range ws {
		n, err := c.DoseRecord.Query().Where(doserecord.WorkerID(w.ID)).Count(sys)
		if err != nil || n == 0 {
			t.Errorf("worker %d: %d dose records (%v), want some", w.ID, n, err)
		}
		if len(w.Edges.Employments) > 1 {
			movers++
		}
		for _, e := range w.Edges.Employments {
			emps++
			if !e.StartDate.Before(end) {
				t.Errorf("employment %d starts on %s, after the data", e.ID, e.StartDate.Format(time.DateOnly))
			}
			if e.SectorCode == nil {
				missing++
			}
			if e.ContractType == employment.ContractTypeApprentice {
				apprentices++
				if age := dosimetry.AgeAt(w.BirthDate, e.StartDate); age < 16 || age > 17 || e.Classification != employment.ClassificationB {
					t.Errorf("apprentice %d: aged %d at hiring, category %s", w.ID, age, e.Classification)
				}
			}
			if e.PregnancyDeclaredOn != nil {
				pregnant++
				if w.Sex != worker.SexFemale || e.Classification != employment.ClassificationB {
					t.Errorf("pregnancy of worker %d: sex %s, category %s", w.ID, w.Sex, e.Classification)
				}
			}
		}
	}
	share := float64(missing) / float64(emps)
	t.Logf("%d employments, %.0f %% without context, %d movers, %d apprentices, %d pregnancies", emps, 100*share, movers, apprentices, pregnant)
	if share < 0.2 || share > 0.45 || movers == 0 || apprentices == 0 || pregnant < 2 {
		t.Errorf("context missing %.2f (want 0.20–0.45), %d movers, %d apprentices, %d pregnancies", share, movers, apprentices, pregnant)
	}
}
