package exposure

import (
	"time"

	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/ent/exposuresummary"
)

// ApproachingShare is the share of a limit from which a standing is
// APPROACHING (dosimetry.ApproachingShare).
const ApproachingShare = dosimetry.ApproachingShare

// Standing is a worker's position against one limit over one window.
type Standing struct {
	Code dosimetry.LimitCode
	// Population is the population of the binding limit (ADULT, YOUNG,
	// UNBORN_CHILD).
	Population dosimetry.Population
	// WindowStart and WindowEnd are civil days, inclusive.
	WindowStart, WindowEnd time.Time
	Sum, Limit             dosimetry.Microsievert
	State                  exposuresummary.Status
	// Records is the number of results counted in the window (below-threshold
	// ones included).
	Records int
}

func standingOf(a dosimetry.Assessment) Standing {
	return Standing{Code: a.Limit.Code, Population: a.Limit.Population, WindowStart: a.Start, WindowEnd: a.End,
		Sum: a.Sum, Limit: a.Limit.Value, State: exposuresummary.Status(a.State()), Records: a.Records}
}

// Standings returns p's standing on the civil day asOf against each limit
// code tracked for them: the four rolling limits always; the lens
// transition total when asOf is in that period or p has a lens dose of it;
// the unborn child's limit of their latest declared pregnancy. doses are p's
// current results (ABSENT ones left out); those ending after the month of
// asOf are ignored.
//
// A rolling standing is the window of the 12 months ending with asOf's, held
// to the limits of its doses' own periods (dosimetry.RollingAssessments),
// unless an episode over the limit had a window over it ending in the 12
// months up to asOf's: then the standing is that episode's peak, the window
// its LIMIT_EXCEEDED alert reports, so that the standing and the alert tell
// the same story and an exceedance stays visible for a year after its last
// window over the limit. doses must reach back to the start of such an
// episode (see reachesBack).
func Standings(p dosimetry.Person, doses []dosimetry.DatedDose, asOf time.Time) []Standing {
	out, _ := standings(p, doses, asOf)
	return out
}

// standings is Standings, also reporting whether an exceedance standing may
// go back before the 23 months the current windows need: its episode begins
// at or before the first window those months make whole.
func standings(p dosimetry.Person, doses []dosimetry.DatedDose, asOf time.Time) (out []Standing, reachesBack bool) {
	asOf = civilDay(asOf)
	cur := dosimetry.MonthOf(asOf)
	var kept []dosimetry.DatedDose
	for _, d := range doses {
		if !cur.Before(d.Month()) {
			kept = append(kept, d)
		}
	}
	eps := dosimetry.Episodes(p, kept, asOf)
	for _, code := range dosimetry.RollingCodes {
		current := dosimetry.RollingAssessments(p, code, kept, cur, cur)
		if len(current) == 0 {
			continue
		}
		s := standingOf(current[0])
		for _, e := range eps {
			if e.Code != code || !e.Exceeded() || dosimetry.MonthOf(e.LastExceeded.End).Before(cur.AddMonths(-11)) {
				continue
			}
			s = standingOf(e.Peak) // the latest recent episode wins
			if !cur.AddMonths(-11).Before(dosimetry.MonthOf(e.First.End)) {
				reachesBack = true
			}
		}
		out = append(out, s)
	}
	if a, ok := dosimetry.TransitionAssessment(kept, asOf); ok && (a.Records > 0 || !asOf.After(a.Limit.To)) {
		out = append(out, standingOf(a))
	}
	if ps := dosimetry.PregnancyAssessments(p, kept, asOf); len(ps) > 0 {
		out = append(out, standingOf(ps[len(ps)-1]))
	}
	return out, reachesBack
}

func civilDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func firstDay(m dosimetry.Month) time.Time {
	return time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, time.UTC)
}

func lastDay(m dosimetry.Month) time.Time { return firstDay(m.AddMonths(1)).AddDate(0, 0, -1) }

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
