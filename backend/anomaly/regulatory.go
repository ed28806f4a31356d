package anomaly

import (
	"fmt"
	"time"

	"github.com/siseri/siseri/backend/dosimetry"
)

// Worker is what the regulatory layer needs to know of a worker.
type Worker struct {
	ID              int
	EstablishmentID int
	// Person is what the limits depend on: the birth date and every declared
	// pregnancy (exposure.LoadPeople).
	Person dosimetry.Person
	// Classes are the worker's classifications over time (A, B, RADON,
	// EMERGENCY_GROUP_1, EMERGENCY_GROUP_2), one per employment.
	Classes []Classification
}

// Classification is a worker's category over an employment's period (End
// zero while it lasts).
type Classification struct {
	Class      string
	Start, End time.Time
}

// classOn returns the classification in force on the civil day of t (the
// latest employment started by then), "" when none.
func (w Worker) classOn(t time.Time) string {
	class, since := "", time.Time{}
	for _, c := range w.Classes {
		if !c.Start.After(t) && (c.End.IsZero() || !c.End.Before(t)) && !c.Start.Before(since) {
			class, since = c.Class, c.Start
		}
	}
	return class
}

// limitDoses selects the measured doses of record (current, not ABSENT) for
// the limits; dosimetry.CountsToward then picks those of each limit.
func limitDoses(doses []Dose) []dosimetry.DatedDose {
	var out []dosimetry.DatedDose
	for _, d := range doses {
		if d.Absent {
			continue
		}
		out = append(out, dosimetry.DatedDose{Kind: d.Context.Kind, Quantity: d.Quantity, Start: d.Start, End: d.End,
			Dose: dosimetry.Microsievert(d.USv)})
	}
	return out
}

var limitLabels = map[dosimetry.LimitCode]string{
	dosimetry.LimitEffective:      "de dose efficace",
	dosimetry.LimitExtremity:      "de dose aux extrémités",
	dosimetry.LimitSkin:           "de dose à la peau",
	dosimetry.LimitLens:           "de dose au cristallin",
	dosimetry.LimitLensTransition: "cumulée au cristallin de la période transitoire 2018–2023",
	dosimetry.LimitPregnancy:      "pour l'enfant à naître (grossesse déclarée)",
}

var populationLabels = map[dosimetry.Population]string{
	dosimetry.PopulationYoung: " des jeunes travailleurs de moins de 18 ans",
}

// CheckLimits runs the regulatory layer for a worker whose doses changed:
// doses are all their current doses of record; changed are the months new or
// corrected doses fall in. The limits and their episodes are the standings'
// own (dosimetry.Episodes): each dose meets the limits in force for its
// period, for the person the worker was then, whatever the day asOf of the
// check. Each episode a changed month belongs to is one finding,
// LIMIT_EXCEEDED or LIMIT_APPROACHING, identified by its first crossing so
// that later batches update it instead of repeating it. With openOnly (a
// history import), only the episodes still open on asOf are raised: those
// the standings show.
func (c Config) CheckLimits(w Worker, doses []Dose, changed []dosimetry.Month, asOf time.Time, openOnly bool) []Finding {
	if len(changed) == 0 {
		return nil
	}
	var out []Finding
	for _, e := range dosimetry.Episodes(w.Person, limitDoses(doses), asOf) {
		if !touches(e, changed) || (openOnly && !OpenOn(e, asOf)) {
			continue
		}
		out = append(out, episodeFinding(w, e))
	}
	return append(out, c.classification(w, doses, changed)...)
}

// touches reports whether a changed month falls in one of the episode's
// windows.
func touches(e dosimetry.Episode, changed []dosimetry.Month) bool {
	lo, hi := dosimetry.MonthOf(e.First.Start), dosimetry.MonthOf(e.Last.End)
	for _, m := range changed {
		if !m.Before(lo) && !hi.Before(m) {
			return true
		}
	}
	return false
}

// OpenOn reports whether an episode still shows in the standings on asOf: an
// exceedance whose last window over the limit ends in the 12 months up to
// asOf's (or a pregnancy or transition total ending then), or an approach
// that the current window still shows.
func OpenOn(e dosimetry.Episode, asOf time.Time) bool {
	cur := dosimetry.MonthOf(asOf)
	last := e.Last
	if e.Exceeded() {
		last = *e.LastExceeded
	}
	if e.Exceeded() || e.Code == dosimetry.LimitPregnancy || e.Code == dosimetry.LimitLensTransition {
		return !dosimetry.MonthOf(last.End).Before(cur.AddMonths(-11))
	}
	return dosimetry.MonthOf(last.End) == cur
}

// episodeFinding describes an episode: its first crossing (the alert's
// period), its peak and its latest window.
func episodeFinding(w Worker, e dosimetry.Episode) Finding {
	first, kind, sev, verb := e.First, KindLimitNear, SeverityMedium, "approchée"
	if e.Exceeded() {
		first, kind, sev, verb = *e.Crossing, KindLimitExceeded, SeverityCritical, "dépassée"
	} else if e.Code == dosimetry.LimitPregnancy {
		sev = SeverityHigh
	}
	l := first.Limit
	f := Finding{
		Kind: kind, Layer: LayerRegulatory, Severity: sev, Score: e.Peak.Share(),
		WorkerID: w.ID, EstablishmentID: w.EstablishmentID, PeriodStart: first.Start, PeriodEnd: first.End,
		Explanation: fmt.Sprintf("Limite %s%s %s : %s (limite %s, soit %s).", limitLabels[l.Code], populationLabels[l.Population],
			verb, windowSentence(first), mSv(float64(l.Value)), percent(first.Share())),
		Reference: map[string]any{"limit": string(l.Code), "population": string(l.Population), "limitUsv": int64(l.Value),
			"sumUsv": int64(first.Sum), "windowFirst": first.Start.Format(time.DateOnly), "windowLast": first.End.Format(time.DateOnly),
			"source": l.Source, "peak": windowRef(e.Peak), "latest": windowRef(e.Last)},
		Identity:    []string{string(e.Code), dosimetry.MonthOf(first.End).String()},
		EpisodeFrom: e.First.End, EpisodeTo: e.Last.End,
	}
	if e.Peak.Share() > first.Share() {
		f.Latest = fmt.Sprintf("Au plus haut : %s (limite %s, soit %s).", windowSentence(e.Peak),
			mSv(float64(e.Peak.Limit.Value)), percent(e.Peak.Share()))
	}
	return f
}

// windowSentence says what a window holds: « 21,0 mSv sur les 12 mois
// glissants de juillet 2023 à juin 2024 », « 1,50 mSv du 10/01/2025 au
// 20/09/2025 ».
func windowSentence(a dosimetry.Assessment) string {
	if a.Limit.Window == dosimetry.WindowRolling12 {
		return fmt.Sprintf("%s sur les 12 mois glissants de %s à %s", mSv(float64(a.Sum)),
			monthName(dosimetry.MonthOf(a.Start)), monthName(dosimetry.MonthOf(a.End)))
	}
	return fmt.Sprintf("%s du %s au %s", mSv(float64(a.Sum)), a.Start.Format("02/01/2006"), a.End.Format("02/01/2006"))
}

func windowRef(a dosimetry.Assessment) map[string]any {
	return map[string]any{"windowFirst": a.Start.Format(time.DateOnly), "windowLast": a.End.Format(time.DateOnly),
		"sumUsv": int64(a.Sum), "limitUsv": int64(a.Limit.Value), "state": string(a.State())}
}

// classification flags a category B worker whose doses reach category A
// levels (effective > 6 mSv, lens > 15 mSv, extremities or skin > 150 mSv
// over 12 rolling months), the category being the one in force in the month
// the window ends.
func (c Config) classification(w Worker, doses []Dose, changed []dosimetry.Month) []Finding {
	thresholds := []struct {
		code  dosimetry.LimitCode
		value dosimetry.Microsievert
		label string
	}{
		{dosimetry.LimitEffective, 6000, "dose efficace"},
		{dosimetry.LimitLens, 15000, "dose au cristallin"},
		{dosimetry.LimitExtremity, 150000, "dose aux extrémités"},
		{dosimetry.LimitSkin, 150000, "dose à la peau"},
	}
	all := limitDoses(doses)
	var out []Finding
	for _, t := range thresholds {
		var dd []dosimetry.DatedDose
		for _, d := range all {
			if dosimetry.CountsToward(t.code, d.Kind, d.Quantity) {
				dd = append(dd, d)
			}
		}
		for _, ch := range changed {
			end := time.Date(ch.Year, ch.Month, 1, 0, 0, 0, 0, time.UTC)
			if w.classOn(end.AddDate(0, 1, -1)) != "B" {
				continue
			}
			if sum := dosimetry.RollingSum(dd, end); sum > t.value {
				out = append(out, Finding{
					Kind: KindClassification, Layer: LayerRegulatory, Severity: SeverityHigh, Score: float64(sum) / float64(t.value),
					WorkerID: w.ID, EstablishmentID: w.EstablishmentID,
					PeriodStart: end.AddDate(0, -11, 0), PeriodEnd: end.AddDate(0, 1, -1),
					Explanation: fmt.Sprintf("Travailleur classé en catégorie B avec une %s de %s sur 12 mois glissants jusqu'à %s, au-delà du seuil de la catégorie A (%s) : classement à revoir.",
						t.label, mSv(float64(sum)), monthName(ch), mSv(float64(t.value))),
					Reference: map[string]any{"threshold": string(t.code), "thresholdUsv": int64(t.value), "sumUsv": int64(sum)},
					Identity:  []string{string(t.code), fmt.Sprint(ch.Year)},
				})
				break
			}
		}
	}
	return out
}

func monthName(m dosimetry.Month) string {
	return monthsFR[m.Month-1] + " " + fmt.Sprint(m.Year)
}
