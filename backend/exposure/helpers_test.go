package exposure_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/doserecord"
	"github.com/siseri/siseri/policy"
)

// onBothDatabases runs f on a fresh PostgreSQL database and on a fresh SQLite
// one: the upserts must behave the same on both.
func onBothDatabases(t *testing.T, f func(t *testing.T, db *store.DB)) {
	t.Run("PostgreSQL", func(t *testing.T) { f(t, storetest.MustOpen(t)) })
	t.Run("SQLite", func(t *testing.T) { f(t, storetest.MustOpenSQLite(t)) })
}

// fixture writes workers and doses in one establishment, as the system.
type fixture struct {
	c   *ent.Client
	ctx context.Context
	est *ent.Establishment
	n   int
}

func mustFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	ctx := policy.SystemContext(context.Background())
	est := db.Client.Establishment.Create().SetSiret("73282932000074").SetName("CHU").SaveX(ctx)
	return &fixture{c: db.Client, ctx: ctx, est: est}
}

func date(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// worker creates a worker born on birth.
func (f *fixture) worker(t *testing.T, birth string) *ent.Worker {
	t.Helper()
	f.n++
	return f.c.Worker.Create().SetIdentifierKind("NTT").SetTemporaryID(fmt.Sprintf("T%05d", f.n)).SetLastName("Nom").
		SetFirstNames("Prénom").SetBirthDate(date(birth)).SetSex("F").SaveX(f.ctx)
}

// pregnancy declares a pregnancy of w on an employment (ended may be "").
func (f *fixture) pregnancy(t *testing.T, w *ent.Worker, declared, ended string) {
	t.Helper()
	c := f.c.Employment.Create().SetWorkerID(w.ID).SetEstablishmentID(f.est.ID).SetStartDate(date("2015-01-01")).
		SetContractType("CDI").SetNomenclatureVersion("V").SetClassification("B").
		SetMonitoringKinds([]string{"PASSIVE_WHOLE_BODY"}).SetPregnancyDeclaredOn(date(declared))
	if ended != "" {
		c.SetPregnancyEndedOn(date(ended))
	}
	c.ExecX(f.ctx)
}

// dose is one result to write: kind, quantity, period and µSv.
type dose struct {
	kind, quantity string
	start, end     string
	usv            int64
	// status is MEASURED unless set; notCurrent writes a superseded version.
	status     string
	notCurrent bool
}

func hp10(start, end string, usv int64) dose {
	return dose{kind: "PASSIVE_WHOLE_BODY", quantity: "HP10", start: start, end: end, usv: usv}
}

func lens(start, end string, usv int64) dose {
	return dose{kind: "LENS", quantity: "HP3", start: start, end: end, usv: usv}
}

func (f *fixture) write(t *testing.T, w *ent.Worker, doses ...dose) []*ent.DoseRecord {
	t.Helper()
	var out []*ent.DoseRecord
	for _, d := range doses {
		status := d.status
		if status == "" {
			status = "MEASURED"
		}
		out = append(out, f.c.DoseRecord.Create().SetWorkerID(w.ID).SetEstablishmentID(f.est.ID).SetSource("LABORATORY").
			SetMonitoringKind(doserecord.MonitoringKind(d.kind)).SetQuantity(doserecord.Quantity(d.quantity)).
			SetPeriodStart(date(d.start)).SetPeriodEnd(date(d.end)).SetValueUsv(d.usv).SetStatus(doserecord.Status(status)).
			SetCurrent(!d.notCurrent).SaveX(f.ctx))
	}
	return out
}
