package eval

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"time"

	"github.com/siseri/siseri/backend/anomaly"
	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/backend/synth"
)

// KindRejected marks the rows the import validator refused (a validity
// alert raised before detection: the value never entered the registry).
const KindRejected = "REJECTED_BY_VALIDATOR"

// Accepts maps each label kind to the detector kinds that detect it: the
// kind of the same name, and the kinds that flag the same record or
// episode for a reason a PCR would follow to the same cause (a beam
// exposure is a context outlier, a jump against the worker's history, or a
// passive/operational discrepancy; a unit error ×1000 is also implausible…).
// Alerts of a compatible kind count as detections; "tag_match" reports how
// many detections carry the label's own kind.
var Accepts = map[string][]string{
	synth.LabelUnitError: {string(anomaly.KindUnitError), string(anomaly.KindImplausible), string(anomaly.KindContext),
		string(anomaly.KindJump), string(anomaly.KindDiscrepancy), KindRejected},
	synth.LabelBeam: {string(anomaly.KindContext), string(anomaly.KindJump), string(anomaly.KindImplausible),
		string(anomaly.KindDiscrepancy), string(anomaly.KindUnitError), KindRejected},
	synth.LabelSwap: {string(anomaly.KindJump), string(anomaly.KindContext), string(anomaly.KindDiscrepancy)},
	synth.LabelContamination: {string(anomaly.KindContamination), string(anomaly.KindContext), string(anomaly.KindJump), string(anomaly.KindImplausible),
		string(anomaly.KindDiscrepancy), KindRejected},
	synth.LabelDrift:       {string(anomaly.KindDrift), string(anomaly.KindJump), string(anomaly.KindContext), string(anomaly.KindDiscrepancy)},
	synth.LabelZeroRun:     {string(anomaly.KindZeroRun), string(anomaly.KindDiscrepancy)},
	synth.LabelMissing:     {string(anomaly.KindMissing), string(anomaly.KindOverlap), KindRejected},
	synth.LabelDiscrepancy: {string(anomaly.KindDiscrepancy)},
	// The declared-context check names the mislabel; the other findings on a
	// mislabelled worker are neither true nor false (their context is wrong).
	synth.LabelMislabel: {string(anomaly.KindMislabel), string(anomaly.KindContext), string(anomaly.KindJump), string(anomaly.KindDrift), string(anomaly.KindZeroRun)},
}

// regulatoryKinds are L1 findings: scored apart (regulatory recall), never
// counted as false alerts since they state a fact about the recorded doses.
// The notices of results above their dose constraint (the investigation
// level by default) are not anomalies: read apart (doseConstraintNotices),
// they count toward the regulatory recall only.
var regulatoryKinds = map[string]bool{
	string(anomaly.KindLimitExceeded): true, string(anomaly.KindLimitNear): true,
	string(anomaly.KindClassification): true,
}

type label struct {
	id          int
	kind, scope string
	nir         string
	kindCode    string // monitoring kind (English code)
	start, end  time.Time
	onset       time.Time
	onsetMonth  int
	scored      bool
	months      int // wearing period length
}

type alert struct {
	id         int
	kind       string
	nir        string
	start, end time.Time
	month      int
	scored     bool
}

func overlaps(a0, a1, b0, b1 time.Time) bool { return !a0.After(b1) && !b0.After(a1) }

// matches reports whether an alert (of a compatible kind) points at l.
func (l *label) matches(a *alert) bool {
	if a.nir != l.nir || a.month < l.onsetMonth-1 {
		return false
	}
	if l.scope == "episode" {
		return overlaps(a.start, a.end, l.start, l.end.AddDate(0, 3, 0)) && a.month <= monthsBetween(l.onset, l.end)+l.onsetMonth+6
	}
	return overlaps(a.start, a.end, l.start, l.end)
}

func monthsBetween(a, b time.Time) int {
	return (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month())
}

func compatible(labelKind, alertKind string) bool {
	for _, k := range Accepts[labelKind] {
		if k == alertKind {
			return true
		}
	}
	return false
}

// KindScore is the score of one kind.
type KindScore struct {
	Labels     int      `json:"labels"`
	Detected   int      `json:"detected"`
	Alerts     int      `json:"alerts"`
	TruePos    int      `json:"true_alerts"`
	FalsePos   int      `json:"false_alerts"`
	Precision  float64  `json:"precision"`
	Recall     float64  `json:"recall"`
	F1         float64  `json:"f1"`
	LatencyP50 *float64 `json:"latency_p50"`
	LatencyP90 *float64 `json:"latency_p90"`
	// TagMatch is the share of detected labels whose first detection has
	// the label's own kind.
	TagMatch float64 `json:"tag_match"`
}

// GroupScore is the detector's score over a family of kinds: precision over
// the alerts of the family's kinds, recall over its labels.
type GroupScore struct {
	// Kinds are the label kinds scored.
	Kinds           []string `json:"label_kinds"`
	Precision       float64  `json:"precision"`
	Recall          float64  `json:"recall"`
	F1              float64  `json:"f1"`
	FalseAlertsPerK float64  `json:"false_alerts_per_1000_worker_months"`
	Alerts          int      `json:"alerts"`
	TruePos         int      `json:"true_alerts"`
	FalsePos        int      `json:"false_alerts"`
	Labels          int      `json:"labels"`
	Detected        int      `json:"detected"`
	WorkerMonths    int      `json:"worker_months"`
}

// Overall is the headline: the detector's score over the point kinds
// without MISSING_RESULT (ANOMALY.md §5), and the regulatory recall.
type Overall struct {
	GroupScore
	// Regulatory: limit crossings of the recorded doses over 12 rolling
	// months and single results above the investigation level, alerted.
	RegulatoryRecall      float64 `json:"regulatory_recall"`
	LimitCrossings        int     `json:"limit_crossings"`
	LimitCrossingsAlerted int     `json:"limit_crossings_alerted"`
	InvestigationLevels   int     `json:"investigation_levels"`
	InvestigationAlerted  int     `json:"investigation_levels_alerted"`
	RegulatoryFindings    int     `json:"regulatory_findings"`
	// ConstraintNotices are the notices of results above their dose
	// constraint (no constraint is set in the evaluation: the default, the
	// investigation level), read apart from the anomalies.
	ConstraintNotices int `json:"constraint_notices"`
}

// group is a family of kinds scored together: which labels it scores and
// which alert kinds count toward its precision.
type group struct {
	label func(*label) bool
	alert func(kind string) bool
}

// episodeAlertKinds are the detector kinds that name an episode (a run of
// periods) rather than a record.
var episodeAlertKinds = map[string]bool{string(anomaly.KindMissing): true, string(anomaly.KindDrift): true, string(anomaly.KindZeroRun): true,
	string(anomaly.KindMislabel): true}

var (
	// pointGroup is the headline: the record-level kinds (unit error, beam,
	// swap, contamination, discrepancy) without MISSING_RESULT, whose labels
	// outnumber all the others and would carry any overall score.
	pointGroup = group{
		label: func(l *label) bool { return l.scope == "record" && l.kind != synth.LabelMissing },
		alert: func(k string) bool { return !episodeAlertKinds[k] },
	}
	// missingGroup scores the MISSING_RESULT labels and alerts apart.
	missingGroup = group{
		label: func(l *label) bool { return l.kind == synth.LabelMissing },
		alert: func(k string) bool { return k == string(anomaly.KindMissing) },
	}
	// episodeGroup scores the episodes (drift, runs of zeros) apart.
	episodeGroup = group{
		label: func(l *label) bool { return l.scope == "episode" },
		alert: func(k string) bool { return episodeAlertKinds[k] && k != string(anomaly.KindMissing) },
	}
	// allGroup is every kind (the former headline).
	allGroup = group{label: func(*label) bool { return true }, alert: func(string) bool { return true }}
)

func prf(tp, fp, detected, labels int) (p, r, f float64) {
	if tp+fp > 0 {
		p = float64(tp) / float64(tp+fp)
	}
	if labels > 0 {
		r = float64(detected) / float64(labels)
	}
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return
}

func quantile(xs []float64, q float64) *float64 {
	if len(xs) == 0 {
		return nil
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	v := s[int(math.Ceil(q*float64(len(s))))-1]
	return &v
}

// scoring holds what the scorer needs.
type scoring struct {
	w        window
	warmup   int
	labels   []*label
	byNIR    map[string][]*label
	alerts   []*alert
	records  []*doseNode
	nirOf    map[int]string
	birthOf  map[int]time.Time
	anoms    []*anomalyNode
	notices  []*anomalyNode // doseConstraintNotices: never alerts
	raisedIn map[int]int
	wm       int
	missedIL []*doseNode
}

func (s *scoring) labelsOf(nir string) []*label { return s.byNIR[nir] }

// classify returns, for an alert, whether it matches a scored label of g
// (true alert), any label (neutral) or none (false alert).
func (s *scoring) classify(a *alert, g group) (tp, neutral bool) {
	for _, l := range s.labelsOf(a.nir) {
		if compatible(l.kind, a.kind) && l.matches(a) {
			if l.scored && g.label(l) && names(l, a) {
				return true, false
			}
			neutral = true
		}
	}
	return false, neutral
}

// names reports whether alert a can detect label l: any compatible kind,
// except for a mislabel, which only the declared-context finding names (the
// other findings on a mislabelled worker are neither true nor false: their
// context is wrong).
func names(l *label, a *alert) bool {
	return l.kind != synth.LabelMislabel || a.kind == string(anomaly.KindMislabel)
}

// counted reports whether an alert enters precision (scored months, not a
// regulatory finding).
func counted(a *alert) bool { return a.scored && !regulatoryKinds[a.kind] }

// firstDetection returns the first alert of a compatible kind that points
// at l (nil: missed), preferring the label's own kind within a month.
func firstDetection(l *label, alerts []*alert) *alert {
	var first *alert
	for _, a := range alerts {
		if compatible(l.kind, a.kind) && l.matches(a) && names(l, a) && (first == nil || a.month < first.month || (a.month == first.month && a.kind == l.kind)) {
			first = a
		}
	}
	return first
}

// alertsByNIR returns the non-regulatory alerts by worker.
func (s *scoring) alertsByNIR() map[string][]*alert {
	out := map[string][]*alert{}
	for _, a := range s.alerts {
		if !regulatoryKinds[a.kind] {
			out[a.nir] = append(out[a.nir], a)
		}
	}
	return out
}

// kindScores scores each kind: precision per alert kind (against any
// scored label), recall and latency per label kind.
func (s *scoring) kindScores() map[string]*KindScore {
	kinds := map[string]*KindScore{}
	for _, k := range synth.LabelKinds {
		kinds[k] = &KindScore{}
	}
	for _, a := range s.alerts {
		if !counted(a) {
			continue
		}
		tp, neutral := s.classify(a, allGroup)
		ks := kinds[a.kind]
		if ks == nil {
			ks = &KindScore{}
			kinds[a.kind] = ks
		}
		switch {
		case tp:
			ks.Alerts++
			ks.TruePos++
		case !neutral:
			ks.Alerts++
			ks.FalsePos++
		}
	}
	byNIR := s.alertsByNIR()
	lat := map[string][]float64{}
	tag := map[string]int{}
	for _, l := range s.labels {
		if !l.scored {
			continue
		}
		ks := kinds[l.kind]
		ks.Labels++
		first := firstDetection(l, byNIR[l.nir])
		if first == nil {
			continue
		}
		ks.Detected++
		if first.kind == l.kind {
			tag[l.kind]++
		}
		lat[l.kind] = append(lat[l.kind], math.Max(0, float64(first.month-l.onsetMonth))/float64(max(1, l.months)))
	}
	for k, ks := range kinds {
		ks.Precision, ks.Recall, ks.F1 = prf(ks.TruePos, ks.FalsePos, ks.Detected, ks.Labels)
		ks.LatencyP50, ks.LatencyP90 = quantile(lat[k], 0.5), quantile(lat[k], 0.9)
		if ks.Detected > 0 {
			ks.TagMatch = float64(tag[k]) / float64(ks.Detected)
		}
	}
	return kinds
}

// score scores the family g: its alerts are true when they point at one of
// its scored labels, neutral when they point at another label, false
// otherwise; its labels are detected by an alert of any compatible kind.
func (s *scoring) score(g group) GroupScore {
	gs := GroupScore{WorkerMonths: s.wm}
	for _, a := range s.alerts {
		if !counted(a) || !g.alert(a.kind) {
			continue
		}
		switch tp, neutral := s.classify(a, g); {
		case tp:
			gs.TruePos++
			gs.Alerts++
		case !neutral:
			gs.FalsePos++
			gs.Alerts++
		}
	}
	byNIR := s.alertsByNIR()
	kinds := map[string]bool{}
	for _, l := range s.labels {
		if !l.scored || l.kind == synth.LabelMislabel || !g.label(l) {
			continue
		}
		kinds[l.kind] = true
		gs.Labels++
		if firstDetection(l, byNIR[l.nir]) != nil {
			gs.Detected++
		}
	}
	for _, k := range synth.LabelKinds {
		if kinds[k] {
			gs.Kinds = append(gs.Kinds, k)
		}
	}
	gs.Precision, gs.Recall, gs.F1 = prf(gs.TruePos, gs.FalsePos, gs.Detected, gs.Labels)
	if s.wm > 0 {
		gs.FalseAlertsPerK = float64(gs.FalsePos) / float64(s.wm) * 1000
	}
	return gs
}

// limitCodeOf returns the limit a record counts toward (empty: none).
func limitCodeOf(r *doseNode) dosimetry.LimitCode {
	switch r.MonitoringKind {
	case "EXTREMITY":
		return dosimetry.LimitExtremity
	case "SKIN":
		return dosimetry.LimitSkin
	case "LENS":
		return dosimetry.LimitLens
	}
	switch r.Quantity {
	case "HP10", "E50", "E":
		return dosimetry.LimitEffective
	}
	return ""
}

// regulatory computes, from the stored current records, the limit crossings
// (12 rolling months) and the results above the investigation level in the
// scored months, and how many the regulatory layer alerted.
func (s *scoring) regulatory(ov *Overall) {
	exceeded := map[int]bool{}
	ilRecords := map[int]bool{}
	for _, a := range s.anoms {
		if a.Kind == string(anomaly.KindLimitExceeded) {
			exceeded[a.WorkerID] = true
		}
		if regulatoryKinds[a.Kind] {
			ov.RegulatoryFindings++
		}
	}
	for _, n := range s.notices {
		if n.Kind == string(anomaly.KindConstraint) {
			ov.ConstraintNotices++
			for _, id := range n.DoseRecordIDs {
				ilRecords[id] = true
			}
		}
	}
	type wl struct {
		worker int
		code   dosimetry.LimitCode
	}
	series := map[wl][]dosimetry.DatedDose{}
	for _, r := range s.records {
		if r.Status != statusMeasured || r.ValueUsv <= 0 {
			continue
		}
		code := limitCodeOf(r)
		if code == "" {
			continue
		}
		series[wl{r.WorkerID, code}] = append(series[wl{r.WorkerID, code}], dosimetry.DatedDose{Start: r.PeriodStart, End: r.PeriodEnd, Dose: dosimetry.Microsievert(r.ValueUsv)})
		if s.w.index(r.PeriodEnd) < s.warmup {
			continue
		}
		status := dosimetry.StatusAt(s.birthOf[r.WorkerID], r.PeriodEnd, false)
		l, ok := dosimetry.LimitAt(code, r.PeriodEnd, status)
		if !ok || l.Window != dosimetry.WindowRolling12 {
			continue
		}
		level, err := dosimetry.InvestigationLevel(l, max(1, min(12, monthsSpan(r.PeriodStart, r.PeriodEnd))))
		if err != nil || dosimetry.Microsievert(r.ValueUsv) <= level {
			continue
		}
		ov.InvestigationLevels++
		if ilRecords[r.ID] {
			ov.InvestigationAlerted++
		} else {
			s.missedIL = append(s.missedIL, r)
		}
	}
	for k, dd := range series {
		for m := s.warmup; m < s.w.months; m++ {
			at := s.w.month(m)
			l, ok := dosimetry.LimitAt(k.code, at, dosimetry.StatusAt(s.birthOf[k.worker], at, false))
			if !ok || l.Window != dosimetry.WindowRolling12 {
				continue
			}
			if dosimetry.RollingSum(dd, at) > l.Value {
				ov.LimitCrossings++
				if exceeded[k.worker] {
					ov.LimitCrossingsAlerted++
				}
				break
			}
		}
	}
	n := ov.LimitCrossings + ov.InvestigationLevels
	ov.RegulatoryRecall = 1
	if n > 0 {
		ov.RegulatoryRecall = float64(ov.LimitCrossingsAlerted+ov.InvestigationAlerted) / float64(n)
	}
}

// monthsSpan is a wearing period's length in whole months (as detection
// counts it).
func monthsSpan(start, end time.Time) int {
	days := end.Sub(start).Hours()/24 + 1
	return max(1, int(days/30.44+0.5))
}

// parseLabels reads labels.csv.
func parseLabels(t *table, w window, warmup int) []*label {
	var out []*label
	for _, row := range t.rows {
		l := &label{kind: t.get(row, "kind"), scope: t.get(row, "scope"), nir: t.get(row, "nir")}
		l.id, _ = strconv.Atoi(t.get(row, "id"))
		l.start, _ = parseDate(t.get(row, "debut_periode"))
		l.end, _ = parseDate(t.get(row, "fin_periode"))
		l.onset, _ = parseDate(t.get(row, "onset"))
		if k, err := dosimetry.ParseMonitoringKind(t.get(row, "type_suivi")); err == nil {
			l.kindCode = string(k)
		}
		l.onsetMonth = w.index(l.onset)
		l.scored = l.onsetMonth >= warmup && l.onsetMonth < w.months
		// A result missing in the last month cannot be overdue before the
		// replay ends (right-censored): not scored.
		if l.kind == synth.LabelMissing && l.onsetMonth >= w.months-1 {
			l.scored = false
		}
		// A declaration wrong from the start of the window is seen only
		// once results accumulate, usually during the warm-up: a mislabel
		// is scored when it lasts into the scored months, with its finding
		// counted wherever raised (addAlerts).
		if l.kind == synth.LabelMislabel {
			l.scored = w.index(l.end) >= warmup
		}
		l.months = monthsSpan(l.start, l.end)
		out = append(out, l)
	}
	return out
}

// debug writes the false alerts (with their explanation) and the missed
// labels, for tuning.
func (s *scoring) debug(w io.Writer) {
	expl := map[int]*anomalyNode{}
	for _, a := range s.anoms {
		expl[a.ID] = a
	}
	for _, a := range s.alerts {
		if !a.scored || regulatoryKinds[a.kind] {
			continue
		}
		if tp, _ := s.classify(a, allGroup); tp && a.kind != string(anomaly.KindMissing) {
			if an := expl[a.id]; an != nil {
				fmt.Fprintf(w, "TP %s %s m%d score %.2f %s\n", a.kind, a.nir, a.month, an.Score, an.Explanation)
			}
		}
		if tp, neutral := s.classify(a, allGroup); !tp && !neutral {
			text := ""
			if an := expl[a.id]; an != nil {
				text = an.Explanation
			}
			var ls []string
			for _, l := range s.labelsOf(a.nir) {
				ls = append(ls, fmt.Sprintf("%s %s..%s", l.kind, l.start.Format(time.DateOnly), l.end.Format(time.DateOnly)))
			}
			score := 0.0
			if an := expl[a.id]; an != nil {
				score = an.Score
			}
			fmt.Fprintf(w, "FP %s %s %s..%s m%d score %.2f %s | labels: %v\n", a.kind, a.nir, a.start.Format(time.DateOnly), a.end.Format(time.DateOnly), a.month, score, text, ls)
		}
	}
	for _, r := range s.missedIL {
		fmt.Fprintf(w, "MISSED-IL worker %d %s %s %s..%s %d µSv %s\n", r.WorkerID, r.MonitoringKind, r.Quantity, r.PeriodStart.Format(time.DateOnly), r.PeriodEnd.Format(time.DateOnly), r.ValueUsv, r.Status)
	}
	byNIR := map[string][]*alert{}
	for _, a := range s.alerts {
		byNIR[a.nir] = append(byNIR[a.nir], a)
	}
	for _, l := range s.labels {
		if !l.scored {
			continue
		}
		found := false
		var near []string
		for _, a := range byNIR[l.nir] {
			if compatible(l.kind, a.kind) && l.matches(a) {
				found = true
			}
			near = append(near, fmt.Sprintf("%s %s..%s m%d", a.kind, a.start.Format(time.DateOnly), a.end.Format(time.DateOnly), a.month))
		}
		if !found {
			fmt.Fprintf(w, "MISS %s %s %s %s %s..%s onset m%d | alerts: %v\n", l.kind, l.scope, l.nir, l.kindCode, l.start.Format(time.DateOnly), l.end.Format(time.DateOnly), l.onsetMonth, near)
		}
	}
}
