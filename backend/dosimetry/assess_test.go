package dosimetry_test

import (
	"testing"
	"time"

	"github.com/siseri/siseri/backend/dosimetry"
)

func month(tb testing.TB, kind, quantity, ym string, usv int64) dosimetry.DatedDose {
	tb.Helper()
	start := MustDate(tb, ym+"-01")
	return dosimetry.DatedDose{Kind: kind, Quantity: quantity, Start: start, End: start.AddDate(0, 1, -1), Dose: dosimetry.Microsievert(usv)}
}

func hp10(tb testing.TB, ym string, usv int64) dosimetry.DatedDose {
	return month(tb, "PASSIVE_WHOLE_BODY", "HP10", ym, usv)
}

func lens(tb testing.TB, ym string, usv int64) dosimetry.DatedDose {
	return month(tb, "LENS", "HP3", ym, usv)
}

// exceedances lists the episodes over their limit as "CODE first-crossing-end".
func exceedances(eps []dosimetry.Episode) []string {
	var out []string
	for _, e := range eps {
		if e.Exceeded() {
			out = append(out, string(e.Code)+" "+e.Crossing.End.Format(time.DateOnly))
		}
	}
	return out
}

// TestEpisodes ensures each dose meets the limits of its own period and
// person, whatever the day of the check (REGULATION-CASES RC03 to RC08).
func TestEpisodes(t *testing.T) {
	adult := dosimetry.Person{Birth: MustDate(t, "1980-01-01")}
	tests := []struct {
		name   string
		person dosimetry.Person
		doses  []dosimetry.DatedDose
		asOf   string
		want   []string
	}{
		// RC03: 30 mSv to the lens in March 2020 respected the transition.
		{"OKLensUnderTheTransition", adult, []dosimetry.DatedDose{lens(t, "2020-03", 30000)}, "2026-12-04", nil},
		// RC04: 3.5 mSv a month from January to June 2024.
		{"ErrLensAfterTheTransition", adult, []dosimetry.DatedDose{lens(t, "2024-01", 3500), lens(t, "2024-02", 3500),
			lens(t, "2024-03", 3500), lens(t, "2024-04", 3500), lens(t, "2024-05", 3500), lens(t, "2024-06", 3500)},
			"2026-12-04", []string{"LENS 2024-06-30"}},
		// Over 50 mSv within 12 months during the transition.
		{"ErrLensOverFiftyInTheTransition", adult, []dosimetry.DatedDose{lens(t, "2020-03", 30000), lens(t, "2020-09", 25000)},
			"2026-12-04", []string{"LENS 2020-09-30"}},
		// RC05: 8 mSv at 16, checked at 18.
		{"ErrYoungWorkerCheckedAfterTheBirthday", dosimetry.Person{Birth: MustDate(t, "2008-05-15")},
			[]dosimetry.DatedDose{hp10(t, "2025-03", 8000)}, "2026-06-15", []string{"EFFECTIVE 2025-03-31"}},
		// RC06: the result of August arrives after the birth.
		{"ErrPregnancyResultAfterTheBirth", dosimetry.Person{Birth: MustDate(t, "1990-01-01"),
			Pregnancies: []dosimetry.Pregnancy{{Declared: MustDate(t, "2025-01-10"), Ended: MustDate(t, "2025-09-20")}}},
			[]dosimetry.DatedDose{hp10(t, "2025-08", 1500)}, "2025-10-15", []string{"PREGNANCY 2025-09-20"}},
		// RC07: exactly 1 mSv during the pregnancy is over.
		{"ErrPregnancyExactlyOneMilliSievert", dosimetry.Person{Birth: MustDate(t, "1990-01-01"),
			Pregnancies: []dosimetry.Pregnancy{{Declared: MustDate(t, "2025-01-10")}}},
			[]dosimetry.DatedDose{hp10(t, "2025-02", 400), hp10(t, "2025-03", 600)}, "2025-04-15", []string{"PREGNANCY 2025-04-15"}},
		// RC08: exactly 20 mSv over 12 months is not over.
		{"OKAdultExactlyTheLimit", adult, []dosimetry.DatedDose{hp10(t, "2025-01", 12000), hp10(t, "2025-06", 8000)}, "2025-12-15", nil},
		// A whole-body Hp(0.07) counts toward the skin, never the effective dose.
		{"OKWholeBodyHp007NotEffective", adult, []dosimetry.DatedDose{month(t, "PASSIVE_WHOLE_BODY", "HP007", "2025-03", 30000)}, "2025-12-15", nil},
		{"ErrWholeBodyHp007Skin", adult, []dosimetry.DatedDose{month(t, "PASSIVE_WHOLE_BODY", "HP007", "2025-03", 501000)}, "2025-12-15",
			[]string{"SKIN 2025-03-31"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := exceedances(dosimetry.Episodes(tc.person, tc.doses, MustDate(t, tc.asOf)))
			if len(got) != len(tc.want) {
				t.Fatalf("Episodes() exceedances = %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("Episodes() exceedances = %v, want %v", got, tc.want)
				}
			}
		})
	}
}

// TestRollingAssessmentsBinding ensures the binding row of a window is the
// one its doses come closest to: after the 18th birthday the doses received
// before it stay held to the young workers' limit.
func TestRollingAssessmentsBinding(t *testing.T) {
	p := dosimetry.Person{Birth: MustDate(t, "2008-05-15")}
	doses := []dosimetry.DatedDose{hp10(t, "2026-02", 5000), hp10(t, "2026-07", 9000)}
	m := dosimetry.MonthOf(MustDate(t, "2026-12-01"))
	as := dosimetry.RollingAssessments(p, dosimetry.LimitEffective, doses, m, m)
	if len(as) != 1 {
		t.Fatalf("RollingAssessments() = %d windows, want 1", len(as))
	}
	a := as[0]
	// Young doses: 5 mSv / 6 (0.83); all doses: 14 mSv / 20 (0.70).
	if a.Limit.Population != dosimetry.PopulationYoung || a.Sum != 5000 || a.State() != dosimetry.StateApproaching {
		t.Errorf("binding = %s %d µSv %s, want YOUNG 5000 µSv APPROACHING", a.Limit.Population, a.Sum, a.State())
	}
}

// TestExceededBy ensures a limit is reached without being exceeded, except
// the unborn child's (« inférieure à 1 mSv »).
func TestExceededBy(t *testing.T) {
	eff, _ := dosimetry.LimitAt(dosimetry.LimitEffective, MustDate(t, "2025-01-01"), dosimetry.StatusAdult)
	preg, _ := dosimetry.LimitAt(dosimetry.LimitPregnancy, MustDate(t, "2025-01-01"), dosimetry.StatusPregnant)
	for _, tc := range []struct {
		l    dosimetry.Limit
		sum  dosimetry.Microsievert
		want bool
	}{{eff, 20000, false}, {eff, 20001, true}, {preg, 999, false}, {preg, 1000, true}} {
		if got := tc.l.ExceededBy(tc.sum); got != tc.want {
			t.Errorf("%s.ExceededBy(%d) = %v, want %v", tc.l.Code, tc.sum, got, tc.want)
		}
	}
}
