package anomaly

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/doserecord"
	"github.com/siseri/siseri/ent/employment"
	"github.com/siseri/siseri/policy"
)

// gapTolerance is how far apart two consecutive wearing periods may be
// without a period being missing between them (badge exchange days).
const gapTolerance = 7 * 24 * time.Hour

// expectsResults reports whether a monitoring kind is a wearing period with
// one result each (skin doses are a second reading of the whole-body badge).
func expectsResults(kind string) bool {
	return kind != "SKIN" && kind != "OPERATIONAL"
}

func (d Dose) missingFinding(start, end time.Time, sev Severity, explanation string, ref map[string]any) Finding {
	f := d.finding(KindMissing, LayerValidity, sev, 1, explanation, ref, d.Context.Kind, d.Quantity, start.Format(time.DateOnly))
	f.PeriodStart, f.PeriodEnd = start, end
	return f
}

// CheckMissingOnArrival runs the "expected result missing" rules that a new
// result reveals (ANOMALY.md §4 L0): an absence of result declared by the
// laboratory; a result received (Dose.Received, else now) more than
// MissingGrace after its period ended; a gap between this result and the worker's previous one of the
// same kind at the same establishment; a result spanning two or more of
// the worker's usual wearing periods (a result missing, summed into the
// next). history holds the worker's other current results.
//
// employedSince is the start of the worker's current employment (zero when
// unknown): the usual wearing period is learnt from its results only, since
// a change of job or category changes it.
func (c Config) CheckMissingOnArrival(d Dose, history []Dose, now, employedSince time.Time) []Finding {
	if !expectsResults(d.Context.Kind) {
		return nil
	}
	var out []Finding
	span := period(d.Start, d.End)
	if d.Absent {
		out = append(out, d.missingFinding(d.Start, d.End, SeverityMedium,
			fmt.Sprintf("Absence de résultat déclarée par le laboratoire pour le dosimètre %s %s (%s) : dose de la période inconnue, à estimer ou à expliquer.",
				kindLabel(d.Context.Kind), orDash(d.Dosimeter), span), map[string]any{"reason": "absent"}))
		return out
	}
	received := d.Received
	if received.IsZero() {
		received = now
	}
	if !received.IsZero() && received.Sub(d.End) > c.MissingGrace+24*time.Hour {
		days := int(received.Sub(d.End).Hours() / 24)
		out = append(out, d.missingFinding(d.Start, d.End, SeverityLow,
			fmt.Sprintf("Résultat %s %s reçu %d jours après la fin de la période de port (délai attendu : %d jours) : résultat transmis en retard.",
				kindLabel(d.Context.Kind), span, days, int(c.MissingGrace.Hours()/24)),
			map[string]any{"reason": "late", "delayDays": days}))
	}
	var prev *Dose
	for i := range history {
		h := &history[i]
		if h.ID == d.ID || h.Context.Kind != d.Context.Kind || h.Quantity != d.Quantity || h.EstablishmentID != d.EstablishmentID || !h.End.Before(d.Start) {
			continue
		}
		if prev == nil || h.End.After(prev.End) {
			prev = h
		}
	}
	if prev == nil {
		return out
	}
	if gapStart := prev.End.AddDate(0, 0, 1); d.Start.Sub(gapStart) > gapTolerance {
		gapEnd := d.Start.AddDate(0, 0, -1)
		out = append(out, d.missingFinding(gapStart, gapEnd, SeverityMedium,
			fmt.Sprintf("Aucun résultat %s reçu %s pour ce travailleur, entre deux résultats du même établissement : résultat manquant ou perdu.",
				kindLabel(d.Context.Kind), period(gapStart, gapEnd)), map[string]any{"reason": "gap"}))
		return out
	}
	var current []Dose
	for _, h := range history {
		if !h.Start.Before(employedSince) {
			current = append(current, h)
		}
	}
	usual := establishedPeriod(d, current)
	if usual > 0 && d.Context.Months >= 2*usual {
		firstEnd := d.Start.AddDate(0, usual, -1)
		out = append(out, d.missingFinding(d.Start, firstEnd, SeverityLow,
			fmt.Sprintf("Résultat %s couvrant %s alors que ce travailleur porte un dosimètre par période de %d mois : le résultat de %s manque ou a été cumulé avec le suivant.",
				kindLabel(d.Context.Kind), span, usual, period(d.Start, firstEnd)), map[string]any{"reason": "summed", "usualMonths": usual}))
	}
	return out
}

// missingOnArrival runs CheckMissingOnArrival on a batch; since is the
// start of each worker's latest employment (Engine.workers).
func (e *Engine) missingOnArrival(batch []Dose, histories map[int][]Dose, since map[int]time.Time) []Finding {
	var out []Finding
	now := time.Time{}
	if e.Now != nil {
		now = e.Now()
	}
	for _, d := range batch {
		s := since[d.WorkerID]
		if s.After(d.Start) {
			s = time.Time{} // a result of an earlier employment
		}
		out = append(out, e.Config.CheckMissingOnArrival(d, histories[d.WorkerID], now, s)...)
	}
	return out
}

// CheckMissing is the periodic half of the "expected result missing" rule:
// for every worker still employed whose last result of a monitoring kind
// ended more than one usual wearing period plus MissingGrace before asOf,
// it raises a MISSING_RESULT finding for the expected period (once: the
// finding's identity is the expected period's start). Run it daily (or after
// each monthly replay); it returns the anomalies created.
func (e *Engine) CheckMissing(ctx context.Context, client *ent.Client, asOf time.Time) ([]*ent.Anomaly, error) {
	ctx = policy.SystemContext(ctx)
	from := asOf.AddDate(0, -15, 0)
	recs, err := client.DoseRecord.Query().Where(doserecord.Current(true), doserecord.PeriodEndGTE(from), doserecord.PeriodEndLTE(asOf)).
		Select(doserecord.FieldID, doserecord.FieldWorkerID, doserecord.FieldEstablishmentID, doserecord.FieldMonitoringKind,
			doserecord.FieldQuantity, doserecord.FieldPeriodStart, doserecord.FieldPeriodEnd, doserecord.FieldDosimeterSerial).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load dose records: %w", err)
	}
	type key struct {
		worker, est   int
		kind, quantit string
	}
	series := map[key][]Dose{}
	for _, r := range recs {
		k := key{r.WorkerID, r.EstablishmentID, string(r.MonitoringKind), string(r.Quantity)}
		if !expectsResults(k.kind) || r.Quantity == doserecord.QuantityHp007 && r.MonitoringKind == doserecord.MonitoringKindPassiveWholeBody {
			continue // a second reading of the badge: its Hp(10) series says when it is missing
		}
		series[k] = append(series[k], Dose{ID: r.ID, WorkerID: r.WorkerID, EstablishmentID: r.EstablishmentID, Quantity: k.quantit,
			Dosimeter: r.DosimeterSerial, Start: r.PeriodStart, End: r.PeriodEnd,
			Context: Context{Kind: k.kind, Months: periodMonths(r.PeriodStart, r.PeriodEnd)}})
	}
	if len(series) == 0 {
		return nil, nil
	}
	emps, err := client.Employment.Query().Select(employment.FieldWorkerID, employment.FieldEstablishmentID,
		employment.FieldStartDate, employment.FieldEndDate).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load employments: %w", err)
	}
	type we struct{ worker, est int }
	ends := map[we][]*ent.Employment{}
	for _, em := range emps {
		ends[we{em.WorkerID, em.EstablishmentID}] = append(ends[we{em.WorkerID, em.EstablishmentID}], em)
	}
	var findings []Finding
	ks := make([]key, 0, len(series))
	for k := range series {
		ks = append(ks, k)
	}
	slices.SortFunc(ks, func(a, b key) int { return a.worker - b.worker })
	for _, k := range ks {
		ds := series[k]
		slices.SortFunc(ds, func(a, b Dose) int { return a.End.Compare(b.End) })
		if f, ok := e.Config.checkSilence(ds, ends[we{k.worker, k.est}], asOf); ok {
			findings = append(findings, f)
		}
	}
	return Store(ctx, client, findings, e.Postgres)
}

// checkSilence flags a series of results (one worker, establishment, kind
// and quantity, by period end) whose next result is overdue at asOf while
// the worker is still employed there.
func (c Config) checkSilence(ds []Dose, emps []*ent.Employment, asOf time.Time) (Finding, bool) {
	last := ds[len(ds)-1]
	// Only the results of the employment in force count: a change of job
	// or category changes the wearing period.
	var since time.Time
	for _, em := range emps {
		if !em.StartDate.After(last.Start) && em.StartDate.After(since) {
			since = em.StartDate
		}
	}
	var current []Dose
	for _, d := range ds {
		if !d.Start.Before(since) {
			current = append(current, d)
		}
	}
	// Until a wearing period is established (a first, partial period after
	// hiring), wait for the longest one (3 months, category B).
	usual := establishedPeriod(Dose{Start: last.End.AddDate(0, 0, 1), Context: last.Context, Quantity: last.Quantity,
		EstablishmentID: last.EstablishmentID}, current)
	if usual == 0 {
		usual = 3
	}
	start := last.End.AddDate(0, 0, 1)
	end := start.AddDate(0, usual, -1)
	if asOf.Sub(end) <= c.MissingGrace+24*time.Hour || asOf.Sub(end) > 200*24*time.Hour {
		return Finding{}, false
	}
	// The employment of the last result must still hold: a new employment
	// (another job or category) may change what is monitored and how often;
	// its own results set the new pattern.
	employed := false
	for _, em := range emps {
		if !em.StartDate.After(last.End) && (em.EndDate == nil || em.EndDate.After(end)) {
			employed = true
		}
	}
	if !employed {
		return Finding{}, false
	}
	f := last.missingFinding(start, end, SeverityMedium,
		fmt.Sprintf("Aucun résultat %s reçu pour %s, %d jours après la fin de la période de port, alors que le travailleur est toujours déclaré : résultat manquant ou en retard.",
			kindLabel(last.Context.Kind), period(start, end), int(asOf.Sub(end).Hours()/24)),
		map[string]any{"reason": "overdue", "lastResultEnd": last.End.Format(time.DateOnly)})
	f.RecordIDs = nil
	return f, true
}

// establishedPeriod is the wearing period (months) of the worker's results
// of d's kind at d's establishment before d, when at least two of the last
// three agree on it; 0 when none is established yet (a first, partial
// period after hiring does not make a pattern).
func establishedPeriod(d Dose, history []Dose) int {
	var p []Dose
	for _, h := range history {
		if h.ID != d.ID && h.Context.Kind == d.Context.Kind && h.Quantity == d.Quantity && h.EstablishmentID == d.EstablishmentID && h.End.Before(d.Start) {
			p = append(p, h)
		}
	}
	slices.SortFunc(p, func(a, b Dose) int { return a.End.Compare(b.End) })
	p = p[max(0, len(p)-3):]
	count := map[int]int{}
	best := 0
	for _, h := range p {
		count[h.Context.Months]++
		if count[h.Context.Months] >= 2 && (best == 0 || h.Context.Months < best) {
			best = h.Context.Months
		}
	}
	return best
}
