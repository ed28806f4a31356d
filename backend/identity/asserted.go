package identity

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/worker"
	"github.com/siseri/siseri/policy"
)

// Asserted is the identity an identity provider asserts for a person
// (FranceConnect+): birth name, given names, birth date and, when the provider
// knows it, the birth place (an INSEE code or a name).
type Asserted struct {
	FamilyName, GivenNames string
	BirthDate              time.Time
	BirthPlace             string
}

// Candidates returns the registered workers an asserted identity may be: the
// same birth date, the birth or usage name, the given names (all of them, or
// the first alone when only it is registered) and, when both sides know it,
// the same birth place. Never a match by name alone: without a birth date
// there is no candidate. The lookup runs as the system; callers learn only
// which records match.
func Candidates(ctx context.Context, client *ent.Client, a Asserted) ([]*ent.Worker, error) {
	if a.BirthDate.IsZero() || strings.TrimSpace(a.FamilyName) == "" || strings.TrimSpace(a.GivenNames) == "" {
		return nil, nil
	}
	day := time.Date(a.BirthDate.Year(), a.BirthDate.Month(), a.BirthDate.Day(), 0, 0, 0, 0, time.UTC)
	ws, err := client.Worker.Query().
		Where(worker.BirthDateGTE(day.Add(-24*time.Hour)), worker.BirthDateLT(day.Add(48*time.Hour))).
		All(policy.SystemContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("find workers by birth date: %w", err)
	}
	first, _, _ := strings.Cut(strings.TrimSpace(dosimetry.FoldName(a.GivenNames)), " ")
	var out []*ent.Worker
	for _, w := range ws {
		c := Claim{LastName: a.FamilyName, FirstNames: a.GivenNames, BirthDate: &day}
		short := Claim{LastName: a.FamilyName, FirstNames: first, BirthDate: &day}
		if !Matches(w, c) && !Matches(w, short) {
			continue
		}
		if w.BirthPlace != "" && a.BirthPlace != "" && !dosimetry.SameName(w.BirthPlace, a.BirthPlace) {
			continue
		}
		out = append(out, w)
	}
	return out, nil
}
