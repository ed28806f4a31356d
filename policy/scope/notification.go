package scope

import (
	"context"

	"entgo.io/ent"
	"entgo.io/ent/dialect/sql"

	"github.com/siseri/siseri/ent/privacy"
	"github.com/siseri/siseri/policy"
)

// NotificationSubscription is the policy of e-mail notification choices: each
// person reads and writes their own, under whichever role they act; nobody
// else's (an administrator neither: the choice is the person's).
func NotificationSubscription() ent.Policy {
	rows := ownAccountRows("account_id")
	rows[admin] = column("account_id", accountCol)
	return entityPolicy(rows, ownSubscriptionWrites())
}

// accountMutation is a mutation of a row that belongs to an account.
type accountMutation interface {
	AccountID() (int, bool)
	WhereP(...func(*sql.Selector))
}

// ownSubscriptionWrites lets a signed-in person (not an API key) create and
// change their own choices only.
func ownSubscriptionWrites() privacy.MutationRule {
	return privacy.MutationRuleFunc(func(ctx context.Context, m ent.Mutation) error {
		v := policy.FromContext(ctx)
		am, ok := m.(accountMutation)
		if v == nil || v.AccountID == 0 || v.APIKeyID != 0 || !ok {
			return privacy.Skip
		}
		if m.Op().Is(ent.OpCreate) {
			if id, set := am.AccountID(); set && id == v.AccountID {
				return privacy.Allow
			}
			return errOutOfScope
		}
		am.WhereP(func(s *sql.Selector) { s.Where(sql.EQ(s.C("account_id"), v.AccountID)) })
		return privacy.Allow
	})
}
