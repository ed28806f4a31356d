package exposure

import (
	"slices"
	"time"

	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/ent/exposuresummary"
)

// ApproachingShare is the share of a limit from which a standing is
// APPROACHING; it is the anomaly engine's default (anomaly.DefaultConfig).
const ApproachingShare = 0.8

// Dose is a current result of the dose of record as standings need it.
type Dose struct {
	// Kind and Quantity are the monitoring kind and quantity codes
	// (PASSIVE_WHOLE_BODY, HP10…).
	Kind, Quantity string
	// Start and End are the civil days of the wearing period, inclusive.
	Start, End time.Time
	USv        int64
}

// Person is what the applicable limits depend on.
type Person struct {
	BirthDate time.Time
	// PregnancyDeclared and PregnancyEnded are the latest declared pregnancy,
	// nil when none was declared (or not ended yet).
	PregnancyDeclared, PregnancyEnded *time.Time
}

// Standing is a worker's position against one limit over one window.
type Standing struct {
	Code dosimetry.LimitCode
	// WindowStart and WindowEnd are civil days, inclusive.
	WindowStart, WindowEnd time.Time
	Sum, Limit             dosimetry.Microsievert
	State                  exposuresummary.Status
	// Records is the number of results counted in the window (below-threshold
	// ones included).
	Records int
}

// State returns the state of sum against limit (see the package comment).
func State(sum, limit dosimetry.Microsievert) exposuresummary.Status {
	switch {
	case sum > limit:
		return exposuresummary.StatusExceeded
	case float64(sum) >= ApproachingShare*float64(limit):
		return exposuresummary.StatusApproaching
	}
	return exposuresummary.StatusOk
}

// Standings returns p's standing on the civil day asOf against every limit
// that applies then, plus the limits of keep (codes already tracked for the
// worker, such as the lens transition after 2023 or a past pregnancy, so that
// a stored standing never goes stale). doses are p's current results; those
// ending after the month of asOf are ignored.
func Standings(p Person, doses []Dose, asOf time.Time, keep ...dosimetry.LimitCode) []Standing {
	asOf = civilDay(asOf)
	status := dosimetry.StatusAt(p.BirthDate, asOf, p.PregnancyDeclared != nil)
	codes := map[dosimetry.LimitCode]bool{}
	for _, l := range dosimetry.LimitsAt(asOf, status) {
		codes[l.Code] = true
	}
	for _, c := range keep {
		codes[c] = true
	}
	var out []Standing
	for _, code := range []dosimetry.LimitCode{dosimetry.LimitEffective, dosimetry.LimitExtremity, dosimetry.LimitSkin,
		dosimetry.LimitLens, dosimetry.LimitLensTransition, dosimetry.LimitPregnancy} {
		if !codes[code] {
			continue
		}
		dd := dated(code, doses)
		var (
			s  Standing
			ok bool
		)
		switch code {
		case dosimetry.LimitLensTransition:
			s, ok = transition(dd, asOf)
		case dosimetry.LimitPregnancy:
			s, ok = pregnancy(p, dd, asOf)
		default:
			s, ok = rolling(code, p, dd, asOf)
		}
		if ok {
			out = append(out, s)
		}
	}
	return out
}

func dated(code dosimetry.LimitCode, doses []Dose) []dosimetry.DatedDose {
	var out []dosimetry.DatedDose
	for _, d := range doses {
		if dosimetry.CountsToward(code, d.Kind, d.Quantity) {
			out = append(out, dosimetry.DatedDose{Start: d.Start, End: d.End, Dose: dosimetry.Microsievert(d.USv)})
		}
	}
	return out
}

// rolling evaluates the 12 windows ending in the 12 months up to asOf's and
// keeps the current one, or the exceeded one with the largest share (the
// latest of equals, so that a standing exceedance shows its current window).
func rolling(code dosimetry.LimitCode, p Person, dd []dosimetry.DatedDose, asOf time.Time) (Standing, bool) {
	last := dosimetry.MonthOf(asOf)
	var cur, worst Standing
	found := false
	for i := 11; i >= 0; i-- {
		m := last.AddMonths(-i)
		end := earliest(lastDay(m), asOf)
		l, ok := dosimetry.LimitAt(code, end, dosimetry.StatusAt(p.BirthDate, end, false))
		if !ok {
			continue
		}
		first := m.AddMonths(-11)
		s := Standing{Code: code, WindowStart: firstDay(first), WindowEnd: lastDay(m), Sum: dosimetry.RollingSum(dd, end), Limit: l.Value}
		s.State = State(s.Sum, s.Limit)
		for _, d := range dd {
			if dm := d.Month(); !dm.Before(first) && !m.Before(dm) {
				s.Records++
			}
		}
		if s.State == exposuresummary.StatusExceeded && (!found || share(s) >= share(worst)) { // the latest on ties
			worst, found = s, true
		}
		if i == 0 {
			cur = s
		}
	}
	if found {
		return worst, true
	}
	return cur, cur.Limit > 0
}

// pregnancy sums the effective dose from the declaration to the end of the
// pregnancy, or to asOf while it lasts.
func pregnancy(p Person, dd []dosimetry.DatedDose, asOf time.Time) (Standing, bool) {
	if p.PregnancyDeclared == nil || civilDay(*p.PregnancyDeclared).After(asOf) {
		return Standing{}, false
	}
	from, to := civilDay(*p.PregnancyDeclared), asOf
	if p.PregnancyEnded != nil && civilDay(*p.PregnancyEnded).Before(to) {
		to = civilDay(*p.PregnancyEnded)
	}
	l, ok := dosimetry.LimitAt(dosimetry.LimitPregnancy, to, dosimetry.StatusAt(p.BirthDate, to, true))
	if !ok {
		return Standing{}, false
	}
	return period(dosimetry.LimitPregnancy, l.Value, dd, from, to), true
}

// transition sums the lens dose over the transition period 2018-07-01 –
// 2023-06-30 (up to the month of asOf while it lasts).
func transition(dd []dosimetry.DatedDose, asOf time.Time) (Standing, bool) {
	i := slices.IndexFunc(dosimetry.Limits(), func(l dosimetry.Limit) bool { return l.Code == dosimetry.LimitLensTransition })
	if i < 0 {
		return Standing{}, false
	}
	l := dosimetry.Limits()[i]
	if asOf.Before(l.From) {
		return Standing{}, false
	}
	return period(l.Code, l.Value, dd, l.From, earliest(l.To, lastDay(dosimetry.MonthOf(asOf)))), true
}

// period sums the doses whose period ends from from to to (civil days).
func period(code dosimetry.LimitCode, limit dosimetry.Microsievert, dd []dosimetry.DatedDose, from, to time.Time) Standing {
	s := Standing{Code: code, WindowStart: from, WindowEnd: to, Limit: limit}
	for _, d := range dd {
		if e := civilDay(d.End); !e.Before(from) && !e.After(to) {
			s.Sum += d.Dose
			s.Records++
		}
	}
	s.State = State(s.Sum, s.Limit)
	return s
}

func share(s Standing) float64 { return float64(s.Sum) / float64(s.Limit) }

func civilDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func firstDay(m dosimetry.Month) time.Time {
	return time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, time.UTC)
}

func lastDay(m dosimetry.Month) time.Time { return firstDay(m.AddMonths(1)).AddDate(0, 0, -1) }

func earliest(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

var labels = map[dosimetry.LimitCode]string{
	dosimetry.LimitEffective:      "Dose efficace (12 mois glissants)",
	dosimetry.LimitExtremity:      "Dose équivalente aux extrémités (12 mois glissants)",
	dosimetry.LimitSkin:           "Dose équivalente à la peau (12 mois glissants)",
	dosimetry.LimitLens:           "Dose équivalente au cristallin (12 mois glissants)",
	dosimetry.LimitLensTransition: "Dose cumulée au cristallin, période transitoire du 1er juillet 2018 au 30 juin 2023",
	dosimetry.LimitPregnancy:      "Enfant à naître (de la déclaration de grossesse à la naissance)",
}

// Label returns the French label of a limit code, e.g. « Dose efficace (12
// mois glissants) », or the code itself when it is unknown.
func Label(code dosimetry.LimitCode) string {
	if l, ok := labels[code]; ok {
		return l
	}
	return string(code)
}
