package audit_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/audit"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/auditevent"
	"github.com/siseri/siseri/ent/auditsubject"
	"github.com/siseri/siseri/policy"
)

// BenchmarkReadAudit runs N concurrent readers, each doing b.N/N
// transactions of one indexed read followed by its audit, then commit, in
// three ways measured in the same run on the same database:
//
//   - none: the read alone (the baseline);
//   - locked: the chain as it was before batches, re-implemented here only
//     (advisory lock until commit, read of the chain head, event with seq and
//     previous hash, worker index);
//   - append: audit.Log.Append (plain rows, no lock) while a Sequencer seals
//     every 100 ms.
//
// It reports reads/s of each and the ratios append/none, locked/none and
// append/locked, then the sequencer's own rate (events sealed per second
// from a backlog) against the append rate.
func BenchmarkReadAudit(b *testing.B) {
	for _, readers := range []int{4, 16} {
		b.Run(fmt.Sprintf("readers=%d", readers), func(b *testing.B) {
			n := max(b.N, readers)
			rates := map[string]float64{}
			for _, mode := range []string{"none", "locked", "append"} {
				// Each mode starts from an empty database of its own.
				rates[mode] = readAuditRate(b, storetest.MustOpen(b), mode, readers, n)
			}
			for _, mode := range []string{"none", "locked", "append"} {
				b.ReportMetric(rates[mode], mode+"_reads/s")
			}
			b.ReportMetric(rates["append"]/rates["none"], "append/none")
			b.ReportMetric(rates["locked"]/rates["none"], "locked/none")
			b.ReportMetric(rates["append"]/rates["locked"], "append/locked")
		})
	}
	b.Run("seal", func(b *testing.B) {
		// Sealing a backlog, against appending it.
		db := storetest.MustOpen(b)
		log := &audit.Log{Client: db.Client, Dialect: db.Dialect}
		seq := &audit.Sequencer{Client: db.Client, Dialect: db.Dialect}
		if _, err := seq.Drain(context.Background()); err != nil {
			b.Fatal(err)
		}
		n := max(b.N, 1000)
		entries := make([]audit.Pending, n)
		for i := range entries {
			entries[i] = audit.Pending{Viewer: benchViewer, Entry: benchEntry(i)}
		}
		start := time.Now()
		if err := log.AppendBatch(context.Background(), entries); err != nil {
			b.Fatal(err)
		}
		appended := time.Since(start)
		start = time.Now()
		sealed, err := seq.Drain(context.Background())
		if err != nil || sealed != n {
			b.Fatalf("sealed %d of %d: %v", sealed, n, err)
		}
		took := time.Since(start)
		b.ReportMetric(float64(n)/took.Seconds(), "sealed_events/s")
		b.ReportMetric(float64(n)/appended.Seconds(), "batch_appended_events/s")
	})
}

var benchViewer = &policy.Viewer{AccountID: 7, DisplayName: "Dr Claire Martin", Role: policy.RolePhysician}

func benchEntry(i int) audit.Entry {
	return audit.Entry{Action: audit.ActionRead, Operation: "query WorkerFile { node }",
		FieldPaths: []string{"Worker.nir", "Worker.lastName", "DoseRecord.valueUsv"}, ObjectType: "Worker",
		ObjectIDs: []int{i, i + 1, i + 2, i + 3, i + 4}, WorkerIDs: []int{i % 5000, (i + 1) % 5000, (i + 2) % 5000}}
}

// readAuditRate runs n read transactions over readers goroutines and returns
// reads per second.
func readAuditRate(b *testing.B, db *store.DB, mode string, readers, n int) float64 {
	b.Helper()
	log := &audit.Log{Client: db.Client, Dialect: db.Dialect}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	if mode == "append" {
		seq := &audit.Sequencer{Client: db.Client, Dialect: db.Dialect}
		go seq.Run(ctx, 100*time.Millisecond, nil)
	}
	errs := make(chan error, readers)
	var wg sync.WaitGroup
	start := time.Now()
	for r := 0; r < readers; r++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := r; i < n; i += readers {
				if err := readOnce(db, log, mode, i); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	took := time.Since(start)
	close(errs)
	if err := <-errs; err != nil {
		b.Fatal(err)
	}
	return float64(n) / took.Seconds()
}

// readOnce is one reader's transaction: a read by index, its audit, commit.
func readOnce(db *store.DB, log *audit.Log, mode string, i int) error {
	ctx := policy.SystemContext(context.Background())
	tx, err := db.Client.Tx(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	c := tx.Client()
	if _, err := c.AuditSubject.Query().Where(auditsubject.WorkerID(i % 5000)).Limit(20).IDs(ctx); err != nil {
		return err
	}
	switch mode {
	case "append":
		err = log.Append(ent.NewContext(ctx, c), benchViewer, benchEntry(i))
	case "locked":
		err = lockedAppend(ctx, c, benchEntry(i))
	}
	if err != nil {
		return err
	}
	return tx.Commit()
}

// lockedAppend is the append of the chain before batches (the code this
// branch replaced), kept here only to measure against: lock the chain until
// commit, read its head, write the event after it, then its worker index.
func lockedAppend(ctx context.Context, c *ent.Client, e audit.Entry) error {
	if _, err := c.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", 0x5151_A0D1); err != nil {
		return err
	}
	var seq int64
	prev := ""
	last, err := c.AuditEvent.Query().Where(auditevent.SeqNotNil()).Order(ent.Desc(auditevent.FieldSeq)).First(ctx)
	switch {
	case err == nil:
		seq, prev = *last.Seq, last.Hash
	case !ent.IsNotFound(err):
		return err
	}
	at := time.Now().UTC().Truncate(time.Microsecond)
	body, err := json.Marshal(map[string]any{"seq": seq + 1, "at": at, "entry": e, "prev_hash": prev})
	if err != nil {
		return err
	}
	sum := sha256.Sum256(body)
	saved, err := c.AuditEvent.Create().SetSeq(seq + 1).SetAt(at).SetActorAccountID(benchViewer.AccountID).
		SetActorLabel(audit.Label(benchViewer)).SetActorRole(string(benchViewer.Role)).SetAction(e.Action).
		SetOperation(e.Operation).SetFieldPaths(e.FieldPaths).SetObjectType(e.ObjectType).SetObjectIds(e.ObjectIDs).
		SetWorkerIds(e.WorkerIDs).SetPrevHash(prev).SetHash(hex.EncodeToString(sum[:])).Save(ctx)
	if err != nil {
		return err
	}
	subjects := make([]*ent.AuditSubjectCreate, len(e.WorkerIDs))
	for i, w := range e.WorkerIDs {
		subjects[i] = c.AuditSubject.Create().SetEventID(saved.ID).SetWorkerID(w).SetAt(at)
	}
	return c.AuditSubject.CreateBulk(subjects...).Exec(ctx)
}
