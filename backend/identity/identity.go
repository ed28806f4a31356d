// Package identity reconciles the identity a submitter gives (NIR, names, birth
// date) with the registered worker, the check every laboratory submission and
// every identity query goes through.
package identity

import (
	"context"
	"fmt"
	"time"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/worker"
	"github.com/siseri/siseri/policy"
)

// Claim is an identity as a submitter states it.
type Claim struct {
	NIR        string
	LastName   string
	FirstNames string
	BirthDate  *time.Time
}

// Find returns the registered worker whose NIR, birth or usage name, first
// names and (when given) birth date match the claim, ignoring case and
// accents, or nil when none does. The lookup runs as the system: callers
// learn only whether the claim matches, never any stored data.
func Find(ctx context.Context, client *ent.Client, c Claim) (*ent.Worker, error) {
	nir, err := dosimetry.ParseNIR(c.NIR)
	if err != nil {
		return nil, apperr.Invalid("input.nir", c.NIR, "%s", err.Error())
	}
	w, err := client.Worker.Query().Where(worker.Nir(nir.String())).Only(policy.SystemContext(ctx))
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find worker: %w", err)
	}
	if !Matches(w, c) {
		return nil, nil
	}
	return w, nil
}

// Matches reports whether w is the person of claim c (names folded).
func Matches(w *ent.Worker, c Claim) bool {
	nameOK := dosimetry.SameName(w.LastName, c.LastName) ||
		(w.UsageName != "" && dosimetry.SameName(w.UsageName, c.LastName))
	if !nameOK || !dosimetry.SameName(w.FirstNames, c.FirstNames) && !firstNameOf(w.FirstNames, c.FirstNames) {
		return false
	}
	return c.BirthDate == nil || sameDay(w.BirthDate, *c.BirthDate)
}

// firstNameOf accepts the usual first name alone when several are registered.
func firstNameOf(registered, given string) bool {
	reg := dosimetry.FoldName(registered)
	g := dosimetry.FoldName(given)
	return g != "" && (reg == g || len(reg) > len(g) && reg[:len(g)+1] == g+" ")
}

func sameDay(a, b time.Time) bool {
	ay, am, ad := a.UTC().Date()
	by, bm, bd := b.UTC().Date()
	return ay == by && am == bm && ad == bd
}
