package graph_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/siseri/siseri/backend/server/servertest"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent/grant"
	"github.com/siseri/siseri/ent/session"
	"github.com/siseri/siseri/policy"
)

func TestAuthentication(t *testing.T) {
	db := storetest.MustOpen(t)
	srv := servertest.MustStart(t, db)
	servertest.MustCreateAccount(t, db.Client, "admin@test.fr", policy.RoleAdmin, nil)

	t.Run("ErrAnonymousQuery", func(t *testing.T) {
		// Ensure an anonymous caller can run nothing, not even introspection.
		c := srv.NewClient(t)
		for _, q := range []string{`{ workers(first: 1) { totalCount } }`, `{ __schema { types { name } } }`, `{ me { roles } }`} {
			res := c.Do(q, nil)
			if res.Code() != "UNAUTHENTICATED" || res.Data != nil && string(res.Data) != "null" {
				t.Errorf("%s: code %q data %s, want UNAUTHENTICATED and no data", q, res.Code(), res.Data)
			}
		}
	})

	t.Run("ErrBadPassword", func(t *testing.T) {
		// Ensure a wrong password and an unknown account get the same French answer.
		c := srv.NewClient(t)
		q := `mutation($e: String!) { login(input: {email: $e, password: "faux"}) { token } }`
		a := c.Do(q, map[string]any{"e": "admin@test.fr"})
		b := c.Do(q, map[string]any{"e": "inconnu@test.fr"})
		if a.Code() != "UNAUTHENTICATED" || b.Code() != "UNAUTHENTICATED" || a.Errors[0].Message != b.Errors[0].Message {
			t.Fatalf("login errors = %+v / %+v", a.Errors, b.Errors)
		}
		if !strings.Contains(a.Errors[0].Message, "mot de passe incorrect") {
			t.Errorf("message %q is not the French sentence", a.Errors[0].Message)
		}
	})

	t.Run("OK", func(t *testing.T) {
		// Ensure login sets a hardened cookie, the token works as bearer and as
		// cookie, and logout revokes the session. (An analyst: privileged
		// roles give a second factor first, see secondfactor_test.go.)
		servertest.MustCreateAccount(t, db.Client, "analyste@test.fr", policy.RoleAnalyst, nil)
		c := srv.NewClient(t)
		res := c.Do(`mutation { login(input: {email: "ANALYSTE@test.fr ", password: "`+servertest.Password+`"}) { token expiresAt account { email } } }`, nil)
		if len(res.Errors) > 0 {
			t.Fatalf("login: %+v", res.Errors)
		}
		cookie := res.Header.Get("Set-Cookie")
		for _, want := range []string{"siseri_session=ses_", "HttpOnly", "SameSite=Strict", "Path=/"} {
			if !strings.Contains(cookie, want) {
				t.Errorf("Set-Cookie %q lacks %q", cookie, want)
			}
		}
		var me struct {
			Me struct {
				Roles []string
			}
		}
		c.MustDo(`{ me { roles account { email } } }`, nil, &me) // by cookie
		if len(me.Me.Roles) != 1 || me.Me.Roles[0] != "ANALYST" {
			t.Errorf("me.roles = %v, want [ANALYST]", me.Me.Roles)
		}
		token := strings.TrimPrefix(strings.Split(cookie, ";")[0], "siseri_session=")
		bearer := srv.NewClient(t)
		bearer.Token = token
		bearer.MustDo(`{ me { roles } }`, nil, nil)

		var out struct{ Logout bool }
		c.MustDo(`mutation { logout }`, nil, &out)
		if !out.Logout {
			t.Fatal("logout = false")
		}
		if res := bearer.Do(`{ me { roles } }`, nil); res.Code() != "UNAUTHENTICATED" {
			t.Errorf("after logout, bearer code = %q, want UNAUTHENTICATED", res.Code())
		}
		if res := c.Do(`{ me { roles } }`, nil); res.Code() != "UNAUTHENTICATED" {
			t.Errorf("after logout, cookie code = %q, want UNAUTHENTICATED", res.Code())
		}
	})

	t.Run("ErrRateLimited", func(t *testing.T) {
		// Ensure repeated attempts on one account are refused, even with the right password.
		servertest.MustCreateAccount(t, db.Client, "cible@test.fr", policy.RoleAdmin, nil)
		c := srv.NewClient(t)
		var last *servertest.Response
		for i := 0; i < 6; i++ {
			last = c.Do(`mutation { login(input: {email: "cible@test.fr", password: "essai"}) { token } }`, nil)
		}
		if last.Code() != "TOO_MANY_REQUESTS" {
			t.Fatalf("6th attempt code = %q, want TOO_MANY_REQUESTS", last.Code())
		}
		res := c.Do(`mutation { login(input: {email: "cible@test.fr", password: "`+servertest.Password+`"}) { token } }`, nil)
		if res.Code() != "TOO_MANY_REQUESTS" {
			t.Errorf("right password while limited: code = %q, want TOO_MANY_REQUESTS", res.Code())
		}
	})

	t.Run("ErrForgedToken", func(t *testing.T) {
		// Ensure made-up tokens and API keys authenticate nobody.
		for _, tok := range []string{"ses_AAAA", "sk_abc_def", "nimportequoi"} {
			c := srv.NewClient(t)
			c.Token = tok
			if res := c.Do(`{ me { roles } }`, nil); res.Code() != "UNAUTHENTICATED" {
				t.Errorf("token %q: code = %q, want UNAUTHENTICATED", tok, res.Code())
			}
		}
	})

	t.Run("OKAPIKey", func(t *testing.T) {
		// Ensure an API key authenticates as its account, and stops once revoked.
		acc := servertest.MustCreateAccount(t, db.Client, "partenaire@test.fr", policy.RoleAdmin, nil)
		ctx := policy.SystemContext(t.Context())
		g := db.Client.Grant.Query().Where(grant.AccountID(acc.ID)).OnlyX(ctx)
		token, key, err := srv.App.Auth().NewAPIKey(ctx, acc.ID, g.ID, "Logiciel SST", "OCCUPATIONAL_HEALTH_SOFTWARE", nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		c := srv.NewClient(t)
		c.Token = token
		c.MustDo(`{ me { account { email } } }`, nil, nil)
		if err := db.Client.ApiKey.UpdateOne(key).SetRevokedAt(key.CreatedAt).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		if res := c.Do(`{ me { roles } }`, nil); res.Code() != "UNAUTHENTICATED" {
			t.Errorf("revoked key: code = %q, want UNAUTHENTICATED", res.Code())
		}
	})
}

func TestProbes(t *testing.T) {
	db := storetest.MustOpen(t)
	srv := servertest.MustStart(t, db)
	for _, tc := range [][2]string{
		{"/healthz", `"ok"`}, {"/readyz", `"postgres"`}, {"/", "registre national"}, {"/travailleurs/42", "registre national"},
		{"/metrics", `siseri_http_requests_total{code="200",method="GET",route="healthz"} 1`},
	} {
		path, want := tc[0], tc[1]
		res, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body := readAll(t, res)
		if res.StatusCode != 200 || !strings.Contains(body, want) {
			t.Errorf("GET %s = %d %q…, want 200 containing %q", path, res.StatusCode, truncate(body, 80), want)
		}
	}
}

func TestGET(t *testing.T) {
	db := storetest.MustOpen(t)
	srv := servertest.MustStart(t, db)
	servertest.MustCreateAccount(t, db.Client, "admin@test.fr", policy.RoleAdmin, nil)
	c := srv.NewClient(t)
	c.MustLogin("admin@test.fr", servertest.Password)
	get := func(q string) string {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/graphql?query="+url.QueryEscape(q), nil)
		req.Header.Set("Authorization", "Bearer "+c.Token)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return readAll(t, res)
	}
	t.Run("OK", func(t *testing.T) {
		// Ensure queries work over GET.
		if body := get(`{ me { roles } }`); !strings.Contains(body, `"ADMIN"`) {
			t.Errorf("GET query = %s", body)
		}
	})
	t.Run("ErrMutation", func(t *testing.T) {
		// Ensure mutations are refused over GET (no state change from a link).
		body := get(`mutation { logout }`)
		if strings.Contains(body, `"logout":true`) {
			t.Fatalf("GET mutation ran: %s", body)
		}
		c.MustDo(`{ me { roles } }`, nil, nil) // the session is still open
	})
}

// TestSessionLookup proves that a signed-in request resolves its viewer in one
// SQL statement (session, account and grants joined), and that a revoked
// grant, a role switch, a deactivated account or a logout takes effect at the
// very next request.
func TestSessionLookup(t *testing.T) {
	var counter *store.CountingDriver
	db := storetest.MustOpen(t, store.WithDriverWrapper(func(d dialect.Driver) dialect.Driver {
		counter = store.NewCountingDriver(d)
		return counter
	}))
	srv := servertest.MustStart(t, db)
	ctx := policy.SystemContext(t.Context())
	acc := servertest.MustCreateAccount(t, db.Client, "double@test.fr", policy.RoleAdmin, nil)
	analyst := db.Client.Grant.Create().SetAccountID(acc.ID).SetRole(policy.RoleAnalyst).
		SetValidFrom(time.Now().Add(-time.Hour)).SaveX(ctx)
	c := srv.NewClient(t)
	c.MustLogin("double@test.fr", servertest.Password)
	roles := func() []string {
		var me struct{ Me struct{ Roles []string } }
		c.MustDo(`{ me { roles } }`, nil, &me)
		return me.Me.Roles
	}

	t.Run("OKOneStatement", func(t *testing.T) {
		// Ensure `{ __typename }` costs one statement once the session is fresh.
		c.MustDo(`{ __typename }`, nil, nil)
		counter.Reset()
		c.MustDo(`{ __typename }`, nil, nil)
		if n := counter.Count(); n != 1 {
			t.Errorf("statements for { __typename } = %d, want 1 (the session lookup)", n)
		}
	})

	t.Run("OKAPIKeyOneStatement", func(t *testing.T) {
		// Ensure an API key resolves its viewer in one statement, and that a
		// revoked grant or a deactivated account stops it at the next request.
		partner := servertest.MustCreateAccount(t, db.Client, "sst@test.fr", policy.RoleAdmin, nil)
		g := db.Client.Grant.Create().SetAccountID(partner.ID).SetRole(policy.RoleAnalyst).
			SetValidFrom(time.Now().Add(-time.Hour)).SaveX(ctx)
		token, _, err := srv.App.Auth().NewAPIKey(ctx, partner.ID, g.ID, "Statistiques", "STATISTICS_CONSUMER", nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		k := srv.NewClient(t)
		k.Token = token
		var me struct{ Me struct{ Roles []string } }
		k.MustDo(`{ me { roles } }`, nil, &me) // first use: stamps last_used_at
		if len(me.Me.Roles) != 1 || me.Me.Roles[0] != "ANALYST" {
			t.Fatalf("key roles = %v, want [ANALYST] (the key's grant only)", me.Me.Roles)
		}
		counter.Reset()
		k.MustDo(`{ __typename }`, nil, nil)
		if n := counter.Count(); n != 1 {
			t.Errorf("statements for { __typename } with an API key = %d, want 1 (the key lookup)", n)
		}
		db.Client.Account.UpdateOne(partner).SetActive(false).ExecX(ctx)
		if res := k.Do(`{ __typename }`, nil); res.Code() != "UNAUTHENTICATED" {
			t.Errorf("key of a deactivated account: code = %q, want UNAUTHENTICATED", res.Code())
		}
		db.Client.Account.UpdateOne(partner).SetActive(true).ExecX(ctx)
		k.MustDo(`{ __typename }`, nil, nil)
		db.Client.Grant.UpdateOne(g).SetRevokedAt(time.Now()).ExecX(ctx)
		if res := k.Do(`{ __typename }`, nil); res.Code() != "UNAUTHENTICATED" {
			t.Errorf("key of a revoked grant: code = %q, want UNAUTHENTICATED", res.Code())
		}
	})

	t.Run("OKRevokedGrant", func(t *testing.T) {
		// Ensure a grant revoked in the database is gone at the next request.
		if got := roles(); len(got) != 2 {
			t.Fatalf("roles = %v, want ADMIN and ANALYST", got)
		}
		db.Client.Grant.UpdateOne(analyst).SetRevokedAt(time.Now()).ExecX(ctx)
		if got := roles(); len(got) != 1 || got[0] != "ADMIN" {
			t.Errorf("after revocation roles = %v, want [ADMIN]", got)
		}
	})

	t.Run("OKExpiredGrant", func(t *testing.T) {
		// Ensure a grant whose validity ends is gone at the next request.
		g := db.Client.Grant.Create().SetAccountID(acc.ID).SetRole(policy.RoleAnalyst).
			SetValidFrom(time.Now().Add(-time.Hour)).SaveX(ctx)
		if got := roles(); len(got) != 2 {
			t.Fatalf("roles = %v, want ADMIN and ANALYST", got)
		}
		db.Client.Grant.UpdateOne(g).SetValidTo(time.Now().Add(-time.Second)).ExecX(ctx)
		if got := roles(); len(got) != 1 {
			t.Errorf("after the grant's end roles = %v, want [ADMIN]", got)
		}
	})

	t.Run("OKSwitchRole", func(t *testing.T) {
		// Ensure a role switch applies to the next request.
		db.Client.Grant.Create().SetAccountID(acc.ID).SetRole(policy.RoleAnalyst).
			SetValidFrom(time.Now().Add(-time.Hour)).ExecX(ctx)
		c.MustDo(`mutation { switchRole(role: ANALYST) { activeRole } }`, nil, nil)
		var me struct{ Me struct{ ActiveRole string } }
		c.MustDo(`{ me { activeRole } }`, nil, &me)
		if me.Me.ActiveRole != "ANALYST" {
			t.Errorf("activeRole = %q, want ANALYST", me.Me.ActiveRole)
		}
	})

	t.Run("ErrDeactivated", func(t *testing.T) {
		// Ensure a deactivated account's open session stops at the next request.
		other := servertest.MustCreateAccount(t, db.Client, "parti@test.fr", policy.RoleAdmin, nil)
		o := srv.NewClient(t)
		o.MustLogin("parti@test.fr", servertest.Password)
		o.MustDo(`{ __typename }`, nil, nil)
		db.Client.Account.UpdateOne(other).SetActive(false).ExecX(ctx)
		if res := o.Do(`{ __typename }`, nil); res.Code() != "UNAUTHENTICATED" {
			t.Errorf("deactivated account: code = %q, want UNAUTHENTICATED", res.Code())
		}
	})

	t.Run("ErrLoggedOut", func(t *testing.T) {
		// Ensure a session ended in the database stops at the next request.
		db.Client.Session.Update().Where(session.AccountID(acc.ID)).SetRevokedAt(time.Now()).ExecX(ctx)
		if res := c.Do(`{ __typename }`, nil); res.Code() != "UNAUTHENTICATED" {
			t.Errorf("revoked session: code = %q, want UNAUTHENTICATED", res.Code())
		}
	})
}
