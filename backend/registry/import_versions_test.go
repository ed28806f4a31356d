package registry_test

import (
	"context"
	"strings"
	"testing"

	"github.com/siseri/siseri/backend/ingest"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent/doserecord"
	"github.com/siseri/siseri/policy"
)

// TestLabResultsVersions ensures laboratory results v2 (date_reception) and
// v1 files are both read, each row with the field count of its header, and
// that the date of receipt is checked and stored.
func TestLabResultsVersions(t *testing.T) {
	db := storetest.MustOpen(t)
	f := newImportFixture(t, db, 2)
	ctx := policy.SystemContext(context.Background())
	v2 := labHeader + ";date_reception"
	row := func(i, m int, result, received string) string { return f.labLine(i, m, result) + ";" + received }

	t.Run("OKVersion2", func(t *testing.T) {
		// Ensure a v2 row stores its date of receipt, and an empty one none.
		rep := f.submit(t, f.lab, ingest.Submission{Format: ingest.LabResults, Reference: "V2", Body: csvOf(v2,
			row(0, 1, "0,20", "2024-02-09"), row(0, 2, "0,30", ""))})
		if rep.Status != ingest.StatusAccepted || rep.RowsAccepted != 2 {
			t.Fatalf("report = %+v", rep)
		}
		recs := db.Client.DoseRecord.Query().Where(doserecord.WorkerID(f.workers[0].ID)).Order(doserecord.ByPeriodStart()).AllX(ctx)
		if len(recs) != 2 || recs[0].ReceivedOn == nil || recs[0].ReceivedOn.Format("2006-01-02") != "2024-02-09" || recs[1].ReceivedOn != nil {
			t.Errorf("received_on = %v, %v; want 2024-02-09 and none", recs[0].ReceivedOn, recs[1].ReceivedOn)
		}
	})
	t.Run("OKVersion1", func(t *testing.T) {
		// Ensure a v1 file (14 columns) is still accepted.
		rep := f.submit(t, f.lab, ingest.Submission{Format: ingest.LabResults, Reference: "V1", Body: csvOf(labHeader, f.labLine(1, 1, "0,25"))})
		if rep.Status != ingest.StatusAccepted || rep.RowsAccepted != 1 {
			t.Fatalf("report = %+v", rep)
		}
	})
	t.Run("OKWholeBodyHp007", func(t *testing.T) {
		// Ensure a whole-body badge's Hp(0.07) is a second result, not a duplicate.
		hp007 := strings.Replace(f.labLine(1, 3, "2,5"), ";HP10;", ";HP007;", 1)
		rep := f.submit(t, f.lab, ingest.Submission{Format: ingest.LabResults, Reference: "HP007", Body: csvOf(labHeader, f.labLine(1, 3, "0,25"), hp007)})
		if rep.Status != ingest.StatusAccepted || rep.RowsAccepted != 2 {
			t.Fatalf("report = %+v", rep)
		}
	})
	for _, tc := range []struct {
		name, header, line, column, code string
	}{
		{"ErrVersion2RowOfVersion1", v2, f.labLine(0, 4, "0,20"), "", "FIELD_COUNT"},
		{"ErrVersion1RowOfVersion2", labHeader, row(0, 4, "0,20", "2024-05-10"), "", "FIELD_COUNT"},
		{"ErrReceivedInTheFuture", v2, row(0, 4, "0,20", "2999-01-01"), "date_reception", "DATE_FUTURE"},
		{"ErrReceivedBeforeTheEnd", v2, row(0, 4, "0,20", "2024-04-20"), "date_reception", "RECEIPT_BEFORE_PERIOD_END"},
		{"ErrReceivedNotADate", v2, row(0, 4, "0,20", "10/05/2024"), "date_reception", "DATE_INVALID"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := f.submit(t, f.lab, ingest.Submission{Format: ingest.LabResults, Reference: tc.name, Body: csvOf(tc.header, tc.line)})
			if rep.Status != ingest.StatusRejected || len(rep.Problems) != 1 || rep.Problems[0].Code != tc.code ||
				rep.Problems[0].Column != tc.column || rep.Problems[0].Line != 2 {
				t.Errorf("report = %+v, want %s on line 2 column %q", rep, tc.code, tc.column)
			}
		})
	}
	t.Run("ErrBatchReceivedBeforeTheEnd", func(t *testing.T) {
		// Ensure the batch's date of receipt is checked against each row.
		rep := f.submit(t, f.lab, ingest.Submission{Format: ingest.LabResults, Reference: "BATCH-EARLY", ReceivedOn: day(2024, 4, 15),
			Body: csvOf(labHeader, f.labLine(0, 4, "0,20"))})
		if rep.Status != ingest.StatusRejected || len(rep.Problems) != 1 || rep.Problems[0].Code != "RECEIPT_BEFORE_PERIOD_END" {
			t.Errorf("report = %+v", rep)
		}
	})
}
