package registry_test

import (
	"context"
	stdsql "database/sql"
	"strings"
	"sync"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/siseri/siseri/backend/ingest"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent/anomaly"
	"github.com/siseri/siseri/policy"
)

// recordingDriver keeps the text of every statement run through it.
type recordingDriver struct {
	dialect.Driver
	mu      sync.Mutex
	queries []string
}

func (d *recordingDriver) Query(ctx context.Context, query string, args, v any) error {
	d.seen(query)
	return d.Driver.Query(ctx, query, args, v)
}

func (d *recordingDriver) Tx(ctx context.Context) (dialect.Tx, error) {
	tx, err := d.Driver.Tx(ctx)
	return &recordingTx{Tx: tx, d: d}, err
}

type recordingTx struct {
	dialect.Tx
	d *recordingDriver
}

func (t *recordingTx) Query(ctx context.Context, query string, args, v any) error {
	t.d.seen(query)
	return t.Tx.Query(ctx, query, args, v)
}

type execQueryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (stdsql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*stdsql.Rows, error)
}

func (d *recordingDriver) seen(query string) {
	d.mu.Lock()
	d.queries = append(d.queries, query)
	d.mu.Unlock()
}

func (d *recordingDriver) ExecContext(ctx context.Context, query string, args ...any) (stdsql.Result, error) {
	return d.Driver.(execQueryer).ExecContext(ctx, query, args...)
}

func (d *recordingDriver) QueryContext(ctx context.Context, query string, args ...any) (*stdsql.Rows, error) {
	d.seen(query)
	return d.Driver.(execQueryer).QueryContext(ctx, query, args...)
}

func (t *recordingTx) ExecContext(ctx context.Context, query string, args ...any) (stdsql.Result, error) {
	return t.Tx.(execQueryer).ExecContext(ctx, query, args...)
}

func (t *recordingTx) QueryContext(ctx context.Context, query string, args ...any) (*stdsql.Rows, error) {
	t.d.seen(query)
	return t.Tx.(execQueryer).QueryContext(ctx, query, args...)
}

// TestDetectionJudgesWhatWasWritten ensures detection judges the results of
// a laboratory batch as the import wrote them, without reading them back by
// id, and still raises its findings on them.
func TestDetectionJudgesWhatWasWritten(t *testing.T) {
	var rec *recordingDriver
	db := storetest.MustOpen(t, store.WithDriverWrapper(func(d dialect.Driver) dialect.Driver {
		rec = &recordingDriver{Driver: d}
		return rec
	}))
	f := newImportFixture(t, db, 3)
	rec.mu.Lock()
	rec.queries = nil
	rec.mu.Unlock()
	// 25 mSv in one month: over the 20 mSv limit.
	rep := f.submit(t, f.lab, ingest.Submission{Format: ingest.LabResults, Reference: "RB", Body: csvOf(labHeader,
		f.labLine(0, 3, "25,000"), f.labLine(1, 3, "0,10"), f.labLine(2, 3, "M"))})
	if rep.Status != ingest.StatusAccepted || rep.AnomaliesRaised == 0 {
		t.Fatalf("report = %+v, want accepted with anomalies", rep)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	for _, q := range rec.queries {
		if strings.Contains(q, `FROM "dose_records" WHERE "dose_records"."id" IN`) {
			t.Errorf("the batch was read back by id: %s", q)
		}
	}
	ctx := policy.SystemContext(context.Background())
	exceeded := db.Client.Anomaly.Query().Where(anomaly.Kind("LIMIT_EXCEEDED"), anomaly.WorkerID(f.workers[0].ID)).CountX(ctx)
	if exceeded != 1 {
		t.Errorf("LIMIT_EXCEEDED findings of the worker at 25 mSv = %d, want 1", exceeded)
	}
}
