package dosimetry_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/dosimetry"
)

// MustDate parses a YYYY-MM-DD civil date in UTC or fails the test.
func MustDate(tb testing.TB, s string) time.Time {
	tb.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		tb.Fatalf("time.Parse(%q) error: %v", s, err)
	}
	return d
}

// summarise renders limits as "CODE=µSv" (with "?" when unverified), sorted.
func summarise(ls []dosimetry.Limit) []string {
	var out []string
	for _, l := range ls {
		s := fmt.Sprintf("%s=%d", l.Code, int64(l.Value))
		if l.Unverified {
			s += "?"
		}
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

func TestLimitsAt(t *testing.T) {
	young, pregnant := dosimetry.StatusYoung, dosimetry.StatusPregnant
	tests := []struct {
		name   string
		date   string
		status dosimetry.WorkerStatus
		want   []string
	}{
		{"OKAdult2024", "2024-01-15", dosimetry.StatusAdult,
			[]string{"EFFECTIVE=20000", "EXTREMITY=500000", "LENS=20000", "SKIN=500000"}},
		{"OKAdultLensFinalFirstDay", "2023-07-01", dosimetry.StatusAdult,
			[]string{"EFFECTIVE=20000", "EXTREMITY=500000", "LENS=20000", "SKIN=500000"}},
		{"OKAdultLensTransitionLastDay", "2023-06-30", dosimetry.StatusAdult,
			[]string{"EFFECTIVE=20000", "EXTREMITY=500000", "LENS=50000", "LENS_TRANSITION=100000", "SKIN=500000"}},
		{"OKAdultLensTransitionFirstDay", "2018-07-01", dosimetry.StatusAdult,
			[]string{"EFFECTIVE=20000", "EXTREMITY=500000", "LENS=50000", "LENS_TRANSITION=100000", "SKIN=500000"}},
		{"OKAdultBefore2018", "2018-06-30", dosimetry.StatusAdult,
			[]string{"EFFECTIVE=20000?", "EXTREMITY=500000?", "LENS=150000?", "SKIN=500000?"}},
		{"OKYoung2024", "2024-01-15", young,
			[]string{"EFFECTIVE=6000", "EXTREMITY=150000", "LENS=15000?", "SKIN=150000"}},
		{"OKYoungDuringTransition", "2020-01-01", young,
			[]string{"EFFECTIVE=6000", "EXTREMITY=150000", "LENS=15000?", "SKIN=150000"}},
		{"OKYoungBefore2018", "2010-01-01", young,
			[]string{"EFFECTIVE=6000?", "EXTREMITY=150000?", "LENS=45000?", "SKIN=150000?"}},
		{"OKPregnant", "2024-01-15", pregnant,
			[]string{"EFFECTIVE=20000", "EXTREMITY=500000", "LENS=20000", "PREGNANCY=1000", "SKIN=500000"}},
		{"OKYoungPregnant", "2024-01-15", young | pregnant,
			[]string{"EFFECTIVE=6000", "EXTREMITY=150000", "LENS=15000?", "PREGNANCY=1000", "SKIN=150000"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := summarise(dosimetry.LimitsAt(MustDate(t, tc.date), tc.status))
			if !slices.Equal(got, tc.want) {
				t.Errorf("LimitsAt(%q, %v) = %v, want %v", tc.date, tc.status, got, tc.want)
			}
		})
	}

	// Ensure the civil day is read in the date's own location: 00:30 in
	// Paris on 1 July 2023 is still 30 June in UTC, but it is 1 July here.
	t.Run("OKLocation", func(t *testing.T) {
		paris, err := time.LoadLocation("Europe/Paris")
		if err != nil {
			t.Skipf("no time zone database: %v", err)
		}
		d := time.Date(2023, time.July, 1, 0, 30, 0, 0, paris)
		l, ok := dosimetry.LimitAt(dosimetry.LimitLens, d, dosimetry.StatusAdult)
		if !ok || l.Value != 20000 {
			t.Errorf("LimitAt(LENS, %v) = %v, %v, want 20000", d, l.Value, ok)
		}
	})

	// Ensure LimitAt reports a missing limit.
	t.Run("OKLimitAtMissing", func(t *testing.T) {
		if l, ok := dosimetry.LimitAt(dosimetry.LimitLensTransition, MustDate(t, "2024-01-01"), dosimetry.StatusAdult); ok {
			t.Errorf("LimitAt(LENS_TRANSITION, 2024-01-01) = %v, want none", l)
		}
	})
}

// TestLimitsTable checks invariants of the whole table rather than values.
func TestLimitsTable(t *testing.T) {
	rows := dosimetry.Limits()
	for i, a := range rows {
		// Ensure each row is documented and typed.
		if a.Source == "" || a.Quantity.Label() == "" || a.Value <= 0 || a.Window == "" {
			t.Errorf("row %d (%s %s) lacks source, quantity, value or window", i, a.Code, a.Population)
		}
		if !a.From.IsZero() && !a.To.IsZero() && a.To.Before(a.From) {
			t.Errorf("row %d (%s %s) ends before it starts", i, a.Code, a.Population)
		}
		// Ensure no two rows with the same code and population overlap.
		for _, b := range rows[i+1:] {
			if a.Code != b.Code || a.Population != b.Population {
				continue
			}
			aEndsBeforeB := !a.To.IsZero() && !b.From.IsZero() && a.To.Before(b.From)
			bEndsBeforeA := !b.To.IsZero() && !a.From.IsZero() && b.To.Before(a.From)
			if !aEndsBeforeB && !bEndsBeforeA {
				t.Errorf("rows %s %s overlap: %v–%v and %v–%v", a.Code, a.Population, a.From, a.To, b.From, b.To)
			}
		}
	}
	// Ensure callers cannot modify the table through the returned slice.
	rows[0].Value = 1
	if dosimetry.Limits()[0].Value == 1 {
		t.Errorf("Limits() returned the table itself, want a copy")
	}
}

func TestInvestigationLevel(t *testing.T) {
	at := func(code dosimetry.LimitCode, date string, s dosimetry.WorkerStatus) dosimetry.Limit {
		l, ok := dosimetry.LimitAt(code, MustDate(t, date), s)
		if !ok {
			t.Fatalf("LimitAt(%s, %s) = none", code, date)
		}
		return l
	}
	effective := at(dosimetry.LimitEffective, "2024-01-01", dosimetry.StatusAdult)
	tests := []struct {
		name    string
		limit   dosimetry.Limit
		months  int
		want    dosimetry.Microsievert
		wantErr bool
	}{
		{"OKEffectiveMonthly", effective, 1, 500, false},
		{"OKEffectiveQuarterly", effective, 3, 1500, false},
		{"OKEffectiveYear", effective, 12, 6000, false},
		{"OKExtremityMonthly", at(dosimetry.LimitExtremity, "2024-01-01", dosimetry.StatusAdult), 1, 12500, false},
		{"OKLensQuarterly", at(dosimetry.LimitLens, "2024-01-01", dosimetry.StatusAdult), 3, 1500, false},
		{"OKYoungEffectiveMonthly", at(dosimetry.LimitEffective, "2024-01-01", dosimetry.StatusYoung), 1, 150, false},
		// 1001 × 3/10 / 12 = 25.025 µSv, rounded down.
		{"OKRoundsDown", dosimetry.Limit{Value: 1001, Window: dosimetry.WindowRolling12}, 1, 25, false},
		{"ErrMonthsZero", effective, 0, 0, true},
		{"ErrMonthsThirteen", effective, 13, 0, true},
		{"ErrTransitionWindow", at(dosimetry.LimitLensTransition, "2020-01-01", dosimetry.StatusAdult), 3, 0, true},
		{"ErrPregnancyWindow", at(dosimetry.LimitPregnancy, "2024-01-01", dosimetry.StatusPregnant), 1, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := dosimetry.InvestigationLevel(tc.limit, tc.months)
			if got != tc.want || (err != nil) != tc.wantErr {
				t.Errorf("InvestigationLevel(%s, %d) = %v, %v, want %v (error %v)", tc.limit.Code, tc.months, got, err, tc.want, tc.wantErr)
			}
		})
	}
}

func TestConstraintLevel(t *testing.T) {
	tests := []struct {
		name   string
		annual dosimetry.Microsievert
		months int
		want   dosimetry.Microsievert
	}{
		{"OKMonth", 6000, 1, 500},
		{"OKQuarter", 14000, 3, 3500},
		{"OKRoundedDown", 1000, 1, 83},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got, err := dosimetry.ConstraintLevel(tc.annual, tc.months); err != nil || got != tc.want {
				t.Errorf("ConstraintLevel(%v, %d) = %v, %v, want %v", tc.annual, tc.months, got, err, tc.want)
			}
		})
	}
	if _, err := dosimetry.ConstraintLevel(1000, 13); err == nil {
		t.Error("ConstraintLevel(1000, 13) accepted 13 months")
	}
	// The default constraint pro-rated is the investigation level, for every
	// constrained limit and period length.
	for _, code := range dosimetry.ConstrainedLimits {
		l, ok := dosimetry.LimitAt(code, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), dosimetry.StatusAdult)
		if !ok {
			t.Fatalf("no %s limit in 2025", code)
		}
		def, err := dosimetry.DefaultConstraint(l)
		if err != nil {
			t.Fatal(err)
		}
		for months := 1; months <= 12; months++ {
			got, _ := dosimetry.ConstraintLevel(def, months)
			want, _ := dosimetry.InvestigationLevel(l, months)
			if d := got - want; d > 1 || d < -1 {
				t.Errorf("%s over %d months: default level %v, investigation level %v", code, months, got, want)
			}
		}
	}
}
