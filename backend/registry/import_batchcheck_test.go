package registry_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/siseri/siseri/backend/alerts"
	"github.com/siseri/siseri/backend/ingest"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/anomaly"
	"github.com/siseri/siseri/ent/batchfinding"
	"github.com/siseri/siseri/ent/doserecord"
	"github.com/siseri/siseri/policy"
)

// batchLines are the results of workers [from, to) for months [m0, m1] of
// 2024: about 20 % below the recording threshold, the others between 0.20 and
// 1.15 mSv; zeroed workers record nothing measurable at all.
func (f *importFixture) batchLines(from, to, m0, m1 int, zeroed func(i int) bool) []string {
	var lines []string
	for m := m0; m <= m1; m++ {
		for i := from; i < to; i++ {
			v := "M"
			if (i+m)%5 != 0 && !zeroed(i) {
				v = strings.Replace(fmt.Sprintf("%.2f", float64(200+((i*37+m*11)%20)*50)/1000), ".", ",", 1)
			}
			lines = append(lines, f.labLine(i, m, v))
		}
	}
	return lines
}

// TestBatchZeroShareFinding imports six months of two laboratories' results,
// then five more months of each, the first laboratory's with most of its
// workers at zero: one batch finding on that batch alone, and the worker
// findings of its zeros linked to it, out of the default lists.
func TestBatchZeroShareFinding(t *testing.T) {
	f := newImportFixture(t, storetest.MustOpen(t), 120)
	ctx := policy.SystemContext(context.Background())
	none := func(int) bool { return false }
	submit := func(v *policy.Viewer, ref string, lines []string) *ingest.Report {
		rep := f.submit(t, v, ingest.Submission{Format: ingest.LabResults, Reference: ref, Body: csvOf(labHeader, lines...)})
		if rep.Status != ingest.StatusAccepted {
			t.Fatalf("%s: %+v", ref, rep.Problems)
		}
		return rep
	}
	for m := 1; m <= 6; m++ {
		submit(f.lab, fmt.Sprintf("L1-%d", m), f.batchLines(0, 60, m, m, none))
		submit(f.otherLab, fmt.Sprintf("L2-%d", m), f.batchLines(60, 120, m, m, none))
	}
	submit(f.otherLab, "L2-7-11", f.batchLines(60, 120, 7, 11, none))
	if n := f.db.Client.BatchFinding.Query().CountX(ctx); n != 0 {
		t.Fatalf("%d batch findings on batches like their predecessors", n)
	}
	// The news of the last batch, as delivered after commit.
	hub := alerts.NewHub(100000)
	f.svc.Registry.Broker = &alerts.Broker{Hub: hub}
	news := hub.Subscribe(alerts.AnomalyRaised)
	last := submit(f.lab, "L1-7-11", f.batchLines(0, 60, 7, 11, func(i int) bool { return i < 36 }))
	announced := map[int]bool{}
	for len(news.C) > 0 {
		announced[(<-news.C).ID] = true
	}

	fs := f.db.Client.BatchFinding.Query().AllX(ctx)
	if len(fs) != 1 {
		t.Fatalf("want one batch finding, got %d: %+v", len(fs), fs)
	}
	bf := fs[0]
	if bf.Kind != batchfinding.KindZeroShare || bf.Direction != "UP" || bf.ImportBatchID != last.BatchID ||
		bf.ContextKey != "S|RI|PASSIVE_WHOLE_BODY|1" || bf.PValue >= 0.01 {
		t.Fatalf("batch finding: %+v", bf)
	}
	if !strings.Contains(bf.Explanation, "Dans ce lot, 68 % des 300 résultats") || !strings.Contains(bf.Explanation, "les 6 lots précédents du laboratoire") {
		t.Fatalf("explanation: %s", bf.Explanation)
	}
	lab1 := f.lab.Grants[0].LaboratoryID
	if bf.LaboratoryID != lab1 {
		t.Fatalf("batch finding of laboratory %d, want %d", bf.LaboratoryID, lab1)
	}

	// The worker findings of the zeros of that batch are linked to it.
	runs := f.db.Client.Anomaly.Query().Where(anomaly.Kind("ZERO_RUN"),
		anomaly.HasDoseRecordsWith(doserecord.ImportBatchID(last.BatchID))).AllX(ctx)
	if len(runs) == 0 {
		t.Fatalf("no ZERO_RUN finding on the batch's zeros: nothing to link")
	}
	for _, a := range runs {
		if a.BatchFindingID == nil || *a.BatchFindingID != bf.ID || !strings.Contains(a.Explanation, "rattaché à une anomalie du lot") {
			t.Fatalf("ZERO_RUN %d not linked: %+v", a.ID, a)
		}
	}
	linked := f.db.Client.Anomaly.Query().Where(anomaly.BatchFindingIDNotNil()).AllX(ctx)
	for _, a := range linked {
		if a.Kind != "ZERO_RUN" && a.Kind != "CONTEXT_OUTLIER" && a.Kind != "HISTORY_JUMP" && a.Kind != "HISTORY_DRIFT" {
			t.Fatalf("a %s finding linked to the batch finding", a.Kind)
		}
	}
	if got := f.db.Client.BatchFinding.QueryAnomalies(bf).CountX(ctx); got != len(linked) || got < len(runs) {
		t.Fatalf("batch finding explains %d findings, %d linked, %d runs", got, len(linked), len(runs))
	}
	// Linked findings are not announced one by one; the others are.
	for _, a := range linked {
		if announced[a.ID] {
			t.Fatalf("linked finding %d (%s) announced live", a.ID, a.Kind)
		}
	}
	// The notices of dose constraints travel on the same news (the streams
	// leave them out for clients that do not ask for them).
	if len(announced) != last.AnomaliesRaised+last.ConstraintNoticesRaised-len(linked) {
		t.Fatalf("%d findings announced, want the %d raised and %d notices less the %d linked", len(announced), last.AnomaliesRaised, last.ConstraintNoticesRaised, len(linked))
	}
	t.Logf("%d worker findings linked (%d ZERO_RUN), %d announced; %s", len(linked), len(runs), len(announced), bf.Explanation)

	// The laboratory reads its batch finding; the other laboratory and the
	// employer do not.
	read := func(v *policy.Viewer) []*ent.BatchFinding {
		return f.db.Client.BatchFinding.Query().AllX(policy.NewContext(context.Background(), v))
	}
	if got := read(f.lab); len(got) != 1 {
		t.Fatalf("the laboratory reads %d batch findings", len(got))
	}
	if got := read(f.otherLab); len(got) != 0 {
		t.Fatalf("another laboratory reads %d batch findings", len(got))
	}
	if got := read(f.employer); len(got) != 0 {
		t.Fatalf("the employer reads %d batch findings", len(got))
	}
}

// TestBatchZeroShareEveryoneShifted is TestBatchZeroShareFinding when the
// other laboratory's results of the same months shifted as much: a change of
// the context, not of the laboratory, and no batch finding.
func TestBatchZeroShareEveryoneShifted(t *testing.T) {
	f := newImportFixture(t, storetest.MustOpen(t), 120)
	ctx := policy.SystemContext(context.Background())
	none := func(int) bool { return false }
	for m := 1; m <= 6; m++ {
		f.submit(t, f.lab, ingest.Submission{Format: ingest.LabResults, Reference: fmt.Sprintf("L1-%d", m), Body: csvOf(labHeader, f.batchLines(0, 60, m, m, none)...)})
		f.submit(t, f.otherLab, ingest.Submission{Format: ingest.LabResults, Reference: fmt.Sprintf("L2-%d", m), Body: csvOf(labHeader, f.batchLines(60, 120, m, m, none)...)})
	}
	f.submit(t, f.otherLab, ingest.Submission{Format: ingest.LabResults, Reference: "L2-7-11", Body: csvOf(labHeader, f.batchLines(60, 120, 7, 11, func(i int) bool { return i < 96 })...)})
	last := f.submit(t, f.lab, ingest.Submission{Format: ingest.LabResults, Reference: "L1-7-11", Body: csvOf(labHeader, f.batchLines(0, 60, 7, 11, func(i int) bool { return i < 36 })...)})
	if last.Status != ingest.StatusAccepted {
		t.Fatalf("last batch: %+v", last.Problems)
	}
	if fs := f.db.Client.BatchFinding.Query().AllX(ctx); len(fs) != 0 {
		t.Fatalf("every laboratory shifted: want no batch finding, got %+v", fs)
	}
	if n := f.db.Client.Anomaly.Query().Where(anomaly.BatchFindingIDNotNil()).CountX(ctx); n != 0 {
		t.Fatalf("%d findings linked to no batch finding", n)
	}
}
