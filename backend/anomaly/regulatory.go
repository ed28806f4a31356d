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
	BirthDate       time.Time
	// Classification is A, B, RADON, EMERGENCY_GROUP_1 or EMERGENCY_GROUP_2.
	Classification    string
	PregnancyDeclared *time.Time
	PregnancyEnded    *time.Time
}

// limitDoses selects the measured doses that count toward a limit
// (dosimetry.CountsToward).
func limitDoses(code dosimetry.LimitCode, doses []Dose) []dosimetry.DatedDose {
	var out []dosimetry.DatedDose
	for _, d := range doses {
		if d.Absent || d.Zero || d.USv <= 0 {
			continue
		}
		if dosimetry.CountsToward(code, d.Context.Kind, d.Quantity) {
			out = append(out, dosimetry.DatedDose{Start: d.Start, End: d.End, Dose: dosimetry.Microsievert(d.USv)})
		}
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

// CheckLimits runs the regulatory layer for a worker whose doses changed:
// doses are all their current doses of record; changed are the months new
// or corrected doses fall in. Each limit is an episode: the run of
// consecutive windows above it (or above ApproachingShare of it) that
// touches a changed month, identified by its first window so that later
// batches extend the episode instead of repeating it.
func (c Config) CheckLimits(w Worker, doses []Dose, changed []dosimetry.Month, asOf time.Time) []Finding {
	if len(changed) == 0 {
		return nil
	}
	status := dosimetry.StatusAt(w.BirthDate, asOf, w.PregnancyDeclared != nil && (w.PregnancyEnded == nil || w.PregnancyEnded.After(asOf)))
	var out []Finding
	for _, l := range dosimetry.LimitsAt(asOf, status) {
		switch l.Window {
		case dosimetry.WindowRolling12:
			out = append(out, c.rollingEpisodes(w, l, doses, changed)...)
		case dosimetry.WindowTransitionTotal, dosimetry.WindowPregnancy:
			if f, ok := c.periodTotal(w, l, doses, asOf); ok {
				out = append(out, f)
			}
		}
	}
	if w.Classification == "B" {
		out = append(out, c.classification(w, doses, changed)...)
	}
	return out
}

// rollingEpisodes finds, for one 12-month limit, the episodes above the limit
// (LIMIT_EXCEEDED) or approaching it (LIMIT_APPROACHING) that a changed month
// belongs to.
func (c Config) rollingEpisodes(w Worker, l dosimetry.Limit, doses []Dose, changed []dosimetry.Month) []Finding {
	dd := limitDoses(l.Code, doses)
	if len(dd) == 0 {
		return nil
	}
	first, last, _ := dosimetry.DoseSpan(dd)
	lastMonth := dosimetry.MonthOf(last).AddMonths(11)
	approaching := dosimetry.Microsievert(float64(l.Value) * c.ApproachingShare)
	type episode struct {
		start, peak dosimetry.Month
		sum         dosimetry.Microsievert
		touched     bool
		exceeded    bool
	}
	var episodes []episode
	var cur *episode
	for m := dosimetry.MonthOf(first); !lastMonth.Before(m); m = m.AddMonths(1) {
		sum := dosimetry.RollingSum(dd, time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, time.UTC))
		if sum < approaching {
			cur = nil
			continue
		}
		if cur == nil {
			episodes = append(episodes, episode{start: m})
			cur = &episodes[len(episodes)-1]
		}
		if sum > cur.sum {
			cur.sum, cur.peak = sum, m
		}
		cur.exceeded = cur.exceeded || sum > l.Value
		for _, ch := range changed {
			if !ch.Before(m.AddMonths(-11)) && !m.Before(ch) {
				cur.touched = true
			}
		}
	}
	var out []Finding
	for _, e := range episodes {
		if !e.touched {
			continue
		}
		kind, sev := KindLimitNear, SeverityMedium
		verb := "approchée"
		if e.exceeded {
			kind, sev, verb = KindLimitExceeded, SeverityCritical, "dépassée"
		}
		winFirst := e.peak.AddMonths(-11)
		f := Finding{
			Kind: kind, Layer: LayerRegulatory, Severity: sev, Score: float64(e.sum) / float64(l.Value),
			WorkerID: w.ID, EstablishmentID: w.EstablishmentID,
			PeriodStart: time.Date(winFirst.Year, winFirst.Month, 1, 0, 0, 0, 0, time.UTC),
			PeriodEnd:   time.Date(e.peak.Year, e.peak.Month, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1, -1),
			Explanation: fmt.Sprintf("Limite %s %s : %s sur les 12 mois glissants de %s à %s (limite %s, soit %s).",
				limitLabels[l.Code], verb, mSv(float64(e.sum)), monthName(winFirst), monthName(e.peak),
				mSv(float64(l.Value)), percent(float64(e.sum)/float64(l.Value))),
			Reference: map[string]any{"limit": string(l.Code), "population": string(l.Population), "limitUsv": int64(l.Value),
				"sumUsv": int64(e.sum), "windowFirst": winFirst.String(), "windowLast": e.peak.String(), "source": l.Source},
			Identity: []string{string(l.Code), string(l.Population), e.start.String()},
		}
		out = append(out, f)
	}
	return out
}

// periodTotal checks a limit over a fixed period: the lens transition, or
// the pregnancy from its declaration.
func (c Config) periodTotal(w Worker, l dosimetry.Limit, doses []Dose, asOf time.Time) (Finding, bool) {
	from, to := l.From, l.To
	if l.Window == dosimetry.WindowPregnancy {
		if w.PregnancyDeclared == nil {
			return Finding{}, false
		}
		from, to = *w.PregnancyDeclared, asOf
		if w.PregnancyEnded != nil {
			to = *w.PregnancyEnded
		}
	}
	var sum dosimetry.Microsievert
	for _, d := range limitDoses(l.Code, doses) {
		if !d.End.Before(from) && !d.End.After(to) {
			sum += d.Dose
		}
	}
	share := float64(sum) / float64(l.Value)
	if share < c.ApproachingShare {
		return Finding{}, false
	}
	kind, sev, verb := KindLimitNear, SeverityHigh, "approchée"
	if sum > l.Value {
		kind, sev, verb = KindLimitExceeded, SeverityCritical, "dépassée"
	}
	return Finding{
		Kind: kind, Layer: LayerRegulatory, Severity: sev, Score: share, WorkerID: w.ID, EstablishmentID: w.EstablishmentID,
		PeriodStart: from, PeriodEnd: to,
		Explanation: fmt.Sprintf("Limite %s %s : %s du %s au %s (limite %s).", limitLabels[l.Code], verb, mSv(float64(sum)),
			from.Format("02/01/2006"), to.Format("02/01/2006"), mSv(float64(l.Value))),
		Reference: map[string]any{"limit": string(l.Code), "limitUsv": int64(l.Value), "sumUsv": int64(sum),
			"from": from.Format(time.DateOnly), "to": to.Format(time.DateOnly), "source": l.Source},
		Identity: []string{string(l.Code), from.Format(time.DateOnly)},
	}, true
}

// classification flags a category B worker whose doses reach category A
// levels (effective > 6 mSv, lens > 15 mSv, extremities or skin > 150 mSv
// over 12 rolling months).
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
	var out []Finding
	for _, t := range thresholds {
		dd := limitDoses(t.code, doses)
		for _, ch := range changed {
			end := time.Date(ch.Year, ch.Month, 1, 0, 0, 0, 0, time.UTC)
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

// CheckInvestigationLevel flags a single result above 3/10 of its limit
// pro-rated to its wearing period (ICRP practice; an informational finding).
func (c Config) CheckInvestigationLevel(w Worker, d Dose, asOf time.Time) (Finding, bool) {
	code := map[string]dosimetry.LimitCode{"PASSIVE_WHOLE_BODY": dosimetry.LimitEffective, "NEUTRON": dosimetry.LimitEffective,
		"INTERNAL": dosimetry.LimitEffective, "AVIATION": dosimetry.LimitEffective, "RADON": dosimetry.LimitEffective, "EXTREMITY": dosimetry.LimitExtremity, "SKIN": dosimetry.LimitSkin, "LENS": dosimetry.LimitLens}[d.Context.Kind]
	if code == "" || d.Zero || d.Absent {
		return Finding{}, false
	}
	l, ok := dosimetry.LimitAt(code, d.End, dosimetry.StatusAt(w.BirthDate, d.End, false))
	if !ok || l.Window != dosimetry.WindowRolling12 {
		return Finding{}, false
	}
	months := max(1, min(12, d.Context.Months))
	level, err := dosimetry.InvestigationLevel(l, months)
	if err != nil || dosimetry.Microsievert(d.USv) <= level {
		return Finding{}, false
	}
	return d.finding(KindInvestigation, LayerRegulatory, SeverityInfo, float64(d.USv)/float64(level),
		fmt.Sprintf("%s de %s en %s : au-dessus du niveau d'investigation (3/10 de la limite au prorata de la période, %s) ; la cause doit être examinée.",
			upper(quantityLabel(d.Quantity)), mSv(float64(d.USv)), period(d.Start, d.End), mSv(float64(level))),
		map[string]any{"limit": string(code), "levelUsv": int64(level), "months": months}, d.naturalKey()), true
}

func monthName(m dosimetry.Month) string {
	return monthsFR[m.Month-1] + " " + fmt.Sprint(m.Year)
}
