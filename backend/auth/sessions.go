package auth

import (
	"github.com/siseri/siseri/ent/predicate"
	"github.com/siseri/siseri/ent/session"
)

// sessionOf selects the open sessions of an account.
func sessionOf(accountID int) []predicate.Session {
	return []predicate.Session{session.AccountID(accountID), session.RevokedAtIsNil()}
}
