package synth

import (
	"encoding/csv"
	"strings"
	"testing"
)

// countingSink counts what GenerateRows emits.
type countingSink struct {
	ests, workers, emps, lab, op, absent, below int
}

func (s *countingSink) Establishment(Establishment) error { s.ests++; return nil }
func (s *countingSink) Worker(w Worker) error {
	s.workers++
	s.emps += len(w.Employments)
	return nil
}
func (s *countingSink) LabResult(r LabResult) error {
	s.lab++
	switch r.Status {
	case "ABSENT":
		s.absent++
	case "BELOW_THRESHOLD":
		s.below++
	}
	return nil
}
func (s *countingSink) Operational(OperationalResult) error { s.op++; return nil }

func TestGenerateRows(t *testing.T) {
	for _, fam := range Families() {
		t.Run(fam, func(t *testing.T) { testGenerateRows(t, fam) })
	}
}

func testGenerateRows(t *testing.T, family string) {
	// Ensure the values GenerateRows emits are the rows Generate writes.
	opts := Options{Workers: 400, Months: 12, Seed: 3, Family: family}
	files := MemSink{}
	want, err := Generate(opts, files)
	if err != nil {
		t.Fatal(err)
	}
	var got countingSink
	sum, err := GenerateRows(opts, &got)
	if err != nil {
		t.Fatal(err)
	}
	if sum.LabResults != want.LabResults || sum.Operational != want.Operational || got.lab != want.LabResults ||
		got.op != want.Operational || got.workers != want.Workers || got.ests != want.Establishments || got.emps != want.Declarations {
		t.Fatalf("GenerateRows = %+v (sink %+v), want %+v", sum, got, want)
	}
	r := csv.NewReader(strings.NewReader(files[FileLabResults].String()))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	absent, below := 0, 0
	for _, r := range rows[1:] {
		switch r[10] {
		case "ABSENT":
			absent++
		case "M", "0", "0.00", "0,00", "0.000", "0,000":
			below++
		}
	}
	if got.absent != absent || got.below < below {
		t.Errorf("absent %d, below threshold %d; the file has %d and %d", got.absent, got.below, absent, below)
	}
}
