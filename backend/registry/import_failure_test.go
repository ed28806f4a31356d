package registry_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/backend/ingest"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/policy"
)

// bigFile is n valid results spread over the fixture's workers and months,
// each on its own dosimeter.
func (f *importFixture) bigFile(n int) string {
	var b strings.Builder
	b.WriteString(labHeader + "\n")
	for i := range n {
		w := i % len(f.nirs)
		start := day(2019, 1, 1).AddDate(0, (i/len(f.nirs))%70, 0)
		end := start.AddDate(0, 1, -1)
		fmt.Fprintf(&b, "%s;DUPRÉ%d;Élise;1980-01-15;%s;S%07d;PASSIF_CORPS_ENTIER;HP10;%s;%s;%d;µSv;;\n",
			f.nirs[w], w, siretA, i, start.Format("2006-01-02"), end.Format("2006-01-02"), (i*37)%400)
	}
	return b.String()
}

// TestConnectionCutMidBatch kills the database connection of an import after
// its second chunk is written; the retry with the same reference lands the
// batch exactly once.
func TestConnectionCutMidBatch(t *testing.T) {
	db := storetest.MustOpen(t)
	f := newImportFixture(t, db, 40)
	const rows = 12000
	file := f.bigFile(rows)
	f.svc.ChunkSize = 2000
	killed := false
	f.svc.AfterChunk = func(ctx context.Context, done int) error {
		if killed || done < 4000 {
			return nil
		}
		killed = true
		rs, err := ent.FromContext(ctx).QueryContext(policy.SystemContext(ctx), "SELECT pg_backend_pid()")
		if err != nil {
			return err
		}
		var p int
		for rs.Next() {
			if err := rs.Scan(&p); err != nil {
				return err
			}
		}
		rs.Close()
		if _, err := db.SQL.ExecContext(context.Background(), "SELECT pg_terminate_backend($1)", p); err != nil {
			return err
		}
		time.Sleep(100 * time.Millisecond)
		return nil
	}
	ctx := policy.NewContext(context.Background(), f.lab)
	_, err := f.svc.Run(ctx, db, ingest.Submission{Format: ingest.LabResults, Reference: "BIG", Body: strings.NewReader(file)})
	if err == nil || !killed {
		t.Fatalf("import survived a killed connection (killed=%v, err=%v)", killed, err)
	}
	if r, b := f.count(t); r != 0 || b != 0 {
		t.Fatalf("after the cut: %d records and %d batches stored, want none", r, b)
	}
	f.svc.AfterChunk = nil
	rep, err := f.svc.Run(ctx, db, ingest.Submission{Format: ingest.LabResults, Reference: "BIG", Body: strings.NewReader(file)})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Status != ingest.StatusAccepted || rep.RowsAccepted != rows || rep.Replayed {
		t.Fatalf("retry: %+v", rep)
	}
	again, err := f.svc.Run(ctx, db, ingest.Submission{Format: ingest.LabResults, Reference: "BIG", Body: strings.NewReader(file)})
	if err != nil || !again.Replayed || again.BatchID != rep.BatchID {
		t.Fatalf("second retry: %+v, %v", again, err)
	}
	if r, b := f.count(t); r != rows || b != 1 {
		t.Fatalf("after the retries: %d records and %d batches, want %d and 1", r, b, rows)
	}
}

// TestConcurrentSubmissions: the same reference sent twice at once is written
// once; the same results under two references at once are written once.
func TestConcurrentSubmissions(t *testing.T) {
	db := storetest.MustOpen(t)
	f := newImportFixture(t, db, 20)
	file := f.bigFile(3000)
	run := func(ref string) (*ingest.Report, error) {
		return f.svc.Run(policy.NewContext(context.Background(), f.lab), db,
			ingest.Submission{Format: ingest.LabResults, Reference: ref, Body: strings.NewReader(file)})
	}
	var wg sync.WaitGroup
	reps := make([]*ingest.Report, 4)
	errs := make([]error, 4)
	for i, ref := range []string{"SAME", "SAME", "A", "B"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			reps[i], errs[i] = run(ref)
		}()
	}
	wg.Wait()
	accepted, winner := 0, ""
	for i, rep := range reps {
		if errs[i] != nil {
			t.Fatalf("submission %d: %v", i, errs[i])
		}
		if rep.Status == ingest.StatusAccepted && !rep.Replayed {
			accepted++
			winner = rep.Reference
		}
	}
	if reps[0].BatchID != reps[1].BatchID && reps[0].Status == ingest.StatusAccepted && reps[1].Status == ingest.StatusAccepted {
		t.Fatalf("same reference gave two batches: %d and %d", reps[0].BatchID, reps[1].BatchID)
	}
	if accepted != 1 {
		t.Fatalf("%d submissions were written, want exactly 1: %+v", accepted, reps)
	}
	if r, _ := f.count(t); r != 3000 {
		t.Fatalf("%d records stored, want 3000", r)
	}
	// A reference already used for other content is refused.
	_, err := f.svc.Run(policy.NewContext(context.Background(), f.lab), db,
		ingest.Submission{Format: ingest.LabResults, Reference: winner, Body: strings.NewReader(f.bigFile(10))})
	if apperr.CodeOf(err) != apperr.Conflict {
		t.Fatalf("reused reference: %v, want CONFLICT", err)
	}
}
