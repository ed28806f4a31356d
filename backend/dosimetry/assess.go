package dosimetry

import (
	"slices"
	"time"
)

// This file holds the one rule that decides whether doses respect the limits:
// each dose is held to the limits in force for its own period, for the person
// the worker was then (a young worker before 18, a pregnant worker from the
// declaration to the birth), whatever the day of the check. The stored
// standings (backend/exposure) and the regulatory alerts (backend/anomaly)
// both come from it.

// ApproachingShare is the share of a limit from which a dose is approaching it.
const ApproachingShare = 0.8

// LimitState is where a sum stands against a limit.
type LimitState string

// Limit states.
const (
	StateOK          LimitState = "OK"
	StateApproaching LimitState = "APPROACHING"
	StateExceeded    LimitState = "EXCEEDED"
)

// Pregnancy is a declared pregnancy, from the civil day of the declaration
// to the civil day of the birth (or of the end of the pregnancy), both
// inclusive. Ended is zero while it lasts.
type Pregnancy struct {
	Declared, Ended time.Time
}

// Person is what the limits that apply to a worker depend on.
type Person struct {
	Birth time.Time
	// Pregnancies are the declared pregnancies, in any order.
	Pregnancies []Pregnancy
}

// youngOn reports whether the person is under 18 on the civil day of t (an
// under-16 gets the young workers' limits too, the stricter ones).
func (p Person) youngOn(t time.Time) bool { return AgeAt(p.Birth, t) < 18 }

// Assessment is one limit held against the doses of one window: 12
// consecutive months for a rolling limit, the lens transition period, or a
// pregnancy from the declaration to the birth.
type Assessment struct {
	// Limit is the row of the limits table that binds over the window: the
	// one the doses come closest to (the strictest on ties).
	Limit Limit
	// Start and End are the first and last civil days of the window.
	Start, End time.Time
	// Sum adds the doses the limit applies to; Records counts them (results
	// below the recording threshold included).
	Sum     Microsievert
	Records int
}

// Share returns Sum / Limit.Value.
func (a Assessment) Share() float64 { return float64(a.Sum) / float64(a.Limit.Value) }

// State returns EXCEEDED (Limit.ExceededBy), APPROACHING from ApproachingShare
// of the limit, or OK.
func (a Assessment) State() LimitState {
	switch {
	case a.Limit.ExceededBy(a.Sum):
		return StateExceeded
	case a.Share() >= ApproachingShare:
		return StateApproaching
	}
	return StateOK
}

// Episode is a run of consecutive windows of one limit code whose state is
// APPROACHING or EXCEEDED (for a limit over a fixed period, its one window).
type Episode struct {
	Code LimitCode
	// First and Last are the first and last windows of the run.
	First, Last Assessment
	// Crossing is the first window over the limit; nil when the run only
	// approached it.
	Crossing *Assessment
	// Peak is the window with the largest share (the latest on ties, so that
	// an exceedance that lasts shows its latest window).
	Peak Assessment
	// LastExceeded is the last window over the limit (nil with Crossing).
	LastExceeded *Assessment
}

// Exceeded reports whether the episode went over the limit.
func (e Episode) Exceeded() bool { return e.Crossing != nil }

// episodes groups consecutive assessments (one per month, in order) whose
// state is APPROACHING or EXCEEDED.
func episodes(code LimitCode, as []Assessment) []Episode {
	var out []Episode
	var cur *Episode
	for _, a := range as {
		st := a.State()
		if st == StateOK {
			cur = nil
			continue
		}
		if cur == nil {
			out = append(out, Episode{Code: code, First: a, Peak: a})
			cur = &out[len(out)-1]
		}
		cur.Last = a
		if a.Share() >= cur.Peak.Share() {
			cur.Peak = a
		}
		if st == StateExceeded {
			if cur.Crossing == nil {
				c := a
				cur.Crossing = &c
			}
			l := a
			cur.LastExceeded = &l
		}
	}
	return out
}

// RollingAssessments returns, for a rolling limit code, one assessment per
// window of 12 consecutive months ending in each month from first to last.
// doses are the person's current results (only those counting toward code
// are used, see CountsToward); each is attributed to the month its period
// ends (DatedDose.Month).
//
// Within a window, every row of the limits table for code is held against
// the doses it governs: those whose period ends while the row is in force,
// received by its population (the young workers' rows govern the doses whose
// period began before the 18th birthday; the adult rows govern every dose).
// A row is assessed over a window when it is in force on one of its days and
// the worker belongs to its population then. The binding row is the one the
// doses come closest to, the strictest on ties; so a lawful 30 mSv to the lens
// in 2020 never meets the 20 mSv limit of 2023, and 8 mSv received at 17 stays
// over the young workers' 6 mSv after the 18th birthday.
func RollingAssessments(p Person, code LimitCode, doses []DatedDose, first, last Month) []Assessment {
	if last.Before(first) {
		return nil
	}
	n := last.index() - first.index() + 1
	type track struct {
		row          Limit
		sums, counts []int64 // by month, from first - 11
	}
	var tracks []*track
	for _, l := range limits {
		if l.Code == code && l.Window == WindowRolling12 {
			tracks = append(tracks, &track{row: l, sums: make([]int64, n+11), counts: make([]int64, n+11)})
		}
	}
	base := first.index() - 11
	for _, d := range doses {
		if !CountsToward(code, d.Kind, d.Quantity) {
			continue
		}
		i := d.Month().index() - base
		if i < 0 || i >= n+11 {
			continue
		}
		young := p.youngOn(d.Start)
		for _, t := range tracks {
			if t.row.InForce(d.End) && (t.row.Population != PopulationYoung || young) {
				t.sums[i] += int64(d.Dose)
				t.counts[i]++
			}
		}
	}
	out := make([]Assessment, 0, n)
	run := make([]int64, len(tracks))
	cnt := make([]int64, len(tracks))
	for i := 0; i < n+11; i++ {
		for k, t := range tracks {
			run[k] += t.sums[i]
			cnt[k] += t.counts[i]
			if i >= 12 {
				run[k] -= t.sums[i-12]
				cnt[k] -= t.counts[i-12]
			}
		}
		if i < 11 {
			continue
		}
		m := monthAt(base + i)
		start, end := firstDayOf(m.AddMonths(-11)), lastDayOf(m)
		var best *Assessment
		for k, t := range tracks {
			l := t.row
			applies := (l.From.IsZero() || !l.From.After(end)) && (l.To.IsZero() || !l.To.Before(start))
			if !applies || (l.Population == PopulationYoung && !p.youngOn(start)) {
				continue
			}
			a := Assessment{Limit: l, Start: start, End: end, Sum: Microsievert(run[k]), Records: int(cnt[k])}
			if best == nil || a.Share() > best.Share() || (a.Share() == best.Share() && a.Limit.Value < best.Limit.Value) {
				best = &a
			}
		}
		if best != nil {
			out = append(out, *best)
		}
	}
	return out
}

// TransitionAssessment returns the lens dose over the transition period of
// decree 2018-437 (2018-07-01 – 2023-06-30, or up to asOf while it lasted)
// against its 100 mSv; false when asOf is before the period.
func TransitionAssessment(doses []DatedDose, asOf time.Time) (Assessment, bool) {
	i := slices.IndexFunc(limits, func(l Limit) bool { return l.Code == LimitLensTransition })
	l := limits[i]
	asOf = civilDay(asOf)
	if asOf.Before(l.From) {
		return Assessment{}, false
	}
	to := l.To
	if end := lastDayOf(MonthOf(asOf)); end.Before(to) {
		to = end
	}
	a := Assessment{Limit: l, Start: l.From, End: to}
	for _, d := range doses {
		if e := civilDay(d.End); CountsToward(l.Code, d.Kind, d.Quantity) && !e.Before(l.From) && !e.After(to) {
			a.Sum += d.Dose
			a.Records++
		}
	}
	return a, true
}

// PregnancyAssessments returns the unborn child's dose for each pregnancy
// declared by asOf, in declaration order: the effective dose of every result
// whose period overlaps the pregnancy (a result straddling the declaration or
// the birth counts whole), up to asOf while it lasts.
func PregnancyAssessments(p Person, doses []DatedDose, asOf time.Time) []Assessment {
	asOf = civilDay(asOf)
	ps := slices.Clone(p.Pregnancies)
	slices.SortFunc(ps, func(a, b Pregnancy) int { return a.Declared.Compare(b.Declared) })
	var out []Assessment
	for _, pr := range ps {
		from := civilDay(pr.Declared)
		if from.After(asOf) {
			continue
		}
		to := asOf
		if !pr.Ended.IsZero() && civilDay(pr.Ended).Before(to) {
			to = civilDay(pr.Ended)
		}
		l, ok := LimitAt(LimitPregnancy, to, StatusPregnant)
		if !ok {
			continue
		}
		a := Assessment{Limit: l, Start: from, End: to}
		for _, d := range doses {
			if CountsToward(l.Code, d.Kind, d.Quantity) && !civilDay(d.Start).After(to) && !civilDay(d.End).Before(from) {
				a.Sum += d.Dose
				a.Records++
			}
		}
		out = append(out, a)
	}
	return out
}

// Episodes returns the episodes of every limit code over the person's doses,
// from the month of the first dose through the month of asOf (or of the last
// dose, if later): the runs of windows approaching or over a rolling limit,
// and each pregnancy or lens transition total approaching or over its limit.
func Episodes(p Person, doses []DatedDose, asOf time.Time) []Episode {
	var out []Episode
	for _, code := range RollingCodes {
		first, last, ok := span(code, doses)
		if !ok {
			continue
		}
		if m := MonthOf(asOf); last.Before(m) {
			last = m
		}
		out = append(out, episodes(code, RollingAssessments(p, code, doses, first, last))...)
	}
	if a, ok := TransitionAssessment(doses, asOf); ok {
		out = append(out, episodes(LimitLensTransition, []Assessment{a})...)
	}
	for _, a := range PregnancyAssessments(p, doses, asOf) {
		out = append(out, episodes(LimitPregnancy, []Assessment{a})...)
	}
	return out
}

// RollingCodes are the limits over 12 consecutive months, in display order.
var RollingCodes = []LimitCode{LimitEffective, LimitExtremity, LimitSkin, LimitLens}

// span returns the months of the first and last doses counting toward code.
func span(code LimitCode, doses []DatedDose) (first, last Month, ok bool) {
	for _, d := range doses {
		if !CountsToward(code, d.Kind, d.Quantity) {
			continue
		}
		m := d.Month()
		if !ok || m.Before(first) {
			first = m
		}
		if !ok || last.Before(m) {
			last = m
		}
		ok = true
	}
	return first, last, ok
}

func firstDayOf(m Month) time.Time { return time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, time.UTC) }

func lastDayOf(m Month) time.Time { return firstDayOf(m.AddMonths(1)).AddDate(0, 0, -1) }
