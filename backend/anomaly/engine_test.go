package anomaly_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/anomaly"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent"
	anom "github.com/siseri/siseri/ent/anomaly"
	"github.com/siseri/siseri/policy"
)

func TestEngine(t *testing.T) {
	db := storetest.MustOpen(t)
	c := db.Client
	ctx := policy.SystemContext(context.Background())
	from := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
	c.Nomenclature.Create().SetKind("DOMAIN").SetVersion("V").SetCode("MED").SetLabel("Médical").SetValidFrom(from).ExecX(ctx)
	c.Nomenclature.Create().SetKind("SECTOR").SetVersion("V").SetCode("RI").SetLabel("Radiologie interventionnelle").SetParentCode("MED").SetValidFrom(from).ExecX(ctx)
	c.Nomenclature.Create().SetKind("JOB").SetVersion("V").SetCode("CARDIO").SetLabel("Cardiologue interventionnel").SetValidFrom(from).ExecX(ctx)
	est := c.Establishment.Create().SetSiret("73282932000074").SetName("CHU").SaveX(ctx)
	const n = 60
	ws := make([]*ent.Worker, n)
	for i := range ws {
		ws[i] = c.Worker.Create().SetIdentifierKind("NTT").SetTemporaryID(fmt.Sprintf("T%03d", i)).SetLastName("Nom").
			SetFirstNames("Prénom").SetBirthDate(time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)).SetSex("F").SaveX(ctx)
		c.Employment.Create().SetWorkerID(ws[i].ID).SetEstablishmentID(est.ID).SetStartDate(from).SetContractType("CDI").
			SetNomenclatureVersion("V").SetSectorCode("RI").SetJobCode("CARDIO").SetClassification("A").
			SetMonitoringKinds([]string{"PASSIVE_WHOLE_BODY"}).ExecX(ctx)
	}
	r := rand.New(rand.NewPCG(1, 2))
	engine := anomaly.NewEngine()
	engine.Postgres = true
	engine.Now = func() time.Time { return time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC) }
	write := func(w *ent.Worker, start time.Time, usv int64) *ent.DoseRecord {
		status := "MEASURED"
		if usv == 0 {
			status = "BELOW_THRESHOLD"
		}
		return c.DoseRecord.Create().SetWorkerID(w.ID).SetEstablishmentID(est.ID).SetSource("LABORATORY").
			SetDosimeterSerial(fmt.Sprintf("D%d", w.ID)).SetMonitoringKind("PASSIVE_WHOLE_BODY").SetQuantity("HP10").
			SetValueUsv(usv).SetStatus(doseStatus(status)).SetPeriodStart(start).SetPeriodEnd(start.AddDate(0, 1, -1)).
			SetSectorCode("RI").SetJobCode("CARDIO").SaveX(ctx)
	}
	var raised []*ent.Anomaly
	month := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for m := 0; m < 14; m++ {
		start := month.AddDate(0, m, 0)
		var ids []int
		for i, w := range ws {
			v := int64(100 * math.Exp(0.6*r.NormFloat64()))
			switch {
			case i == 0: // heavy worker: 2.2 mSv a month, over 20 mSv in 10 months
				v = 2200
			case i == 1 && m == 13: // a spike
				v = 8000
			case r.Float64() < 0.3:
				v = 0
			}
			ids = append(ids, write(w, start, v).ID)
		}
		res, err := engine.Process(ctx, c, ids)
		if err != nil {
			t.Fatal(err)
		}
		raised = append(raised, res.Created...)
	}
	var exceeded, outlier, jump int
	for _, a := range raised {
		switch {
		case a.Kind == string(anomaly.KindLimitExceeded) && a.WorkerID == ws[0].ID:
			exceeded++
		case a.Kind == string(anomaly.KindContext) && a.WorkerID == ws[1].ID:
			outlier++
			if !strings.Contains(a.Explanation, "du métier Cardiologue interventionnel (Radiologie interventionnelle)") {
				t.Errorf("explanation %q lacks the context", a.Explanation)
			}
		case a.Kind == string(anomaly.KindJump) && a.WorkerID == ws[1].ID:
			jump++
		}
	}
	if exceeded != 1 || outlier != 1 || jump != 1 {
		for _, a := range raised {
			t.Logf("%s worker %d: %s", a.Kind, a.WorkerID, a.Explanation)
		}
		t.Fatalf("exceeded %d, outlier %d, jump %d; want one of each", exceeded, outlier, jump)
	}
	// Statistical findings stay rare on ordinary doses.
	var statistical int
	for _, a := range raised {
		if a.Layer == anom.LayerContext || a.Layer == anom.LayerHistory {
			if a.WorkerID != ws[1].ID {
				statistical++
			}
		}
	}
	for _, a := range raised {
		if (a.Layer == anom.LayerContext || a.Layer == anom.LayerHistory) && a.WorkerID != ws[1].ID {
			t.Logf("%s worker %d: %s", a.Kind, a.WorkerID, a.Explanation)
		}
	}
	if statistical > 3 {
		t.Errorf("%d statistical findings on %d ordinary doses", statistical, n*14)
	}
	// Re-running detection on the same records raises nothing new.
	all := c.DoseRecord.Query().IDsX(ctx)
	res, err := engine.Process(ctx, c, all[len(all)-n:])
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Created) != 0 || res.Findings == 0 {
		t.Errorf("re-run created %d anomalies (findings %d), want 0 new", len(res.Created), res.Findings)
	}
}

func TestStatisticsCells(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx := policy.SystemContext(context.Background())
	var doses []anomaly.Dose
	// add gives n doses of sector in month, from workers distinct workers.
	add := func(sector string, n int, month time.Month, workers ...int) {
		if len(workers) == 0 {
			workers = []int{n}
		}
		for i := 0; i < n; i++ {
			s := time.Date(2025, month, 1, 0, 0, 0, 0, time.UTC)
			doses = append(doses, anomaly.Dose{ID: len(doses) + 1, WorkerID: 1000*len(sector) + i%workers[0] + 1,
				Context:  anomaly.Context{Sector: sector, Job: "J", Kind: "PASSIVE_WHOLE_BODY", Months: 1},
				Quantity: "HP10", Start: s, End: s.AddDate(0, 1, -1), USv: int64(100 + 10*i)})
		}
	}
	for m := time.January; m <= time.June; m++ {
		add("BIG", 20, m)
		add("SMALL", 2, m)
	}
	add("SMALL", 30, time.February) // many doses in one quarter only
	for m := time.January; m <= time.June; m++ {
		add("ONE", 20, m, 1) // weekly results of one person: never a cell
		add("PAIR", 20, m, 2)
	}
	if err := anomaly.AddToStats(ctx, db.Client, doses); err != nil {
		t.Fatal(err)
	}
	stats, err := anomaly.Statistics(ctx, db.Client, anomaly.StatsFilter{
		From: time.Date(2025, 2, 10, 0, 0, 0, 0, time.UTC), To: time.Date(2025, 5, 3, 0, 0, 0, 0, time.UTC)}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(stats) != 1 || stats[0].SectorCode != "BIG" || stats[0].Doses != 120 {
		t.Fatalf("stats = %+v, want only BIG over whole quarters Q1–Q2 (120 doses): SMALL lacks doses, ONE and PAIR people", stats)
	}
	if stats[0].MedianUSv < 150 || stats[0].MedianUSv > 350 {
		t.Errorf("median = %.0f µSv", stats[0].MedianUSv)
	}
}
