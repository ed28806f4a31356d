package eval_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/siseri/siseri/backend/eval"
	"github.com/siseri/siseri/backend/synth"
)

// TestEvaluate replays a small synthetic population (600 workers × 18
// months, SQLite) through the real import path and checks the report.
func TestEvaluate(t *testing.T) {
	dir := t.TempDir()
	if _, err := synth.Generate(synth.Options{Workers: 600, Months: 18, Seed: 7}, synth.DirSink(dir)); err != nil {
		t.Fatal(err)
	}
	res, err := eval.Evaluate(context.Background(), eval.Options{Dir: dir, DatabaseURL: ""})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	overall, _ := doc["overall"].(map[string]any)
	for _, f := range []string{"precision", "recall", "f1", "false_alerts_per_1000_worker_months"} {
		if _, ok := overall[f].(float64); !ok {
			t.Errorf("overall.%s missing: %v", f, overall)
		}
	}
	kinds, _ := doc["kinds"].(map[string]any)
	for _, k := range synth.LabelKinds {
		ks, ok := kinds[k].(map[string]any)
		if !ok {
			t.Errorf("kind %s missing", k)
			continue
		}
		for _, f := range []string{"precision", "recall", "f1"} {
			if v, ok := ks[f].(float64); !ok || v < 0 || v > 1 {
				t.Errorf("%s.%s = %v, want a number in [0, 1]", k, f, ks[f])
			}
		}
		for _, f := range []string{"latency_p50", "latency_p90"} {
			if _, ok := ks[f]; !ok {
				t.Errorf("%s.%s missing", k, f)
			}
		}
	}
	baselines, _ := doc["baselines"].(map[string]any)
	for _, b := range []string{"B0", "B1", "B2", "B3", "B4"} {
		bs, ok := baselines[b].(map[string]any)
		if !ok {
			t.Errorf("baseline %s missing", b)
			continue
		}
		for _, f := range []string{"precision", "recall", "f1"} {
			if v, ok := bs[f].(float64); !ok || v < 0 || v > 1 {
				t.Errorf("%s.%s = %v, want a number in [0, 1]", b, f, bs[f])
			}
		}
		// Thresholded to the detector's false-alert budget.
		if fa := bs["false_alerts_per_1000_worker_months"].(float64); fa > res.Overall.FalseAlertsPerK+1e-9 {
			t.Errorf("%s: %.2f false alerts per 1,000 worker-months, over the detector's budget %.2f", b, fa, res.Overall.FalseAlertsPerK)
		}
	}
	ov := res.Overall
	for name, v := range map[string]float64{"precision": ov.Precision, "recall": ov.Recall, "f1": ov.F1} {
		if v < 0 || v > 1 {
			t.Errorf("overall %s = %v", name, v)
		}
	}
	if ov.Labels == 0 || ov.WorkerMonths == 0 || res.Run.RowsAccepted["LAB_RESULTS"] == 0 {
		t.Fatalf("nothing scored: %+v %+v", ov, res.Run)
	}
	if ov.InvestigationLevels == 0 {
		t.Error("no result above the investigation level: the regulatory recall is vacuous")
	}
	if ov.RegulatoryRecall != 1 {
		t.Errorf("regulatory recall %.3f (limits %d/%d, investigation levels %d/%d), want 1",
			ov.RegulatoryRecall, ov.LimitCrossingsAlerted, ov.LimitCrossings, ov.InvestigationAlerted, ov.InvestigationLevels)
	}
	if b0 := res.Baselines["B0"].F1; ov.F1 <= b0 {
		t.Errorf("detector F1 %.3f does not beat B0's %.3f at the same false-alert budget", ov.F1, b0)
	}
	var out bytes.Buffer
	eval.Print(&out, res)
	for _, want := range []string{"ENSEMBLE", "B0", "Réglementaire", "pour 1 000 mois-travailleurs"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, out.String())
		}
	}
}
