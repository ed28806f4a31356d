package notify_test

import (
	"testing"
	"time"

	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/outboxmessage"
)

// TestConflictNotifiesThePhysicians: a correction conflict opened in a
// transaction writes, when it commits, the physician's e-mail (at once by
// default) and nothing for those who may not read it; a rolled back one
// writes nothing.
func TestConflictNotifiesThePhysicians(t *testing.T) {
	f := mustFixture(t, storetest.MustOpenSQLite(t))
	c := f.db.Client
	dose := func(version int) *ent.DoseRecord {
		return c.DoseRecord.Create().SetWorkerID(f.worker).SetEstablishmentID(f.chu).SetLaboratoryID(f.lab).
			SetSource("LABORATORY").SetMonitoringKind("PASSIVE_WHOLE_BODY").SetQuantity("HP10").SetValueUsv(int64(100 * version)).
			SetStatus("MEASURED").SetPeriodStart(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)).
			SetPeriodEnd(time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC)).SetVersion(version).SetCurrent(version == 2).SaveX(f.sys)
	}
	correction, resend, other := dose(2), dose(3), dose(4)
	open := func(resendID int, commit bool) {
		ctx, tx, err := f.db.OpenTx(f.sys)
		if err != nil {
			t.Fatal(err)
		}
		err = ent.FromContext(ctx).DoseConflict.Create().SetWorkerID(f.worker).SetEstablishmentID(f.chu).
			SetLaboratoryID(f.lab).SetCorrectionID(correction.ID).SetResendID(resendID).Exec(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n := c.OutboxMessage.Query().CountX(f.sys); n != 0 {
			t.Fatalf("%d outbox messages before the commit", n)
		}
		if commit {
			err = tx.Commit()
		} else {
			err = tx.Rollback()
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	open(other.ID, false)
	if n := c.OutboxMessage.Query().CountX(f.sys); n != 0 {
		t.Fatalf("a rolled back conflict wrote %d outbox messages", n)
	}
	open(resend.ID, true)
	rows := c.OutboxMessage.Query().Order(ent.Asc(outboxmessage.FieldID)).AllX(f.sys)
	if len(rows) != 1 || rows[0].Email != "physician@siseri.test" || rows[0].Template != "CONFLICT" ||
		rows[0].Link != "/conflits-correction" {
		for _, r := range rows {
			t.Logf("%s %s %s", r.Email, r.Template, r.Link)
		}
		t.Fatalf("outbox after a conflict: %d messages, want the physician's only", len(rows))
	}
}
