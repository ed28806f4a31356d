package dosimetry

import (
	"fmt"
	"time"
)

// Month is a calendar month, the unit of the rolling 12-month windows.
type Month struct {
	Year  int
	Month time.Month
}

// MonthOf returns the calendar month of t, read in t's own location.
func MonthOf(t time.Time) Month { return Month{t.Year(), t.Month()} }

func (m Month) index() int { return m.Year*12 + int(m.Month) - 1 }

func monthAt(i int) Month {
	y, r := i/12, i%12
	if r < 0 { // floor division for years before 0
		y, r = y-1, r+12
	}
	return Month{y, time.Month(r + 1)}
}

// AddMonths returns the month n months after m (before it if n < 0).
func (m Month) AddMonths(n int) Month { return monthAt(m.index() + n) }

// Before reports whether m is strictly earlier than o.
func (m Month) Before(o Month) bool { return m.index() < o.index() }

// String returns the month as "2024-02".
func (m Month) String() string { return fmt.Sprintf("%04d-%02d", m.Year, int(m.Month)) }

// DatedDose is a dose received over a monitoring period, Start and End
// being civil days, both inclusive.
//
// Attribution rule: the whole dose counts in the calendar month of End,
// without any pro-rata. A quarterly result for January–March counts in
// March. This matches how results are reported (one value per wearing
// period, at most three months) and never splits a dose of record; the
// price is that a window may see a quarter's dose although it covers only
// the quarter's last month.
type DatedDose struct {
	// Kind and Quantity are the monitoring kind and quantity codes
	// (PASSIVE_WHOLE_BODY, HP10…) that say which limits the dose counts
	// toward (CountsToward); the window functions ignore them.
	Kind, Quantity string
	Start, End     time.Time
	Dose           Microsievert
}

// Month returns the month the dose is attributed to: the month of End.
func (d DatedDose) Month() Month { return MonthOf(d.End) }

// Validate checks that the period is not reversed and the dose not negative.
func (d DatedDose) Validate() error {
	if civilDay(d.End).Before(civilDay(d.Start)) {
		return fmt.Errorf("La période de surveillance se termine le %s, avant son début le %s.",
			d.End.Format("02/01/2006"), d.Start.Format("02/01/2006"))
	}
	if d.Dose < 0 {
		return fmt.Errorf("La dose de la période (%s) est négative.", d.Dose.FormatMSv())
	}
	return nil
}

// Window is a rolling window of 12 consecutive months, First to Last
// inclusive, with the sum of the doses attributed to it.
type Window struct {
	First, Last Month
	Sum         Microsievert
}

// windowOf returns the window of 12 months ending at last.
func windowOf(last Month) Window { return Window{First: last.AddMonths(-11), Last: last} }

// RollingSum returns the sum of the doses attributed to the 12 consecutive
// months ending with the month of end (that month included): for an end in
// January 2024, February 2023 to January 2024.
func RollingSum(doses []DatedDose, end time.Time) Microsievert {
	w := windowOf(MonthOf(end))
	lo, hi := w.First.index(), w.Last.index()
	var sum Microsievert
	for _, d := range doses {
		if i := d.Month().index(); lo <= i && i <= hi {
			sum += d.Dose
		}
	}
	return sum
}

// rollingWindows calls yield with the window ending at each month from
// first to last, in order, until yield returns false. It runs in
// O(len(doses) + months).
func rollingWindows(doses []DatedDose, first, last Month, yield func(Window) bool) {
	byMonth := make(map[int]Microsievert)
	for _, d := range doses {
		byMonth[d.Month().index()] += d.Dose
	}
	w := windowOf(first)
	w.Sum = RollingSum(doses, time.Date(first.Year, first.Month, 1, 0, 0, 0, 0, time.UTC))
	for i := first.index(); i <= last.index(); i++ {
		if i > first.index() {
			w.Sum += byMonth[i] - byMonth[i-12]
			w.First, w.Last = monthAt(i-11), monthAt(i)
		}
		if !yield(w) {
			return
		}
	}
}

// MaxRollingSum returns the window with the largest sum among the windows
// ending in each month from the month of from to the month of to; on ties
// the earliest wins. It returns false when from is after to. To cover all
// of a worker's history, pass the span returned by DoseSpan: windows ending
// after the last dose only lose doses.
func MaxRollingSum(doses []DatedDose, from, to time.Time) (Window, bool) {
	var best Window
	found := false
	rollingWindows(doses, MonthOf(from), MonthOf(to), func(w Window) bool {
		if !found || w.Sum > best.Sum {
			best, found = w, true
		}
		return true
	})
	return best, found
}

// FirstExceedance returns the earliest window, among those ending from the
// month of from to the month of to, whose sum strictly exceeds limit (a dose
// equal to the limit respects it). It returns false when none does.
func FirstExceedance(doses []DatedDose, limit Microsievert, from, to time.Time) (Window, bool) {
	var hit Window
	found := false
	rollingWindows(doses, MonthOf(from), MonthOf(to), func(w Window) bool {
		if w.Sum > limit {
			hit, found = w, true
			return false
		}
		return true
	})
	return hit, found
}

// DoseSpan returns the earliest and latest End dates among doses, and false
// when there are none.
func DoseSpan(doses []DatedDose) (first, last time.Time, ok bool) {
	for i, d := range doses {
		// Compare civil days, as attribution does, not instants.
		if i == 0 || civilDay(d.End).Before(civilDay(first)) {
			first = d.End
		}
		if i == 0 || civilDay(d.End).After(civilDay(last)) {
			last = d.End
		}
	}
	return first, last, len(doses) > 0
}
