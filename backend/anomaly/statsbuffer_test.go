package anomaly_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/anomaly"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/policy"
)

// TestStatsBufferReadsStoredStatistics ensures that the chunks judged with
// one statistics buffer all see the statistics stored before it (the
// context read once for the import), and that after a flush the next chunk
// sees what the flush stored: a dose 100 times its context's level is a
// context outlier once the context's doses are stored, not before.
func TestStatsBufferReadsStoredStatistics(t *testing.T) {
	db := storetest.MustOpen(t)
	c := db.Client
	ctx := policy.SystemContext(context.Background())
	from := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
	c.Nomenclature.Create().SetKind("DOMAIN").SetVersion("V").SetCode("MED").SetLabel("Médical").SetValidFrom(from).ExecX(ctx)
	c.Nomenclature.Create().SetKind("SECTOR").SetVersion("V").SetCode("RI").SetLabel("Radiologie interventionnelle").SetParentCode("MED").SetValidFrom(from).ExecX(ctx)
	c.Nomenclature.Create().SetKind("JOB").SetVersion("V").SetCode("CARDIO").SetLabel("Cardiologue interventionnel").SetValidFrom(from).ExecX(ctx)
	est := c.Establishment.Create().SetSiret("73282932000074").SetName("CHU").SaveX(ctx)
	month := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	write := func(i int, usv int64) *ent.DoseRecord {
		w := c.Worker.Create().SetIdentifierKind("NTT").SetTemporaryID(fmt.Sprintf("S%03d", i)).SetLastName("Nom").
			SetFirstNames("Prénom").SetBirthDate(time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)).SetSex("F").SaveX(ctx)
		c.Employment.Create().SetWorkerID(w.ID).SetEstablishmentID(est.ID).SetStartDate(from).SetContractType("CDI").
			SetNomenclatureVersion("V").SetSectorCode("RI").SetJobCode("CARDIO").SetClassification("A").
			SetMonitoringKinds([]string{"PASSIVE_WHOLE_BODY"}).ExecX(ctx)
		return c.DoseRecord.Create().SetWorkerID(w.ID).SetEstablishmentID(est.ID).SetSource("LABORATORY").
			SetDosimeterSerial(fmt.Sprintf("D%d", w.ID)).SetMonitoringKind("PASSIVE_WHOLE_BODY").SetQuantity("HP10").
			SetValueUsv(usv).SetStatus(doseStatus("MEASURED")).SetPeriodStart(month).SetPeriodEnd(month.AddDate(0, 1, -1)).
			SetSectorCode("RI").SetJobCode("CARDIO").SetReceivedAt(month.AddDate(0, 1, 5)).SaveX(ctx)
	}
	engine := anomaly.NewEngine()
	engine.Postgres = true
	engine.Now = func() time.Time { return month.AddDate(0, 1, 5) }
	engine.Stats = anomaly.NewStatsBuffer()
	var context []*ent.DoseRecord
	for i := range 60 {
		context = append(context, write(i, int64(80+i)))
	}
	outliers := func(recs []*ent.DoseRecord) int {
		t.Helper()
		res, err := engine.Judge(ctx, c, recs)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, a := range res.Created {
			if a.Kind == string(anomaly.KindContext) {
				n++
			}
		}
		return n
	}
	if n := outliers(context); n != 0 {
		t.Fatalf("first chunk: %d context outliers, want none (no statistics stored)", n)
	}
	// Same buffer, not flushed: the context's doses are not stored yet.
	if n := outliers([]*ent.DoseRecord{write(100, 10000)}); n != 0 {
		t.Errorf("chunk of the same import: %d context outliers, want none (statistics as before the import)", n)
	}
	if err := engine.Stats.Flush(ctx, c); err != nil {
		t.Fatal(err)
	}
	if n := outliers([]*ent.DoseRecord{write(101, 10000)}); n != 1 {
		t.Errorf("after the flush: %d context outliers, want 1 (the stored statistics changed)", n)
	}
}
