package exposure_test

import (
	"reflect"
	"testing"

	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/backend/exposure"
	"github.com/siseri/siseri/backend/store"
)

// TestForViewerMatchesStandings checks ForViewer's aggregate fast path
// against Standings, the reference, on workers it serves (quiet adults, no
// result at all, superseded, absent and future results) and on those it
// hands over (a young worker, a pregnancy, a loud worker, a lens result of the
// transition period), on both databases.
func TestForViewerMatchesStandings(t *testing.T) {
	onBothDatabases(t, func(t *testing.T, db *store.DB) {
		f := mustFixture(t, db)
		asOf := date("2026-03-15")
		type tc struct {
			name, birth string
			doses       []dose
			pregnancy   string
		}
		cases := []tc{
			{name: "quiet", birth: "1980-05-01", doses: []dose{hp10("2025-01-01", "2025-01-31", 300), hp10("2025-06-01", "2025-06-30", 200),
				{kind: "EXTREMITY", quantity: "HP007", start: "2025-07-01", end: "2025-07-31", usv: 4000},
				{kind: "SKIN", quantity: "HP007", start: "2024-05-01", end: "2024-05-31", usv: 700},
				lens("2025-09-01", "2025-09-30", 90), hp10("2026-03-01", "2026-03-31", 50)}},
			{name: "none", birth: "1970-01-01"},
			{name: "versions", birth: "1975-02-02", doses: []dose{
				{kind: "PASSIVE_WHOLE_BODY", quantity: "HP10", start: "2025-10-01", end: "2025-10-31", usv: 9000, notCurrent: true},
				hp10("2025-10-01", "2025-10-31", 100),
				{kind: "PASSIVE_WHOLE_BODY", quantity: "HP10", start: "2025-11-01", end: "2025-11-30", usv: 0, status: "ABSENT"},
				hp10("2026-04-01", "2026-04-30", 30000)}},
			{name: "young", birth: "2009-06-01", doses: []dose{hp10("2025-02-01", "2025-02-28", 400)}},
			{name: "pregnant", birth: "1990-01-01", pregnancy: "2025-12-01", doses: []dose{hp10("2025-12-01", "2025-12-31", 100)}},
			{name: "loud", birth: "1985-01-01", doses: []dose{hp10("2024-09-01", "2024-09-30", 21000), hp10("2025-04-01", "2025-04-30", 500)}},
			{name: "transition", birth: "1960-01-01", doses: []dose{lens("2022-01-01", "2022-01-31", 1000), hp10("2025-04-01", "2025-04-30", 500)}},
		}
		var ids []int
		want := map[int][]exposure.Standing{}
		for _, c := range cases {
			w := f.worker(t, c.birth)
			if c.pregnancy != "" {
				f.pregnancy(t, w, c.pregnancy, "")
			}
			f.write(t, w, c.doses...)
			var kept []dosimetry.DatedDose
			for _, d := range c.doses {
				if !d.notCurrent && d.status != "ABSENT" {
					kept = append(kept, dosimetry.DatedDose{Kind: d.kind, Quantity: d.quantity, Start: date(d.start), End: date(d.end), Dose: dosimetry.Microsievert(d.usv)})
				}
			}
			p := dosimetry.Person{Birth: date(c.birth)}
			if c.pregnancy != "" {
				p.Pregnancies = []dosimetry.Pregnancy{{Declared: date(c.pregnancy)}}
			}
			ids = append(ids, w.ID)
			want[w.ID] = exposure.Standings(p, kept, asOf)
		}
		got, err := exposure.ForViewer(f.ctx, f.c, ids, asOf)
		if err != nil {
			t.Fatal(err)
		}
		for i, id := range ids {
			if !reflect.DeepEqual(got[id], want[id]) {
				t.Errorf("%s: ForViewer = %+v, want %+v", cases[i].name, got[id], want[id])
			}
		}
	})
}
