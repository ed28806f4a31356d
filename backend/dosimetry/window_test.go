package dosimetry_test

import (
	"testing"
	"time"

	"github.com/siseri/siseri/backend/dosimetry"
)

// dose builds a DatedDose from two YYYY-MM-DD dates.
func dose(tb testing.TB, start, end string, µSv int64) dosimetry.DatedDose {
	tb.Helper()
	return dosimetry.DatedDose{Start: MustDate(tb, start), End: MustDate(tb, end), Dose: dosimetry.Microsievert(µSv)}
}

func TestRollingSum(t *testing.T) {
	monthly := []dosimetry.DatedDose{
		dose(t, "2023-01-01", "2023-01-31", 100),
		dose(t, "2023-02-01", "2023-02-28", 200),
		dose(t, "2023-12-01", "2023-12-31", 300),
		dose(t, "2024-01-01", "2024-01-31", 400),
	}
	quarterly := []dosimetry.DatedDose{
		dose(t, "2023-10-01", "2023-12-31", 1000), // counts in December 2023
		dose(t, "2023-11-15", "2024-02-14", 2000), // spans the new year, counts in February 2024
	}
	leap := []dosimetry.DatedDose{dose(t, "2024-02-01", "2024-02-29", 700)}
	tests := []struct {
		name  string
		doses []dosimetry.DatedDose
		end   string
		want  dosimetry.Microsievert
	}{
		{"OKCalendarYear", monthly, "2023-12-15", 600},
		// Ensure January 2023 is the 13th month back from January 2024 and is left out.
		{"OKDecemberToJanuary", monthly, "2024-01-31", 900},
		{"OKTwelveMonthsIncludesFirst", monthly, "2023-12-31", 600},
		{"OKThirteenMonthsExcluded", monthly, "2024-02-01", 700},
		{"OKBeforeAnyDose", monthly, "2022-12-31", 0},
		{"OKEndMonthIncluded", monthly, "2023-01-01", 100},
		// Ensure a quarter counts entirely in its end month, not pro-rata.
		{"OKQuarterBeforeEndMonth", quarterly, "2023-11-30", 0},
		{"OKQuarterInEndMonth", quarterly, "2023-12-01", 1000},
		{"OKQuarterAcrossNewYear", quarterly, "2024-01-31", 1000},
		{"OKQuarterAcrossNewYearEnd", quarterly, "2024-02-01", 3000},
		{"OKQuarterLeavesWindow", quarterly, "2024-12-31", 2000},
		// Ensure 29 February is attributed to February like any other day.
		{"OKLeapDayIncluded", leap, "2025-01-31", 700},
		{"OKLeapDayLeavesOnFebruary", leap, "2025-02-28", 0},
		{"OKLeapDaySameMonth", leap, "2024-02-29", 700},
		{"OKEmpty", nil, "2024-01-01", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := dosimetry.RollingSum(tc.doses, MustDate(t, tc.end)); got != tc.want {
				t.Errorf("RollingSum(%s) = %v, want %v", tc.end, got, tc.want)
			}
		})
	}

	// Ensure dates are read in their own location: midnight on 1 March in
	// Paris is March, even though the same instant is 29 February in UTC.
	t.Run("OKLocation", func(t *testing.T) {
		paris, err := time.LoadLocation("Europe/Paris")
		if err != nil {
			t.Skipf("no time zone database: %v", err)
		}
		d := dosimetry.DatedDose{End: time.Date(2024, time.March, 1, 0, 0, 0, 0, paris), Dose: 5}
		if got := d.Month(); got != (dosimetry.Month{Year: 2024, Month: time.March}) {
			t.Errorf("DatedDose.Month() = %v, want 2024-03", got)
		}
		if got := dosimetry.MonthOf(d.End.UTC()); got != (dosimetry.Month{Year: 2024, Month: time.February}) {
			t.Errorf("MonthOf(UTC) = %v, want 2024-02", got)
		}
	})
}

// asnCase reproduces the case quoted by ASN (2021 report): 21.1 mSv over
// June 2019–May 2020, while each calendar year stays below 20 mSv.
func asnCase(tb testing.TB) []dosimetry.DatedDose {
	return []dosimetry.DatedDose{
		dose(tb, "2019-06-01", "2019-06-30", 5000),
		dose(tb, "2019-07-01", "2019-09-30", 3000),
		dose(tb, "2019-10-01", "2019-12-31", 3000),
		dose(tb, "2020-01-01", "2020-03-31", 5000),
		dose(tb, "2020-04-01", "2020-05-31", 5100),
	}
}

func TestMaxRollingSum(t *testing.T) {
	m := func(y int, mo time.Month) dosimetry.Month { return dosimetry.Month{Year: y, Month: mo} }
	ties := []dosimetry.DatedDose{dose(t, "2020-01-01", "2020-01-31", 10), dose(t, "2021-06-01", "2021-06-30", 10)}
	tests := []struct {
		name     string
		doses    []dosimetry.DatedDose
		from, to string
		want     dosimetry.Window
		wantOK   bool
	}{
		{"OKASNCase", asnCase(t), "2019-06-01", "2020-12-31", dosimetry.Window{First: m(2019, time.June), Last: m(2020, time.May), Sum: 21100}, true},
		{"OKCalendarYear2019Only", asnCase(t), "2019-12-31", "2019-12-31", dosimetry.Window{First: m(2019, time.January), Last: m(2019, time.December), Sum: 11000}, true},
		{"OKTiesEarliest", ties, "2020-01-01", "2022-12-31", dosimetry.Window{First: m(2019, time.February), Last: m(2020, time.January), Sum: 10}, true},
		{"OKEmpty", nil, "2020-01-01", "2020-03-01", dosimetry.Window{First: m(2019, time.February), Last: m(2020, time.January)}, true},
		{"OKSingleMonth", asnCase(t), "2020-06-10", "2020-06-20", dosimetry.Window{First: m(2019, time.July), Last: m(2020, time.June), Sum: 16100}, true},
		{"ErrFromAfterTo", asnCase(t), "2021-01-01", "2020-01-01", dosimetry.Window{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := dosimetry.MaxRollingSum(tc.doses, MustDate(t, tc.from), MustDate(t, tc.to))
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("MaxRollingSum(%s, %s) = %+v, %v, want %+v, %v", tc.from, tc.to, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestFirstExceedance(t *testing.T) {
	m := func(y int, mo time.Month) dosimetry.Month { return dosimetry.Month{Year: y, Month: mo} }
	two := []dosimetry.DatedDose{
		dose(t, "2022-06-01", "2022-06-30", 5000),
		dose(t, "2022-12-01", "2022-12-31", 8000),
		dose(t, "2023-05-01", "2023-05-31", 8000),
		dose(t, "2023-07-01", "2023-07-31", 6000),
	}
	tests := []struct {
		name     string
		doses    []dosimetry.DatedDose
		limit    dosimetry.Microsievert
		from, to string
		want     dosimetry.Window
		wantOK   bool
	}{
		{"OKASNCase", asnCase(t), 20000, "2019-01-01", "2021-12-31", dosimetry.Window{First: m(2019, time.June), Last: m(2020, time.May), Sum: 21100}, true},
		// Ensure the first window wins over a later, larger one (22 mSv ending July 2023).
		{"OKFirstNotLargest", two, 20000, "2022-01-01", "2024-12-31", dosimetry.Window{First: m(2022, time.June), Last: m(2023, time.May), Sum: 21000}, true},
		{"OKSecondWhenFirstEqual", two, 21000, "2022-01-01", "2024-12-31", dosimetry.Window{First: m(2022, time.August), Last: m(2023, time.July), Sum: 22000}, true},
		// Ensure a sum equal to the limit does not exceed it.
		{"OKEqualIsNotExceeded", two, 22000, "2022-01-01", "2024-12-31", dosimetry.Window{}, false},
		{"OKOutsideSpan", two, 20000, "2023-06-01", "2023-06-30", dosimetry.Window{}, false},
		{"OKNoDoses", nil, 0, "2022-01-01", "2024-12-31", dosimetry.Window{}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := dosimetry.FirstExceedance(tc.doses, tc.limit, MustDate(t, tc.from), MustDate(t, tc.to))
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("FirstExceedance(%v, %s, %s) = %+v, %v, want %+v, %v", tc.limit, tc.from, tc.to, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestDoseSpan(t *testing.T) {
	first, last, ok := dosimetry.DoseSpan(asnCase(t))
	if !ok || !first.Equal(MustDate(t, "2019-06-30")) || !last.Equal(MustDate(t, "2020-05-31")) {
		t.Errorf("DoseSpan() = %v, %v, %v, want 2019-06-30, 2020-05-31, true", first, last, ok)
	}
	if _, _, ok := dosimetry.DoseSpan(nil); ok {
		t.Errorf("DoseSpan(nil) ok = true, want false")
	}
}

func TestDatedDoseValidate(t *testing.T) {
	tests := []struct {
		name    string
		d       dosimetry.DatedDose
		wantErr string
	}{
		{"OK", dose(t, "2024-01-01", "2024-03-31", 10), ""},
		{"OKOneDay", dose(t, "2024-01-01", "2024-01-01", 0), ""},
		{"ErrReversed", dose(t, "2024-03-31", "2024-01-01", 10), "La période de surveillance se termine le 01/01/2024, avant son début le 31/03/2024."},
		{"ErrNegative", dose(t, "2024-01-01", "2024-01-31", -50), "La dose de la période (-0,05 mSv) est négative."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.d.Validate()
			if (tc.wantErr == "" && err != nil) || (tc.wantErr != "" && (err == nil || err.Error() != tc.wantErr)) {
				t.Errorf("Validate() = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

func TestMonth(t *testing.T) {
	tests := []struct {
		in   dosimetry.Month
		n    int
		want string
	}{
		{dosimetry.Month{Year: 2024, Month: time.January}, -1, "2023-12"},
		{dosimetry.Month{Year: 2024, Month: time.January}, -11, "2023-02"},
		{dosimetry.Month{Year: 2024, Month: time.January}, -12, "2023-01"},
		{dosimetry.Month{Year: 2023, Month: time.December}, 1, "2024-01"},
		{dosimetry.Month{Year: 2023, Month: time.December}, 25, "2026-01"},
		{dosimetry.Month{Year: 0, Month: time.January}, -1, "-001-12"},
	}
	for _, tc := range tests {
		if got := tc.in.AddMonths(tc.n).String(); got != tc.want {
			t.Errorf("%v.AddMonths(%d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
	a, b := dosimetry.Month{Year: 2023, Month: time.December}, dosimetry.Month{Year: 2024, Month: time.January}
	if !a.Before(b) || b.Before(a) || a.Before(a) {
		t.Errorf("Month.Before is not a strict order on %v, %v", a, b)
	}
}
