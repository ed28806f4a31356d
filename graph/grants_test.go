package graph_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/server/servertest"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/grant"
	"github.com/siseri/siseri/policy"
)

func TestGrants(t *testing.T) {
	db := storetest.MustOpen(t)
	srv := servertest.MustStart(t, db)
	ctx := policy.SystemContext(context.Background())
	est := mustPopulate(t, db.Client, 4)
	mdtAcc := servertest.MustCreateAccount(t, db.Client, "mdt@test.fr", policy.RolePhysician, func(g *ent.GrantCreate) { g.SetEstablishmentID(est.ID) })
	nurse := servertest.MustCreateAccount(t, db.Client, "ide@test.fr", policy.RoleAnalyst, nil)
	servertest.MustCreateAccount(t, db.Client, "admin@test.fr", policy.RoleAdmin, nil)
	mdt := srv.NewClient(t)
	mdt.MustLogin("mdt@test.fr", servertest.Password)
	admin := srv.NewClient(t)
	admin.MustLogin("admin@test.fr", servertest.Password)
	mdtGrant := db.Client.Grant.Query().Where(grant.AccountID(mdtAcc.ID)).OnlyX(ctx)

	const names = `{ workers(first: 10) { totalCount edges { node { lastName } } } }`
	var delegation struct{ CreateDelegation struct{ ID, Role string } }

	t.Run("OKDelegation", func(t *testing.T) {
		// Ensure a physician's delegate sees the same workers, under the delegate role.
		mdt.MustDo(`mutation($g: ID!, $a: ID!, $to: Time!) { createDelegation(input: {grantID: $g, accountID: $a, validTo: $to}) { id role } }`,
			map[string]any{"g": mdtGrant.ID, "a": nurse.ID, "to": time.Now().Add(24 * time.Hour).Format(time.RFC3339)}, &delegation)
		if delegation.CreateDelegation.Role != "PHYSICIAN_DELEGATE" {
			t.Fatalf("delegation = %+v", delegation)
		}
		c := srv.NewClient(t)
		c.MustLogin("ide@test.fr", servertest.Password)
		// The nurse also holds ANALYST, first in the order of roles: switch.
		var sw struct{ SwitchRole struct{ ActiveRole string } }
		c.MustDo(`mutation { switchRole(role: PHYSICIAN_DELEGATE) { activeRole } }`, nil, &sw)
		if sw.SwitchRole.ActiveRole != "PHYSICIAN_DELEGATE" {
			t.Fatalf("activeRole = %q", sw.SwitchRole.ActiveRole)
		}
		var out struct{ Workers struct{ TotalCount int } }
		c.MustDo(names, nil, &out)
		if out.Workers.TotalCount != 4 {
			t.Errorf("delegate sees %d workers, want 4", out.Workers.TotalCount)
		}
		if res := c.Do(`mutation { switchRole(role: ADMIN) { activeRole } }`, nil); res.Code() != "BAD_USER_INPUT" {
			t.Errorf("switch to a role not held: %q", res.Code())
		}
	})

	t.Run("ErrDelegateOthersGrant", func(t *testing.T) {
		// Ensure a physician cannot delegate a grant that is not theirs.
		other := servertest.MustCreateAccount(t, db.Client, "mdt2@test.fr", policy.RolePhysician, func(g *ent.GrantCreate) { g.SetEstablishmentID(est.ID) })
		og := db.Client.Grant.Query().Where(grant.AccountID(other.ID)).OnlyX(ctx)
		res := mdt.Do(`mutation($g: ID!, $a: ID!, $to: Time!) { createDelegation(input: {grantID: $g, accountID: $a, validTo: $to}) { id } }`,
			map[string]any{"g": og.ID, "a": nurse.ID, "to": time.Now().Add(time.Hour).Format(time.RFC3339)})
		if res.Code() != "FORBIDDEN" {
			t.Errorf("code = %q, want FORBIDDEN", res.Code())
		}
	})

	t.Run("OKRevoke", func(t *testing.T) {
		// Ensure a revoked delegation stops access at the next request.
		mdt.MustDo(`mutation($id: ID!) { revokeGrant(id: $id) { revokedAt } }`, map[string]any{"id": delegation.CreateDelegation.ID}, nil)
		c := srv.NewClient(t)
		c.MustLogin("ide@test.fr", servertest.Password)
		if res := c.Do(`mutation { switchRole(role: PHYSICIAN_DELEGATE) { activeRole } }`, nil); res.Code() != "BAD_USER_INPUT" {
			t.Errorf("switch to a revoked delegation: %q", res.Code())
		}
	})

	t.Run("OKApiKeyRateLimit", func(t *testing.T) {
		// Ensure an admin creates a partner key shown once, which is rate-limited per key.
		var out struct {
			CreateApiKey struct {
				Key    string
				ApiKey struct{ Prefix string }
			}
		}
		admin.MustDo(`mutation($g: ID!) { createApiKey(input: {name: "Logiciel SST", profile: OCCUPATIONAL_HEALTH_SOFTWARE, grantID: $g, rateLimitPerMinute: 3}) { key apiKey { prefix } } }`,
			map[string]any{"g": mdtGrant.ID}, &out)
		key := srv.NewClient(t)
		key.Token = out.CreateApiKey.Key
		for i := 0; i < 3; i++ {
			key.MustDo(`{ workers(first: 1) { totalCount } }`, nil, nil)
		}
		res := key.Do(`{ workers(first: 1) { totalCount } }`, nil)
		if res.Status != http.StatusTooManyRequests || res.Code() != "TOO_MANY_REQUESTS" {
			t.Errorf("4th request: status %d code %q, want 429 TOO_MANY_REQUESTS", res.Status, res.Code())
		}
		var keys struct {
			ApiKeys struct {
				Edges []struct{ Node map[string]any }
			}
		}
		admin.MustDo(`{ apiKeys(first: 10) { edges { node { prefix lastUsedAt } } } }`, nil, &keys)
		if len(keys.ApiKeys.Edges) != 1 || keys.ApiKeys.Edges[0].Node["lastUsedAt"] == nil {
			t.Errorf("keys = %+v, want one with its last use", keys)
		}
	})
}
