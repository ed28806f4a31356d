package anomaly

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/dosimetry"
)

// mustSummary builds a context summary of n doses, a share p0 of them at
// zero, the others lognormal around median µSv with log-sd sigma.
func mustSummary(t *testing.T, level Level, label string, n int, p0, median, sigma float64) *Summary {
	t.Helper()
	r := rand.New(rand.NewPCG(uint64(n), 7))
	s := &Summary{Level: level, Key: label, Label: label, N: n, Digest: NewDigest()}
	for i := 0; i < n; i++ {
		if r.Float64() < p0 {
			s.NZero++
			continue
		}
		if err := s.Digest.Add(math.Log(median) + sigma*r.NormFloat64()); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func month(y int, m time.Month) (time.Time, time.Time) {
	start := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	return start, start.AddDate(0, 1, -1)
}

func dose(id int, y int, m time.Month, usv int64) Dose {
	s, e := month(y, m)
	d := Dose{ID: id, WorkerID: 1, EstablishmentID: 9, Context: Context{Kind: "PASSIVE_WHOLE_BODY", Months: 1},
		Quantity: "HP10", Dosimeter: "D1", LaboratoryID: 3, Start: s, End: e, USv: usv}
	d.Zero = usv == 0
	return d
}

func kinds(fs []Finding) []Kind {
	var out []Kind
	for _, f := range fs {
		out = append(out, f.Kind)
	}
	return out
}

func has(fs []Finding, k Kind) (Finding, bool) {
	for _, f := range fs {
		if f.Kind == k {
			return f, true
		}
	}
	return Finding{}, false
}

func TestContextOutlier(t *testing.T) {
	c := DefaultConfig()
	cardio := mustSummary(t, LevelJob, "des cardiologues interventionnels", 2500, 0.3, 100, 1.0)
	ref := c.Choose([4]*Summary{cardio, nil, nil, mustSummary(t, LevelKind, "corps entier", 20000, 0.7, 80, 1.2)})
	hist := []Dose{}
	for i := 1; i <= 12; i++ {
		hist = append(hist, dose(100+i, 2023, time.Month(i), 300))
	}
	tests := []struct {
		name string
		usv  int64
		want bool
	}{
		{"OK_Ordinary", 150, false},
		{"OK_HighButBelowFloor", 450, false},
		{"ErrRare", 2400, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fs := c.CheckDose(dose(1, 2024, time.May, tc.usv), ref, hist)
			f, got := has(fs, KindContext)
			if got != tc.want {
				t.Fatalf("CheckDose(%d µSv) kinds = %v, want context outlier %v", tc.usv, kinds(fs), tc.want)
			}
			if !got {
				return
			}
			for _, part := range []string{"Hp(10) de 2,40 mSv en mai 2024", "centile des doses mensuelles des cardiologues interventionnels",
				"(médiane 0,", "doses)", "fois la médiane de ce travailleur sur 12 mois"} {
				if !strings.Contains(f.Explanation, part) {
					t.Errorf("explanation %q lacks %q", f.Explanation, part)
				}
			}
			if f.Reference["size"] != 2500 || f.Reference["population"] != "des cardiologues interventionnels" {
				t.Errorf("reference = %v", f.Reference)
			}
		})
	}
}

func TestChooseBacksOff(t *testing.T) {
	c := DefaultConfig()
	small := mustSummary(t, LevelJob, "job", 20, 0, 1000, 0.5) // 20 non-zero < 30
	sector := mustSummary(t, LevelSector, "sector", 500, 0.2, 100, 1)
	ref := c.Choose([4]*Summary{small, sector, nil, nil})
	if ref.Level != LevelSector {
		t.Fatalf("Choose level = %v, want SECTOR", ref.Level)
	}
	// A job context just above the minimum is shrunk toward its sector.
	job := mustSummary(t, LevelJob, "job", 40, 0, 1000, 0.5)
	ref = c.Choose([4]*Summary{job, sector, nil, nil})
	own := math.Log(1000)
	if ref.Level != LevelJob || !(ref.LogMedian < own && ref.LogMedian > math.Log(100)) {
		t.Errorf("shrunk log median = %.2f, want between ln 100 and ln 1000 (%.2f)", ref.LogMedian, own)
	}
	if c.Choose([4]*Summary{}) != nil {
		t.Error("Choose with no data returned a reference")
	}
}

func TestUnitError(t *testing.T) {
	c := DefaultConfig()
	ref := c.Choose([4]*Summary{mustSummary(t, LevelJob, "des manipulateurs", 3000, 0.5, 200, 0.8), nil, nil, nil})
	fs := c.CheckDose(dose(1, 2024, time.March, 350_000), ref, nil)
	f, ok := has(fs, KindUnitError)
	if !ok || !strings.Contains(f.Explanation, "erreur d'unité probable") || !strings.Contains(f.Explanation, "0,35 mSv serait une dose ordinaire") {
		t.Fatalf("kinds %v, finding %+v", kinds(fs), f)
	}
	// A real spike whose thousandth is not an ordinary dose is not a unit error.
	if _, ok := has(c.CheckDose(dose(2, 2024, time.March, 5_000_000), ref, nil), KindUnitError); ok {
		t.Error("5 Sv flagged as unit error though 5 mSv is not ordinary here")
	}
}

func TestHistory(t *testing.T) {
	c := DefaultConfig()
	t.Run("ErrJump", func(t *testing.T) {
		var hist []Dose
		for i := 1; i <= 12; i++ {
			hist = append(hist, dose(i, 2023, time.Month(i), int64(250+10*i)))
		}
		if _, ok := has(c.CheckDose(dose(98, 2024, time.February, 3000), nil, hist), KindJump); ok {
			t.Error("10 times the worker's median flagged: seasonal peaks reach that")
		}
		f, ok := has(c.CheckDose(dose(99, 2024, time.February, 8000), nil, hist), KindJump)
		if !ok || !strings.Contains(f.Explanation, "fois la médiane de ce travailleur") {
			t.Fatalf("jump not found: %+v", f)
		}
	})
	t.Run("ErrDrift", func(t *testing.T) {
		// Ensure a gradual rise is flagged once, at the record where the
		// CUSUM crosses, with its onset.
		var hist []Dose
		flagged := 0
		var onset any
		for i := 0; i < 24; i++ {
			v := 300.0
			if i >= 10 {
				v = 300 * math.Pow(1.25, float64(i-9))
			}
			d := dose(i+1, 2023+i/12, time.Month(i%12+1), int64(v))
			if f, ok := c.drift(d, hist, nil); ok {
				flagged++
				onset = f.Reference["onset"]
			}
			hist = append(hist, d)
		}
		if flagged != 1 || onset != "2023-12-01" {
			t.Errorf("drift flagged %d times with onset %v, want once with onset 2023-12-01 (November's 1.25× stays under the allowance k)", flagged, onset)
		}
	})
	t.Run("OKStableNoDrift", func(t *testing.T) {
		r := rand.New(rand.NewPCG(3, 4))
		var hist []Dose
		for i := 0; i < 36; i++ {
			d := dose(i+1, 2022+i/12, time.Month(i%12+1), int64(300*math.Exp(0.4*r.NormFloat64())))
			if _, ok := c.drift(d, hist, nil); ok {
				t.Fatalf("drift flagged on stationary noise at %d", i)
			}
			hist = append(hist, d)
		}
	})
	t.Run("ErrZeroRun", func(t *testing.T) {
		ref := c.Choose([4]*Summary{mustSummary(t, LevelJob, "des médecins nucléaires", 1000, 0.05, 400, 0.8), nil, nil, nil})
		// A worker who has never recorded a dose is not flagged: some
		// workers of any context are hardly exposed.
		var never []Dose
		for i := 1; i <= 8; i++ {
			d := dose(i, 2023, time.Month(i), 0)
			if _, ok := c.zeroRun(d, ref, never, nil); ok {
				t.Fatalf("zero run flagged for a worker without any measurable dose (result %d)", i)
			}
			never = append(never, d)
		}
		// After six measurable doses, zeros become improbable.
		var hist []Dose
		for i := 1; i <= 6; i++ {
			hist = append(hist, dose(100+i, 2023, time.Month(i+6), 400))
		}
		var got []int
		for i := 1; i <= 6; i++ {
			d := dose(i, 2024, time.Month(i), 0)
			if _, ok := c.zeroRun(d, ref, hist, nil); ok {
				got = append(got, i)
			}
			hist = append(hist, d)
		}
		if len(got) != 1 || got[0] != 3 {
			t.Errorf("zero run flagged at %v, want once at the 3rd zero (a run is three results at least; 0.02³ < 1e-3)", got)
		}
	})
}

func TestValidity(t *testing.T) {
	c := DefaultConfig()
	t.Run("ErrContamination", func(t *testing.T) {
		hp10 := dose(1, 2024, time.June, 200)
		hp007 := hp10
		hp007.ID, hp007.Quantity, hp007.Context.Kind, hp007.USv = 2, "HP007", "SKIN", 9000
		f, ok := c.CheckContamination(hp10, hp007)
		if !ok || !strings.Contains(f.Explanation, "contamination possible") || len(f.RecordIDs) != 2 {
			t.Fatalf("contamination = %+v, %v", f, ok)
		}
	})
	t.Run("OKDiscrepancyWithinNoise", func(t *testing.T) {
		if _, ok := c.CheckDiscrepancy(dose(1, 2024, time.June, 1200), 900, 20); ok {
			t.Error("a 0.3 mSv gap is normal")
		}
	})
	t.Run("ErrDiscrepancy", func(t *testing.T) {
		f, ok := c.CheckDiscrepancy(dose(1, 2024, time.June, 8000), 400, 20)
		if !ok || !strings.Contains(f.Explanation, "non porté") {
			t.Fatalf("discrepancy = %+v, %v", f, ok)
		}
	})
	t.Run("ErrOverlap", func(t *testing.T) {
		a := dose(1, 2024, time.June, 300)
		b := dose(2, 2024, time.June, 280)
		b.Dosimeter = "D2"
		if _, ok := has(c.CheckDose(b, nil, []Dose{a}), KindOverlap); !ok {
			t.Error("overlapping periods not flagged")
		}
	})
	t.Run("ErrImplausible", func(t *testing.T) {
		if _, ok := has(c.CheckDose(dose(1, 2024, time.June, 12_000_000), nil, nil), KindImplausible); !ok {
			t.Error("12 Sv not flagged")
		}
	})
}

func TestLimits(t *testing.T) {
	c := DefaultConfig()
	since := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	adult := Worker{ID: 1, EstablishmentID: 9, Person: dosimetry.Person{Birth: time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)},
		Classes: []Classification{{Class: "A", Start: since}}}
	asOf := time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)
	monthly := func(from time.Time, n int, usv int64) []Dose {
		var out []Dose
		for i := 0; i < n; i++ {
			m := from.AddDate(0, i, 0)
			out = append(out, dose(i+1, m.Year(), m.Month(), usv))
		}
		return out
	}
	changed := func(ds []Dose) []dosimetry.Month {
		return []dosimetry.Month{dosimetry.MonthOf(ds[len(ds)-1].End)}
	}
	jan25 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	t.Run("ErrExceeded", func(t *testing.T) {
		ds := monthly(jan25, 11, 2000) // 22 mSv over 11 months
		f, ok := has(c.CheckLimits(adult, ds, changed(ds), asOf, false), KindLimitExceeded)
		if !ok || !strings.Contains(f.Explanation, "Limite de dose efficace dépassée : 22,0 mSv") || f.Severity != SeverityCritical {
			t.Fatalf("finding = %+v", f)
		}
	})
	t.Run("ErrApproaching", func(t *testing.T) {
		ds := monthly(jan25, 9, 2000) // 18 mSv: 90 %
		if _, ok := has(c.CheckLimits(adult, ds, changed(ds), asOf, false), KindLimitNear); !ok {
			t.Fatal("18 mSv of 20 not approaching")
		}
	})
	t.Run("OKBelow", func(t *testing.T) {
		ds := monthly(jan25, 12, 1000)
		if fs := c.CheckLimits(adult, ds, changed(ds), asOf, false); len(fs) != 0 {
			t.Fatalf("12 mSv gave %v", kinds(fs))
		}
	})
	t.Run("OKSameEpisodeSameFingerprint", func(t *testing.T) {
		ds := monthly(jan25, 11, 2000)
		f1, _ := has(c.CheckLimits(adult, ds, changed(ds), asOf, false), KindLimitExceeded)
		ds = monthly(jan25, 12, 2000)
		f2, _ := has(c.CheckLimits(adult, ds, changed(ds), asOf, false), KindLimitExceeded)
		if f1.Fingerprint() != f2.Fingerprint() {
			t.Error("a longer exceedance raised a second finding")
		}
	})
	t.Run("ErrYoungWorker", func(t *testing.T) {
		young := adult
		young.Person = dosimetry.Person{Birth: time.Date(2008, 6, 1, 0, 0, 0, 0, time.UTC)} // 17 in 2025
		ds := monthly(jan25, 7, 1000)                                                       // 7 mSv > 6
		f, ok := has(c.CheckLimits(young, ds, changed(ds), asOf, false), KindLimitExceeded)
		if !ok || f.Reference["population"] != "YOUNG" {
			t.Fatalf("young worker finding = %+v", f)
		}
	})
	t.Run("ErrPregnancy", func(t *testing.T) {
		w := adult
		decl := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
		w.Person = dosimetry.Person{Birth: adult.Person.Birth, Pregnancies: []dosimetry.Pregnancy{{Declared: decl}}}
		ds := monthly(time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), 3, 400) // 1.2 mSv since declaration
		f, ok := has(c.CheckLimits(w, ds, changed(ds), time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), false), KindLimitExceeded)
		if !ok || !strings.Contains(f.Explanation, "enfant à naître") {
			t.Fatalf("pregnancy finding = %+v", f)
		}
	})
	t.Run("ErrClassification", func(t *testing.T) {
		w := adult
		w.Classes = []Classification{{Class: "B", Start: since}}
		ds := monthly(jan25, 7, 1000)
		if _, ok := has(c.CheckLimits(w, ds, changed(ds), asOf, false), KindClassification); !ok {
			t.Fatal("category B at 7 mSv not flagged")
		}
	})
}

func TestFingerprint(t *testing.T) {
	a := Finding{Kind: KindContext, WorkerID: 4, Identity: []string{"x"}, Score: 1}
	b := a
	b.Score = 9
	c := a
	c.Kind = KindJump
	if a.Fingerprint() != b.Fingerprint() || a.Fingerprint() == c.Fingerprint() {
		t.Error("fingerprint must depend on kind and identity only")
	}
}

func TestFrenchFormats(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{mSv(2400), "2,40 mSv"}, {mSv(100), "0,10 mSv"}, {mSv(55), "0,055 mSv"}, {mSv(20850), "20,9 mSv"},
		{ordinalPercentile(0.9972), "99,7e centile"}, {ordinalPercentile(0.999), "99,9e centile"},
		{count(1832), "1\u202f832"}, {times(8.04), "8 fois"}, {times(2.46), "2,5 fois"},
		{period(month(2024, time.May)), "mai 2024"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

func TestContextOutlierAboveEveryDose(t *testing.T) {
	// Ensure a dose above every dose of its context is said to be so, by how
	// much, instead of a percentile that only restates the context's size.
	c := DefaultConfig()
	r := rand.New(rand.NewPCG(3, 9))
	s := &Summary{Level: LevelJob, Key: "dent", Label: "des chirurgiens-dentistes", Digest: NewDigest()}
	highest := 0.0
	for i := 0; i < 3000; i++ {
		s.N++
		usv := math.Round(math.Exp(math.Log(120) + 0.5*r.NormFloat64()))
		highest = math.Max(highest, usv)
		if err := s.Digest.Add(math.Log(usv)); err != nil {
			t.Fatal(err)
		}
	}
	ref := c.Choose([4]*Summary{s, nil, nil, nil})
	if !ref.MaxExact || math.Abs(ref.MaxUSv-highest) > 1e-6*highest {
		t.Fatalf("reference maximum = %v (exact %v), want the highest dose %v", ref.MaxUSv, ref.MaxExact, highest)
	}
	tests := []struct {
		name  string
		usv   int64
		parts []string
	}{
		{"AboveAll", int64(highest * 20), []string{"dépasse chacune des 3\u202f000 doses mensuelles des chirurgiens-dentistes",
			"(20 fois la plus haute, " + mSv(highest) + " ; médiane 0,"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, ok := has(c.CheckDose(dose(1, 2024, time.May, tc.usv), ref, nil), KindContext)
			if !ok {
				t.Fatalf("CheckDose(%d µSv): no context finding", tc.usv)
			}
			for _, part := range tc.parts {
				if !strings.Contains(f.Explanation, part) {
					t.Errorf("explanation %q lacks %q", f.Explanation, part)
				}
			}
			if strings.Contains(f.Explanation, "centile") {
				t.Errorf("explanation %q gives a percentile for a dose above every dose of its context", f.Explanation)
			}
		})
	}
	if ref.AboveAll(highest) || !ref.AboveAll(highest+1) {
		t.Errorf("AboveAll(%v) = %v, AboveAll(%v) = %v; want false, true", highest, ref.AboveAll(highest), highest+1, ref.AboveAll(highest+1))
	}
}
