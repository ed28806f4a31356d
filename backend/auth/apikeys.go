package auth

import (
	"context"
	"fmt"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/siseri/siseri/ent/account"
	"github.com/siseri/siseri/ent/apikey"
	"github.com/siseri/siseri/ent/grant"
)

// apiKeyRow is the lookup of an API key: the key, its account and the key's
// grant when it is valid now (the grant columns are null otherwise).
type apiKeyRow struct {
	KeyID         int        `sql:"key_id"`
	SecretHash    []byte     `sql:"secret_hash"`
	ExpiresAt     *time.Time `sql:"expires_at"`
	LastUsedAt    *time.Time `sql:"last_used_at"`
	RatePerMinute int        `sql:"rate_limit_per_minute"`
	Profile       string     `sql:"profile"`
	AccountID     int        `sql:"account_id"`
	GrantColumns
}

// lookupAPIKey reads the unrevoked key of prefix with its account and its
// grant valid at now in one statement, like lookupSession: a revoked key or
// grant, or a deactivated account, takes effect at the next request.
func (s *Service) lookupAPIKey(ctx context.Context, prefix string, now time.Time) (*apiKeyRow, error) {
	var rows []apiKeyRow
	err := s.db(ctx).ApiKey.Query().
		Where(apikey.Prefix(prefix), apikey.RevokedAtIsNil()).
		Modify(func(sel *entsql.Selector) {
			a := entsql.Table(account.Table).As("a")
			g := entsql.Table(grant.Table).As("g")
			sel.Join(a).On(sel.C(apikey.FieldAccountID), a.C(account.FieldID)).
				LeftJoin(g).OnP(entsql.And(
				entsql.ColumnsEQ(g.C(grant.FieldID), sel.C(apikey.FieldGrantID)),
				validGrant(g, a, now),
			))
			sel.Select()
			sel.AppendSelectAs(sel.C(apikey.FieldID), "key_id")
			for _, c := range []string{apikey.FieldSecretHash, apikey.FieldExpiresAt, apikey.FieldLastUsedAt,
				apikey.FieldRateLimitPerMinute, apikey.FieldProfile, apikey.FieldAccountID} {
				sel.AppendSelectAs(sel.C(c), c)
			}
			selectAccountAndGrant(sel, a, g)
		}).
		Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("find api key: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	return &rows[0], nil
}
