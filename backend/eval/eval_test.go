package eval_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/siseri/siseri/backend/eval"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/backend/synth"
)

// dbCounts is what the test reads by plain SQL in the replay's database
// before it is dropped.
type dbCounts struct {
	anomalies, missing, notices int
	// lateOld counts the late-result findings whose delay is over four
	// months: none when results are judged on their date of receipt (the
	// generator's late results arrive the month after), all of them when
	// judged on the day of the import (years after the synthetic months).
	lateOld int
}

// MustEvaluate generates a small population and evaluates it on the real
// PostgreSQL, counting the stored anomalies by SQL.
func MustEvaluate(tb testing.TB, o synth.Options, warmup int) (*eval.Result, dbCounts) {
	tb.Helper()
	dir := tb.TempDir()
	if _, err := synth.Generate(o, synth.DirSink(dir)); err != nil {
		tb.Fatal(err)
	}
	var counts dbCounts
	inspect := func(ctx context.Context, dbURL string, _ *eval.Result) error {
		db, err := sql.Open("pgx", dbURL)
		if err != nil {
			return err
		}
		defer db.Close()
		if err := db.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE layer <> 'CONSTRAINT'),
			count(*) FILTER (WHERE kind = 'MISSING_RESULT'), count(*) FILTER (WHERE layer = 'CONSTRAINT') FROM anomalies`).
			Scan(&counts.anomalies, &counts.missing, &counts.notices); err != nil {
			return err
		}
		return db.QueryRowContext(ctx, `SELECT count(*) FROM anomalies
			WHERE reference::jsonb->>'reason' = 'late' AND (reference::jsonb->>'delayDays')::int > 120`).Scan(&counts.lateOld)
	}
	res, err := eval.Evaluate(context.Background(), eval.Options{Dir: dir, DatabaseURL: storetest.AdminURL(), WarmupMonths: warmup, Inspect: inspect})
	if err != nil {
		tb.Fatal(err)
	}
	return res, counts
}

// TestEvaluate replays a small synthetic population (800 workers × 18
// months, 12 of them scored: point labels are rare, a few per thousand
// workers and year) through the public API of a real server and checks the
// report.
func TestEvaluate(t *testing.T) {
	res, counts := MustEvaluate(t, synth.Options{Workers: 800, Months: 18, Seed: 3}, 6)
	var out bytes.Buffer
	eval.Print(&out, res)
	t.Log("\n" + out.String())

	// Ensure the anomalies read back through GraphQL are those the database holds.
	t.Run("OK/AnomaliesReadThroughGraphQL", func(t *testing.T) {
		if res.Run.Anomalies == 0 || res.Run.Anomalies != counts.anomalies {
			t.Errorf("%d anomalies read through GraphQL, %d in the database", res.Run.Anomalies, counts.anomalies)
		}
		// The notices of dose constraints crossed are read apart, never as
		// anomalies (so never as false alerts).
		if res.Run.Notices == 0 || res.Run.Notices != counts.notices {
			t.Errorf("%d constraint notices read through doseConstraintNotices, %d in the database", res.Run.Notices, counts.notices)
		}
		if got := res.Run.AnomaliesByKind["DOSE_CONSTRAINT_EXCEEDED"]; got != 0 {
			t.Errorf("%d constraint notices read through the anomalies query, want 0", got)
		}
		if got := res.Run.AnomaliesByKind["MISSING_RESULT"]; got != counts.missing {
			t.Errorf("%d MISSING_RESULT read through GraphQL, %d in the database", got, counts.missing)
		}
		if res.Run.RowsAccepted["LAB_RESULTS"] == 0 || res.Run.RowsAccepted["DECLARATIONS"] == 0 || res.Run.Workers == 0 {
			t.Fatalf("nothing imported: %+v", res.Run)
		}
	})
	// Ensure results are judged on their date of receipt, not on the day of
	// the import: the server runs on the real clock, years after the months.
	t.Run("OK/RealClockDateOfReceipt", func(t *testing.T) {
		if counts.lateOld > 0 {
			t.Errorf("%d results flagged late by more than 120 days: judged on the import date, not the date of receipt", counts.lateOld)
		}
	})
	// Ensure the headline is over the point kinds, MISSING_RESULT apart.
	t.Run("OK/HeadlineWithoutMissingResult", func(t *testing.T) {
		ov := res.Overall
		if slices.Contains(ov.Kinds, synth.LabelMissing) {
			t.Errorf("headline kinds %v include %s", ov.Kinds, synth.LabelMissing)
		}
		if ov.Labels == 0 {
			t.Fatal("no point label scored: the headline is vacuous")
		}
		point := 0
		for _, k := range ov.Kinds {
			point += res.Kinds[k].Labels
		}
		if ov.Labels != point {
			t.Errorf("headline counts %d labels, its kinds %v have %d", ov.Labels, ov.Kinds, point)
		}
		if m := res.MissingResult; m.Labels != res.Kinds[synth.LabelMissing].Labels || m.Labels == 0 {
			t.Errorf("MISSING_RESULT apart: %d labels, the kind has %d", m.Labels, res.Kinds[synth.LabelMissing].Labels)
		}
		if sum := ov.Labels + res.MissingResult.Labels + res.Episodes.Labels; sum != res.AllKinds.Labels {
			t.Errorf("point %d + missing %d + episodes %d labels = %d, all kinds %d", ov.Labels, res.MissingResult.Labels, res.Episodes.Labels, sum, res.AllKinds.Labels)
		}
		if ov.Alerts > res.AllKinds.Alerts || res.MissingResult.Alerts > res.AllKinds.Alerts {
			t.Errorf("alerts: point %d, missing %d, all %d", ov.Alerts, res.MissingResult.Alerts, res.AllKinds.Alerts)
		}
	})
	// Ensure every label kind is scored and every score is a share.
	t.Run("OK/EveryKindScored", func(t *testing.T) {
		for _, k := range synth.LabelKinds {
			ks := res.Kinds[k]
			if ks == nil {
				t.Errorf("kind %s missing", k)
				continue
			}
			for name, v := range map[string]float64{"precision": ks.Precision, "recall": ks.Recall, "f1": ks.F1} {
				if v < 0 || v > 1 {
					t.Errorf("%s.%s = %v, want a number in [0, 1]", k, name, v)
				}
			}
		}
	})
	// Ensure the baselines are thresholded to the headline's budget, and
	// that the regulatory layer alerts every result above its level.
	t.Run("OK/BaselinesAndRegulatory", func(t *testing.T) {
		ov := res.Overall
		for _, b := range []string{"B0", "B1", "B2", "B3", "B4"} {
			bs, ok := res.Baselines[b]
			if !ok {
				t.Errorf("baseline %s missing", b)
				continue
			}
			if bs.FalseAlertsPerK > ov.FalseAlertsPerK+1e-9 {
				t.Errorf("%s: %.2f false alerts per 1,000 worker-months, over the detector's budget %.2f", b, bs.FalseAlertsPerK, ov.FalseAlertsPerK)
			}
		}
		if b0 := res.Baselines["B0"].F1; ov.F1 <= b0 {
			t.Errorf("detector F1 %.3f on the point kinds does not beat B0's %.3f at the same false-alert budget", ov.F1, b0)
		}
		if ov.InvestigationLevels == 0 {
			t.Error("no result above the investigation level: the regulatory recall is vacuous")
		}
		if ov.RegulatoryRecall != 1 {
			t.Errorf("regulatory recall %.3f (limits %d/%d, investigation levels %d/%d), want 1",
				ov.RegulatoryRecall, ov.LimitCrossingsAlerted, ov.LimitCrossings, ov.InvestigationAlerted, ov.InvestigationLevels)
		}
	})
	// Ensure the JSON keeps its fields and the table its sections.
	t.Run("OK/Output", func(t *testing.T) {
		raw, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		var doc map[string]map[string]any
		_ = json.Unmarshal(raw, &doc)
		for _, f := range []string{"precision", "recall", "f1", "false_alerts_per_1000_worker_months", "label_kinds", "regulatory_recall"} {
			if _, ok := doc["overall"][f]; !ok {
				t.Errorf("overall.%s missing", f)
			}
		}
		for _, g := range []string{"missing_result", "episodes", "overall_all_kinds"} {
			if _, ok := doc[g]["f1"].(float64); !ok {
				t.Errorf("%s.f1 missing", g)
			}
		}
		for _, want := range []string{"ENSEMBLE PONCTUELS", "MISSING_RESULT (à part)", "B0", "Réglementaire", "pour 1 000 mois-travailleurs"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("table lacks %q", want)
			}
		}
	})
}

// TestEvaluateFamily replays a small population of a held-out family
// (terrain-a: a third of the employments without sector or job, laboratories
// with their own thresholds, units, decimal commas and periods) through the
// same user path: the evaluation reads the family's files unchanged.
func TestEvaluateFamily(t *testing.T) {
	res, _ := MustEvaluate(t, synth.Options{Workers: 500, Months: 15, Seed: 9, Family: synth.FamilyTerrainA}, 6)
	var out bytes.Buffer
	eval.Print(&out, res)
	t.Log("\n" + out.String())
	for _, f := range []string{"DECLARATIONS", "LAB_RESULTS", "OPERATIONAL"} {
		if res.Run.RowsTotal[f] == 0 || float64(res.Run.RowsAccepted[f]) < 0.99*float64(res.Run.RowsTotal[f]) {
			t.Errorf("%s: %d of %d rows accepted, want ≥ 99 %% (rejected: %v)", f, res.Run.RowsAccepted[f], res.Run.RowsTotal[f], res.Run.Rejected)
		}
	}
	if res.Overall.Labels < 20 {
		t.Errorf("%d point labels scored, want ≥ 20 (the family's AnomalyScale)", res.Overall.Labels)
	}
	if res.Overall.RegulatoryRecall != 1 {
		t.Errorf("regulatory recall %.3f, want 1", res.Overall.RegulatoryRecall)
	}
	// On a family whose parameters the detector was not tuned on, the
	// false-alert budget of the issue holds (≤ 1 per 1,000 worker-months,
	// notices apart) and the detector beats the fixed threshold B0 at that
	// budget.
	if fa := res.Overall.FalseAlertsPerK; fa > 1 {
		t.Errorf("%.2f false alerts per 1,000 worker-months on the point kinds, want ≤ 1", fa)
	}
	if b0 := res.Baselines["B0"]; res.Overall.F1 <= b0.F1 {
		t.Errorf("detector F1 %.2f, B0 at the same budget %.2f: want the detector ahead", res.Overall.F1, b0.F1)
	}
}

// TestOnlyPublicAPI: the evaluation reaches SISERI over HTTP only: it
// imports neither the import service nor the registry, and sets no clock.
func TestOnlyPublicAPI(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			for _, banned := range []string{"/backend/ingest", "/backend/registry"} {
				if strings.HasSuffix(path, banned) {
					t.Errorf("%s imports %s", name, path)
				}
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			as, ok := n.(*ast.AssignStmt)
			if !ok {
				return true
			}
			for _, lhs := range as.Lhs {
				if sel, ok := lhs.(*ast.SelectorExpr); ok && sel.Sel.Name == "Now" {
					t.Errorf("%s: %s sets a clock", fset.Position(as.Pos()), sel.Sel.Name)
				}
			}
			return true
		})
	}
}
