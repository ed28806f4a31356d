package accesstest

import (
	"fmt"
	"testing"
)

// testContractorShare checks the outside company's reading of operational
// dosimetry (arrêté 2023 art. 18): W2, employed at A, intervened on B's site
// in September 2024. A's adviser reads the dose B took during the
// intervention, and not the one B took in November, by every path; B's
// adviser reads both; the intervention is read by both companies.
func testContractorShare(t *testing.T, w *world) {
	crpA, crpB, empB := w.byName["adviser(A)"], w.byName["adviser(B)"], w.byName["employer(B)"]
	var sept, lastDay, nov, mayAtA int
	for _, d := range w.opDoses {
		switch {
		case d.worker == w.w2 && d.est == w.estB && d.start.Month() == 9 && d.start.Day() == 30:
			lastDay = d.id
		case d.worker == w.w2 && d.est == w.estB && d.start.Month() == 9:
			sept = d.id
		case d.worker == w.w2 && d.est == w.estB && d.start.Month() == 11:
			nov = d.id
		case d.worker == w.w2 && d.est == w.estA:
			mayAtA = d.id
		}
	}
	if sept == 0 || lastDay == 0 || nov == 0 || mayAtA == 0 {
		t.Fatal("fixture: W2's operational doses at A and B are missing")
	}
	const list = `{ operationalDoses(first: 50) { totalCount edges { node { id } } } }`

	t.Run("OKContractorReadsTheIntervention", func(t *testing.T) {
		// Ensure A's adviser reads the dose of the intervention on B's site,
		// through the list, B's establishment and the worker, and never the
		// dose taken on B outside it.
		c := w.mustList(t, crpA, list, "operationalDoses", nil)
		w.expectRows(t, "operationalDoses as "+crpA.name, c, w.opIDs(crpA, func(opDoseRow) bool { return true }))
		if ids := setOf(c.ids()...); !ids[sept] || !ids[lastDay] || ids[nov] {
			t.Errorf("operationalDoses as %s = %v, want %d and %d (September at B, its last day included) and not %d (November at B)",
				crpA, c.ids(), sept, lastDay, nov)
		}
		c = w.mustList(t, crpA, fmt.Sprintf(`{ establishments(first: 10, where: {id: %d}) { edges { node { id operationalDoses(first: 10) { totalCount edges { node { id } } } } } } }`, w.estB),
			"establishments", nil)
		if len(c.Edges) != 1 {
			t.Fatalf("establishments(B) as %s: %d rows", crpA, len(c.Edges))
		}
		w.expectRows(t, "establishments(B).operationalDoses as "+crpA.name, c.Edges[0].Node.OperationalDoses, setOf(sept, lastDay))
		c = w.mustList(t, crpA, fmt.Sprintf(`{ workers(first: 10, where: {id: %d}) { edges { node { id operationalDoses(first: 10) { totalCount edges { node { id } } } } } } }`, w.w2),
			"workers", nil)
		if len(c.Edges) != 1 {
			t.Fatalf("workers(W2) as %s: %d rows", crpA, len(c.Edges))
		}
		w.expectRows(t, "workers(W2).operationalDoses as "+crpA.name, c.Edges[0].Node.OperationalDoses, setOf(sept, lastDay, mayAtA))
		// A filter cannot reach beyond the intervention either.
		w.expectRefusedOrNone(t, crpA, "B's operational doses after the intervention",
			fmt.Sprintf(`{ operationalDoses(first: 10, where: {establishmentID: %d, startAtGT: "2024-10-01T00:00:00Z"}) { edges { node { id } } } }`, w.estB),
			"operationalDoses", setOf(nov))
	})
	t.Run("OKSiteReadsItsSite", func(t *testing.T) {
		// Ensure B's adviser reads every dose taken on B, the outside
		// company's worker's included, and B's roles see that worker.
		c := w.mustList(t, crpB, list, "operationalDoses", nil)
		w.expectRows(t, "operationalDoses as "+crpB.name, c, w.opIDs(crpB, func(opDoseRow) bool { return true }))
		if ids := setOf(c.ids()...); !ids[sept] || !ids[lastDay] || !ids[nov] || ids[mayAtA] {
			t.Errorf("operationalDoses as %s = %v, want both of W2's doses at B and not the one at A", crpB, c.ids())
		}
		for _, s := range []*subject{crpB, empB} {
			c := w.mustList(t, s, `{ workers(first: 10) { totalCount edges { node { id } } } }`, "workers", nil)
			want, _ := w.visible(s, "workers")
			w.expectRows(t, "workers as "+s.name, c, want)
			if !want[w.w2] {
				t.Errorf("oracle: %s should see the worker intervening on its site", s)
			}
		}
	})
	t.Run("OKInterventionReadByBoth", func(t *testing.T) {
		// Ensure the intervention is read by both companies, the worker's
		// physician and the region's control agent, and by no one else.
		for _, s := range w.subjects {
			if !s.may("Query", "interventions") {
				w.expectForbidden(t, s, "interventions", `{ interventions(first: 10) { totalCount edges { node { id } } } }`)
				continue
			}
			c := w.mustList(t, s, `{ interventions(first: 10) { totalCount edges { node { id } } } }`, "interventions", nil)
			want, _ := w.visible(s, "interventions")
			w.expectRows(t, "interventions as "+s.name, c, want)
		}
	})
}

// opIDs returns the ids of the fixture's operational doses matching keep
// among those s sees.
func (w *world) opIDs(s *subject, keep func(opDoseRow) bool) idSet {
	vis, _ := w.visible(s, "operationalDoses")
	out := idSet{}
	for _, d := range w.opDoses {
		if vis[d.id] && keep(d) {
			out[d.id] = true
		}
	}
	return out
}
