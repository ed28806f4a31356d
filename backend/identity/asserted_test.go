package identity_test

import (
	"context"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/identity"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/policy"
)

func TestCandidates(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx := policy.SystemContext(context.Background())
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	add := func(ntt, last, usage, first, birth, place string) int {
		return db.Client.Worker.Create().SetIdentifierKind("NTT").SetTemporaryID(ntt).SetLastName(last).SetUsageName(usage).
			SetFirstNames(first).SetBirthDate(day(birth)).SetBirthPlace(place).SetSex("F").SaveX(ctx).ID
	}
	helene := add("T1", "Lefèvre", "Martin", "Hélène Marie", "1970-03-04", "69123")
	add("T2", "Lefèvre", "", "Hélène", "1970-03-05", "")      // another birth date
	add("T3", "Lefèvre", "", "Hélène", "1970-03-04", "13055") // another birth place
	twinA, twinB := add("T4", "Roux", "", "Léa", "1990-01-01", ""), add("T5", "Roux", "", "Léa", "1990-01-01", "")
	cases := []struct {
		name string
		a    identity.Asserted
		want []int
	}{
		{"birth name, all given names, accents folded, same place", identity.Asserted{FamilyName: "LEFEVRE", GivenNames: "Helene Marie", BirthDate: day("1970-03-04"), BirthPlace: "69123"}, []int{helene}},
		{"usage name and the first given name", identity.Asserted{FamilyName: "Martin", GivenNames: "Hélène", BirthDate: day("1970-03-04")}, []int{helene}},
		{"no birth date: never by name alone", identity.Asserted{FamilyName: "Lefèvre", GivenNames: "Hélène Marie"}, nil},
		{"another family name", identity.Asserted{FamilyName: "Dupont", GivenNames: "Hélène Marie", BirthDate: day("1970-03-04")}, nil},
		{"two records: both are candidates", identity.Asserted{FamilyName: "Roux", GivenNames: "Léa", BirthDate: day("1990-01-01")}, []int{twinA, twinB}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ws, err := identity.Candidates(ctx, db.Client, c.a)
			if err != nil {
				t.Fatal(err)
			}
			got := map[int]bool{}
			for _, w := range ws {
				got[w.ID] = true
			}
			if len(got) != len(c.want) {
				t.Fatalf("candidates %v, want %v", got, c.want)
			}
			for _, id := range c.want {
				if !got[id] {
					t.Fatalf("candidates %v, want %v", got, c.want)
				}
			}
		})
	}
}
