package accesstest

import (
	"encoding/json"
	"fmt"
	"regexp"
	"testing"
)

// bigNumber matches ids and other long numbers in messages, which may differ
// between a hidden id and a missing one without telling anything.
var bigNumber = regexp.MustCompile(`[0-9]{5,}`)

// answer is what a response says, ids aside: its code and first message.
func answer(code string, errs []map[string]any) string {
	if len(errs) == 0 {
		return code
	}
	return code + " " + bigNumber.ReplaceAllString(fmt.Sprint(errs[0]["message"]), "N")
}

func (or *oracle) answerOf(q string, s *subject, vars map[string]any) (string, bool) {
	res := or.do(s, q, vars)
	var errs []map[string]any
	for _, e := range res.Errors {
		errs = append(errs, map[string]any{"message": e.Message})
	}
	return answer(res.Code(), errs), !dataIsNull(res)
}

// testReports asks every subject for the execution report of every batch:
// a batch the oracle hides answers like one that does not exist.
func (or *oracle) testReports(t *testing.T) {
	const q = `query($id: ID!) { importReport(batchID: $id) { reference rowsAccepted } }`
	batches := or.all["importBatches"].sorted()
	missing := batches[len(batches)-1] + 100000
	for _, s := range or.o.subjects {
		baseline, _ := or.answerOf(q, s, map[string]any{"id": missing})
		for _, b := range batches {
			got, data := or.answerOf(q, s, map[string]any{"id": b})
			or.tally.assertions++
			switch visible := or.ex[s].rows["importBatches"][b]; {
			case !visible && data:
				or.leak(t, s, "importReport(%d) answered a batch the oracle hides", b)
			case !visible && got != baseline:
				or.leak(t, s, "importReport(%d) answers %q, a missing batch %q: an existence oracle", b, got, baseline)
			case visible && !data:
				or.disagree(t, s, "importReport(%d) refused (%s); the oracle shows the batch [ImportBatch policy: owned elsewhere]", b, got)
			}
		}
	}
}

// writeProbe is a mutation on one row: on a row the caller may not read it
// must change nothing and answer exactly as on a row that does not exist.
type writeProbe struct {
	name, list string
	mutation   func(s *subject, id int) string
}

func (or *oracle) writeProbes() []writeProbe {
	o := or.o
	period := fmt.Sprintf(`periodStart: "%s", periodEnd: "%s"`, iso(o.mo(1)), iso(endOfMonth(o.mo(1))))
	return []writeProbe{
		{"correctDose", "doseRecords", func(_ *subject, id int) string {
			return fmt.Sprintf(`mutation { correctDose(input: {doseRecordID: %d, value: 9.99, unit: "mSv", reason: "sonde"}) { id } }`, id)
		}},
		{"addDose", "workers", func(s *subject, id int) string {
			est := s.est
			if est == 0 {
				est = o.e1
			}
			return fmt.Sprintf(`mutation { addDose(input: {workerID: %d, establishmentID: %d, monitoringKind: PASSIVE_WHOLE_BODY, quantity: HP10, %s, value: 0.01, unit: "mSv", reason: "sonde"}) { id } }`,
				id, est, period)
		}},
		{"acknowledgeAnomaly", "anomalies", func(_ *subject, id int) string {
			return fmt.Sprintf(`mutation { acknowledgeAnomaly(id: %d) { id } }`, id)
		}},
		{"resolveAnomaly", "anomalies", func(_ *subject, id int) string {
			return fmt.Sprintf(`mutation { resolveAnomaly(id: %d, resolution: FALSE_POSITIVE, comment: "sonde") { id } }`, id)
		}},
		{"resolveDoseConflict", "doseConflicts", func(_ *subject, id int) string {
			return fmt.Sprintf(`mutation { resolveDoseConflict(id: %d, decision: KEEP_CORRECTION, reason: "sonde") { id } }`, id)
		}},
		{"updateWorker", "workers", func(_ *subject, id int) string {
			return fmt.Sprintf(`mutation { updateWorker(id: %d, input: {usageName: "Sonde"}) { id } }`, id)
		}},
		{"updateEmployment", "employments", func(_ *subject, id int) string {
			return fmt.Sprintf(`mutation { updateEmployment(id: %d, input: {workFraction: 50}) { id } }`, id)
		}},
		{"endIntervention", "interventions", func(_ *subject, id int) string {
			return fmt.Sprintf(`mutation { endIntervention(id: %d, endDate: "%s") { id } }`, id, iso(o.mo(4).AddDate(0, 0, 5)))
		}},
	}
}

// snapshot is a fingerprint of the rows the write probes could touch.
func (or *oracle) snapshot(t *testing.T) string {
	t.Helper()
	var out string
	for _, q := range []string{
		"SELECT COUNT(*) || '/' || COALESCE(MAX(version), 0) FROM dose_records",
		"SELECT COUNT(*) || '/' || string_agg(status::text, ',' ORDER BY id) FROM anomalies",
		"SELECT COUNT(*) || '/' || string_agg(status::text, ',' ORDER BY id) FROM dose_conflicts",
		"SELECT COUNT(*) || '/' || COALESCE(string_agg(COALESCE(usage_name, '-'), ',' ORDER BY id), '') FROM workers",
		"SELECT COUNT(*) || '/' || string_agg(work_fraction::text, ',' ORDER BY id) FROM employments",
		"SELECT COUNT(*) || '/' || string_agg(COALESCE(end_date::text, '-'), ',' ORDER BY id) FROM interventions",
	} {
		var v string
		if err := or.db.QueryRow(q).Scan(&v); err != nil {
			t.Fatalf("snapshot: %v", err)
		}
		out += v + "\n"
	}
	return out
}

// testWrites sends every write probe, as every subject, on every row the
// oracle hides from it: the caller learns nothing (the answer of a missing
// id) and the registry does not change.
func (or *oracle) testWrites(t *testing.T) {
	before := or.snapshot(t)
	for _, p := range or.writeProbes() {
		all := or.all[p.list].sorted()
		if len(all) == 0 {
			continue
		}
		missing := all[len(all)-1] + 100000
		for _, s := range or.o.subjects {
			baseline, data := or.answerOf(p.mutation(s, missing), s, nil)
			or.tally.assertions++
			if data {
				or.disagree(t, s, "%s on a missing id answered data", p.name)
			}
			var differ []int
			for _, id := range all {
				if or.ex[s].rows[p.list][id] {
					continue
				}
				got, data := or.answerOf(p.mutation(s, id), s, nil)
				or.tally.assertions++
				if data {
					or.leak(t, s, "%s(%d) on a row it may not read succeeded", p.name, id)
				} else if got != baseline {
					differ = append(differ, id)
				}
				if len(differ) == 0 && got == baseline && baseline != "" && isGuardRefusal(got) {
					break // refused before execution: the same for every id
				}
			}
			if len(differ) > 0 {
				got, _ := or.answerOf(p.mutation(s, differ[0]), s, nil)
				or.leak(t, s, "%s on %d rows it may not read answers %q, on a missing id %q: an existence oracle: %v",
					p.name, len(differ), got, baseline, head(differ))
			}
		}
	}
	or.tally.assertions++
	if after := or.snapshot(t); after != before {
		or.leak(t, &subject{name: "the write probes"}, "the registry changed:\n%s\nbecame\n%s", before, after)
	}
}

// isGuardRefusal reports whether an answer is the field guard's, given
// before any row is read.
func isGuardRefusal(a string) bool { return len(a) >= 15 && a[:15] == "FORBIDDEN_FIELD" }

// subscriptionFilterProbe asks anomalyRaised for findings by score: a caller
// who may not read scores must be refused, or get every finding it may see
// (an effective filter would sort its findings by a hidden value).
func (or *oracle) checkFilteredReplay(t *testing.T, sk *socket) {
	t.Helper()
	s := sk.s
	var got []int
	for _, e := range sk.events["raisedScore"] {
		var ev struct {
			AnomalyRaised struct{ Anomaly struct{ ID any } }
		}
		_ = json.Unmarshal(e, &ev)
		got = append(got, parseID(ev.AnomalyRaised.Anomaly.ID))
	}
	or.tally.assertions++
	if len(got) == 0 {
		return
	}
	visible := or.listed(s, "anomalies")
	if !reads(s, "Anomaly.score") {
		if len(setOf(got...)) != len(visible) {
			or.leak(t, s, "anomalyRaised(where: {scoreGT: 1}) delivered %d of its %d findings: it filters by a score it may not read", len(got), len(visible))
		}
		return
	}
	scores := or.values(t, "SELECT id, score FROM anomalies")
	want := idSet{}
	for id := range visible {
		if scores[id] > 1 {
			want[id] = true
		}
	}
	or.checkSet(t, s, "anomalyRaised(where: {scoreGT: 1})", got, nil, want)
}
