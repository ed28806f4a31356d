package exposure_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/exposure"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/policy"
)

// TestHistory ensures the monthly history sums current results by month of
// period end, kind and quantity, and that the caller's row scope applies.
func TestHistory(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, db *store.DB) {
		f := mustFixture(t, db)
		other := f.c.Establishment.Create().SetSiret("35600000000048").SetName("Autre").SaveX(f.ctx)
		w := f.worker(t, "1980-01-01")
		emp := func(est int, start, end string) {
			c := f.c.Employment.Create().SetWorkerID(w.ID).SetEstablishmentID(est).SetStartDate(date(start)).
				SetContractType("CDI").SetNomenclatureVersion("V").SetClassification("A").SetMonitoringKinds([]string{"PASSIVE_WHOLE_BODY"})
			if end != "" {
				c.SetEndDate(date(end))
			}
			c.ExecX(f.ctx)
		}
		emp(f.est.ID, "2024-01-01", "2024-06-30")
		emp(other.ID, "2024-07-01", "")
		f.write(t, w,
			hp10("2024-01-01", "2024-01-31", 100), hp10("2024-01-01", "2024-01-31", 50), // two badges in January
			hp10("2023-12-15", "2024-02-14", 300), // straddling: February
			dose{kind: "INTERNAL", quantity: "E50", start: "2024-02-01", end: "2024-02-29", usv: 1000},
			hp10("2024-03-01", "2024-03-31", 999999), // superseded below
			hp10("2024-03-01", "2024-03-31", 200),
			dose{kind: "PASSIVE_WHOLE_BODY", quantity: "HP10", start: "2024-04-01", end: "2024-04-30", status: "ABSENT"},
			hp10("2024-08-01", "2024-08-31", 400),
			hp10("2025-01-01", "2025-01-31", 500), // after the range
		)
		recs := f.c.DoseRecord.Query().AllX(f.ctx)
		for _, r := range recs {
			if r.ValueUsv == 999999 {
				f.c.DoseRecord.UpdateOne(r).SetCurrent(false).ExecX(f.ctx)
			}
		}
		from, to := date("2024-01-20"), date("2024-12-05")

		got, err := exposure.History(f.ctx, f.c, w.ID, from, to)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"2024-01 PASSIVE_WHOLE_BODY HP10 150 2", "2024-02 INTERNAL E50 1000 1",
			"2024-02 PASSIVE_WHOLE_BODY HP10 300 1", "2024-03 PASSIVE_WHOLE_BODY HP10 200 1", "2024-08 PASSIVE_WHOLE_BODY HP10 400 1"}
		assertHistory(t, "system", got, want)

		// An adviser of the first establishment sees the external results of
		// January to June only.
		adviser := policy.NewContext(context.Background(), &policy.Viewer{AccountID: 1, Role: policy.RoleRPA,
			Grants: []policy.Grant{{ID: 1, Role: policy.RoleRPA, EstablishmentID: f.est.ID, ValidFrom: time.Now().AddDate(-1, 0, 0)}}})
		got, err = exposure.History(adviser, f.c, w.ID, from, to)
		if err != nil {
			t.Fatal(err)
		}
		assertHistory(t, "adviser", got, []string{"2024-01 PASSIVE_WHOLE_BODY HP10 150 2",
			"2024-02 PASSIVE_WHOLE_BODY HP10 300 1", "2024-03 PASSIVE_WHOLE_BODY HP10 200 1"})
	})
}

func assertHistory(t *testing.T, who string, got []exposure.MonthlyDose, want []string) {
	t.Helper()
	var lines []string
	for _, m := range got {
		lines = append(lines, m.Month.String()+" "+string(m.Kind)+" "+string(m.Quantity)+" "+itoa(m.USv)+" "+itoa(int64(m.Records)))
	}
	if len(lines) != len(want) {
		t.Fatalf("%s: History = %q, want %q", who, lines, want)
	}
	for i := range want {
		if lines[i] != want[i] {
			t.Errorf("%s: History[%d] = %q, want %q", who, i, lines[i], want[i])
		}
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
