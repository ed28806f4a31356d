package graph_test

import (
	"strings"
	"testing"
	"time"
)

// TestExceedanceEpisode ensures a limit exceedance is one alert that keeps
// its first crossing (period and first explanation), follows the episode's
// latest state with a history, and says so when a correction undoes it.
func TestExceedanceEpisode(t *testing.T) {
	w := mustRegWorld(t)
	p := w.newPerson(time.Date(1979, 2, 3, 0, 0, 0, 0, time.UTC), "M")
	w.declare(t, regEmployerA, siretA, p, time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC), time.Time{})
	w.send(t, "EP-1", monthly(p, siretA, w.month(4), "12"), monthly(p, siretA, w.month(3), "9"))
	first := w.anomalies(t, p, "LIMIT_EXCEEDED")
	if len(first) != 1 {
		t.Fatalf("exceedances = %d, want 1", len(first))
	}
	crossing := lastDayOf(w.month(3)).Format(time.DateOnly)
	if *first[0].PeriodEnd != crossing || !strings.Contains(first[0].Explanation, "21,0 mSv") || first[0].Explanation != refString(first[0].Reference, "firstExplanation") {
		t.Fatalf("first crossing = %s %q", *first[0].PeriodEnd, first[0].Explanation)
	}

	// A later month adds to the same episode: the alert is updated, not repeated.
	w.send(t, "EP-2", monthly(p, siretA, w.month(2), "4"))
	now := w.anomalies(t, p, "LIMIT_EXCEEDED")
	if len(now) != 1 || now[0].ID != first[0].ID {
		t.Fatalf("exceedances after a later month = %+v, want the same one", now)
	}
	a := now[0]
	if *a.PeriodEnd != crossing || !strings.HasPrefix(a.Explanation, refString(first[0].Reference, "firstExplanation")) || !strings.Contains(a.Explanation, "25,0 mSv") {
		t.Errorf("updated exceedance: period end %s, explanation %q; want the first crossing kept and the peak of 25 mSv added", *a.PeriodEnd, a.Explanation)
	}
	if h, _ := a.Reference["history"].([]any); len(h) != 2 || refFloat(a.Reference, "peak", "sumUsv") != 25000 || refFloat(a.Reference, "sumUsv") != 21000 {
		t.Errorf("reference = %v, want two states, the first crossing's 21 mSv and the peak's 25", a.Reference)
	}

	// The physician corrects the month that made the crossing: the limit is
	// no longer exceeded, and the alert says so until the physician decides.
	var id string
	for _, d := range w.doses(t, regPhysician, p) {
		if d.PeriodStart == w.month(4).Format(time.DateOnly) {
			id = d.ID
		}
	}
	w.must(t, regPhysician, `mutation($id: ID!) { correctDose(input: {doseRecordID: $id, value: 1.2, unit: "mSv", reason: "Erreur d'unité du laboratoire"}) { id } }`,
		map[string]any{"id": id}, nil)
	if s := w.exposure(t, regPhysician, p)["EFFECTIVE"]; s.State == "EXCEEDED" {
		t.Fatalf("standing after the correction = %+v", s)
	}
	after := w.anomalies(t, p, "LIMIT_EXCEEDED")
	if len(after) != 1 || after[0].Reference["withdrawn"] != true || !strings.Contains(after[0].Explanation, "n'est plus dépassée") {
		t.Errorf("exceedance after the correction = %+v, want it marked no longer exceeded", after)
	}
}
