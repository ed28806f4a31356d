package anomaly

import (
	"strings"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/dosimetry"
)

func TestCheckConstraint(t *testing.T) {
	c := DefaultConfig()
	w := Worker{ID: 1, EstablishmentID: 9, Person: dosimetry.Person{Birth: time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)}}
	welder := func(usv int64) Dose {
		d := dose(1, 2025, time.May, usv)
		d.Context.Job = "SOUDEUR"
		return d
	}
	key := func(job string) constraintKey { return constraintKey{9, job, dosimetry.LimitEffective} }
	tests := []struct {
		name   string
		d      Dose
		cs     Constraints
		want   bool
		source string
		text   string
	}{
		// Ensure the default (3/10 of the limit: 6 mSv a year, 0.50 mSv a month) applies with no constraint.
		{"OKDefault", dose(1, 2025, time.May, 800), nil, true, "DEFAULT", "du niveau par défaut (3/10 de la limite : 6,00 mSv sur 12 mois, soit 0,50 mSv pour la période)"},
		{"ErrBelowDefault", dose(1, 2025, time.May, 500), nil, false, "", ""},
		// Ensure an establishment-wide constraint below 3/10 raises a notice under the default.
		{"OKEstablishment", dose(1, 2025, time.May, 300), Constraints{key(""): {ID: 5, AnnualUSv: 2400}}, true, "ESTABLISHMENT",
			"de la contrainte de dose de l'établissement (2,40 mSv sur 12 mois, soit 0,20 mSv pour la période)"},
		// Ensure a higher job constraint beats both the establishment's and the default.
		{"ErrJobHigher", welder(800), Constraints{key(""): {ID: 5, AnnualUSv: 2400}, key("SOUDEUR"): {ID: 6, AnnualUSv: 14000, Job: "SOUDEUR"}},
			false, "", ""},
		{"OKJob", welder(1200), Constraints{key("SOUDEUR"): {ID: 6, AnnualUSv: 14000, Job: "SOUDEUR"}}, true, "JOB",
			"de la contrainte de dose de l'établissement pour ce métier (14,0 mSv sur 12 mois, soit 1,17 mSv pour la période)"},
		// Ensure another establishment's constraint does not apply.
		{"OKOtherEstablishment", dose(1, 2025, time.May, 800), Constraints{{10, "", dosimetry.LimitEffective}: {ID: 7, AnnualUSv: 14000}},
			true, "DEFAULT", "niveau par défaut"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, ok := c.CheckConstraint(w, tc.d, tc.cs)
			if ok != tc.want {
				t.Fatalf("CheckConstraint(%d µSv) = %v, want %v (%+v)", tc.d.USv, ok, tc.want, f)
			}
			if !ok {
				return
			}
			if f.Layer != LayerConstraint || f.Kind != KindConstraint || f.Severity != SeverityInfo || f.Reference["source"] != tc.source {
				t.Errorf("finding = %+v, want a %s notice", f, tc.source)
			}
			if !strings.Contains(f.Explanation, tc.text) {
				t.Errorf("explanation %q does not say %q", f.Explanation, tc.text)
			}
		})
	}
}
