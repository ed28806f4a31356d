package anomaly

import (
	"strings"
	"testing"
	"time"

	"github.com/siseri/siseri/ent"
)

func TestMissingOnArrival(t *testing.T) {
	c := DefaultConfig()
	var hist []Dose
	for i := 1; i <= 4; i++ {
		hist = append(hist, dose(i, 2024, time.Month(i), 200))
	}
	onTime := func(d Dose) time.Time { return d.End.AddDate(0, 0, 3) }
	t.Run("OnTime", func(t *testing.T) {
		d := dose(10, 2024, time.May, 200)
		if fs := c.CheckMissingOnArrival(d, hist, onTime(d), time.Time{}); len(fs) != 0 {
			t.Fatalf("ordinary result flagged: %v", fs[0].Explanation)
		}
	})
	t.Run("Absent", func(t *testing.T) {
		d := dose(10, 2024, time.May, 0)
		d.Absent, d.Zero = true, false
		fs := c.CheckMissingOnArrival(d, hist, onTime(d), time.Time{})
		if len(fs) != 1 || fs[0].Kind != KindMissing || !strings.Contains(fs[0].Explanation, "Absence de résultat déclarée") {
			t.Fatalf("declared absence: %v", fs)
		}
	})
	t.Run("Late", func(t *testing.T) {
		d := dose(10, 2024, time.May, 200)
		fs := c.CheckMissingOnArrival(d, hist, d.End.AddDate(0, 2, 0), time.Time{})
		if len(fs) != 1 || !strings.Contains(fs[0].Explanation, "en retard") || !fs[0].PeriodStart.Equal(d.Start) {
			t.Fatalf("late result: %v", fs)
		}
	})
	t.Run("Gap", func(t *testing.T) {
		d := dose(10, 2024, time.June, 200) // May is missing
		fs := c.CheckMissingOnArrival(d, hist, onTime(d), time.Time{})
		if len(fs) != 1 || fs[0].PeriodStart.Month() != time.May || fs[0].PeriodEnd.Month() != time.May {
			t.Fatalf("gap: %v", fs)
		}
		// The same gap seen from the late May result is the same finding.
		may := dose(11, 2024, time.May, 200)
		late := c.CheckMissingOnArrival(may, hist, may.End.AddDate(0, 1, 5), time.Time{})
		if len(late) != 1 || late[0].Fingerprint() != fs[0].Fingerprint() {
			t.Fatalf("late result of the gap is another finding: %v", late)
		}
		// Another establishment's results do not make a gap.
		other := d
		other.EstablishmentID = 77
		if fs := c.CheckMissingOnArrival(other, hist, onTime(other), time.Time{}); len(fs) != 0 {
			t.Fatalf("gap across employers flagged: %v", fs[0].Explanation)
		}
	})
	t.Run("Summed", func(t *testing.T) {
		d := dose(10, 2024, time.May, 400)
		d.End = d.End.AddDate(0, 1, 0) // May–June in one result
		d.End = time.Date(2024, 6, 30, 0, 0, 0, 0, time.UTC)
		d.Context.Months = 2
		fs := c.CheckMissingOnArrival(d, hist, onTime(d), time.Time{})
		if len(fs) != 1 || !strings.Contains(fs[0].Explanation, "cumulé") {
			t.Fatalf("summed result: %v", fs)
		}
		// After a change of employment (monthly → quarterly badge), the
		// earlier pattern does not count.
		if fs := c.CheckMissingOnArrival(d, hist, onTime(d), d.Start); len(fs) != 0 {
			t.Fatalf("first result of a new employment flagged: %v", fs[0].Explanation)
		}
		// A quarterly period after a single partial month is no pattern.
		q := dose(10, 2024, time.February, 400)
		q.End, q.Context.Months = time.Date(2024, 4, 30, 0, 0, 0, 0, time.UTC), 3
		if fs := c.CheckMissingOnArrival(q, hist[:1], onTime(q), time.Time{}); len(fs) != 0 {
			t.Fatalf("first quarterly period after a partial month flagged: %v", fs[0].Explanation)
		}
	})
}

func TestSilence(t *testing.T) {
	c := DefaultConfig()
	var ds []Dose
	for i := 1; i <= 4; i++ {
		ds = append(ds, dose(i, 2024, time.Month(i), 200))
	}
	start := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	emp := employmentFrom(start, nil)
	// May ends on the 31st: expected by the end of June.
	if _, ok := c.checkSilence(ds, emp, time.Date(2024, 6, 20, 0, 0, 0, 0, time.UTC)); ok {
		t.Fatal("flagged within the grace delay")
	}
	f, ok := c.checkSilence(ds, emp, time.Date(2024, 7, 3, 0, 0, 0, 0, time.UTC))
	if !ok || f.Kind != KindMissing || f.PeriodStart.Month() != time.May || len(f.RecordIDs) != 0 {
		t.Fatalf("overdue May result: %v %+v", ok, f)
	}
	// Same finding the next day: same fingerprint (stored once).
	g, _ := c.checkSilence(ds, emp, time.Date(2024, 7, 4, 0, 0, 0, 0, time.UTC))
	if g.Fingerprint() != f.Fingerprint() {
		t.Error("the overdue result changes fingerprint from one day to the next")
	}
	// The employment ended with April: nothing is expected.
	end := time.Date(2024, 4, 30, 0, 0, 0, 0, time.UTC)
	if _, ok := c.checkSilence(ds, employmentFrom(start, &end), time.Date(2024, 7, 3, 0, 0, 0, 0, time.UTC)); ok {
		t.Error("flagged after the employment ended")
	}
	// A new employment (another job or category) began after the last
	// result: what it monitors is not known yet.
	if _, ok := c.checkSilence(ds, []*ent.Employment{{StartDate: start, EndDate: &end}, {StartDate: end.AddDate(0, 0, 1)}},
		time.Date(2024, 7, 3, 0, 0, 0, 0, time.UTC)); ok {
		t.Error("flagged across a change of employment")
	}
	// A single first (partial) month: wait for a quarterly period.
	if _, ok := c.checkSilence(ds[:1], emp, time.Date(2024, 3, 31, 0, 0, 0, 0, time.UTC)); ok {
		t.Error("flagged a first partial period before a quarter could end")
	}
}

func employmentFrom(start time.Time, end *time.Time) []*ent.Employment {
	return []*ent.Employment{{StartDate: start, EndDate: end}}
}
