package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/auth"
	"github.com/siseri/siseri/backend/server"
	"github.com/siseri/siseri/backend/server/servertest"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/graph"
	"github.com/siseri/siseri/policy"
)

// The regression tests of the hostile requests an outside prober sent (issue
// 12): each drives the real HTTP handler. backend/hostile replays them all
// against the siseri binary while watching its memory.

// rawAnswer is an HTTP answer with its GraphQL body decoded loosely: Data is
// nil when the body had no data entry.
type rawAnswer struct {
	Status  int
	Header  http.Header
	Body    string
	Data    json.RawMessage
	Errors  []servertest.Error
	HasData bool
}

func (a rawAnswer) code() string {
	if len(a.Errors) == 0 {
		return ""
	}
	c, _ := a.Errors[0].Extensions["code"].(string)
	return c
}

// send posts body to /graphql with headers (and the jar of c when c is not
// nil) and decodes the answer.
func send(t *testing.T, srv *servertest.Server, c *servertest.Client, body []byte, headers map[string]string) rawAnswer {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	hc := http.DefaultClient
	if c != nil {
		hc = c.HTTP
	}
	res, err := hc.Do(req)
	if err != nil {
		t.Fatalf("POST /graphql: %v", err)
	}
	out := rawAnswer{Status: res.StatusCode, Header: res.Header, Body: readAll(t, res)}
	var decoded map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out.Body), &decoded); err != nil {
		t.Fatalf("answer is not a JSON object (status %d): %v\n%s", res.StatusCode, err, truncate(out.Body, 300))
	}
	out.Data, out.HasData = decoded["data"]
	if e, ok := decoded["errors"]; ok {
		if err := json.Unmarshal(e, &out.Errors); err != nil {
			t.Fatalf("decode errors: %v\n%s", err, e)
		}
	}
	return out
}

func operation(query string, vars map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	return b
}

func bearer(c *servertest.Client) map[string]string {
	return map[string]string{"Authorization": "Bearer " + c.Token}
}

// TestHostileCost ensures every operation is priced before it runs: aliases
// of an unpaginated list, nodes with many ids, too many fields or logins are
// refused with BAD_USER_INPUT and a French message, and the web
// application's kind of query still passes.
func TestHostileCost(t *testing.T) {
	db := storetest.MustOpen(t)
	srv := servertest.MustStart(t, db)
	servertest.MustCreateAccount(t, db.Client, "analyste@test.fr", policy.RoleAnalyst, nil)
	servertest.MustCreateAccount(t, db.Client, "admin@test.fr", policy.RoleAdmin, nil)
	analyst := srv.NewClient(t)
	analyst.MustLogin("analyste@test.fr", servertest.Password)
	admin := srv.NewClient(t)
	admin.MustLogin("admin@test.fr", servertest.Password)
	budget := graph.DefaultLimits.MaxComplexity

	aliases := func(n int) string {
		var q strings.Builder
		q.WriteString("{")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&q, " s%d: contextStatistics { doses }", i)
		}
		q.WriteString(" }")
		return q.String()
	}
	t.Run("ErrAliasesOfUnpaginatedList", func(t *testing.T) {
		// 100 aliases: few fields, but each is a national aggregate.
		start := time.Now()
		a := send(t, srv, nil, operation(aliases(100), nil), bearer(analyst))
		if a.code() != "BAD_USER_INPUT" || a.HasData {
			t.Fatalf("100 aliases: status %d code %q data %v, want BAD_USER_INPUT before execution", a.Status, a.code(), a.HasData)
		}
		msg := a.Errors[0].Message
		if !strings.Contains(msg, "coûte") || !strings.Contains(msg, fmt.Sprint(budget)) {
			t.Errorf("message %q should give the cost and the budget %d", msg, budget)
		}
		if cost, _ := a.Errors[0].Extensions["cost"].(float64); int(cost) <= budget {
			t.Errorf("extensions.cost = %v, want over %d", a.Errors[0].Extensions["cost"], budget)
		}
		// 1,000 aliases: refused before validation on the number of fields.
		a = send(t, srv, nil, operation(aliases(1000), nil), bearer(analyst))
		if a.code() != "BAD_USER_INPUT" || a.HasData || !strings.Contains(a.Errors[0].Message, "champs") {
			t.Fatalf("1,000 aliases: status %d code %q errors %+v", a.Status, a.code(), a.Errors)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("refusals took %v: the operations must be refused before they run", d)
		}
		// A few are fine.
		ok := send(t, srv, nil, operation(aliases(3), nil), bearer(analyst))
		if len(ok.Errors) > 0 {
			t.Errorf("3 contextStatistics: %+v", ok.Errors)
		}
	})

	t.Run("ErrNodesWithTooManyIDs", func(t *testing.T) {
		ids := make([]string, 50_000)
		for i := range ids {
			ids[i] = fmt.Sprint(i + 1)
		}
		a := send(t, srv, nil, operation(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": ids}), bearer(admin))
		if a.code() != "BAD_USER_INPUT" || a.HasData || !strings.Contains(a.Errors[0].Message, "50000") ||
			!strings.Contains(a.Errors[0].Message, "100") {
			t.Fatalf("nodes(50,000 ids): code %q data %v errors %+v, want BAD_USER_INPUT naming 50000 and 100", a.code(), a.HasData, a.Errors)
		}
		a = send(t, srv, nil, operation(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, map[string]any{"ids": ids[:100]}), bearer(admin))
		if len(a.Errors) > 0 {
			t.Errorf("nodes(100 ids): %+v", a.Errors)
		}
	})

	t.Run("ErrTooManyFields", func(t *testing.T) {
		q := "{ " + strings.Repeat("me { activeRole } ", 600) + "}"
		start := time.Now()
		a := send(t, srv, nil, operation(q, nil), bearer(admin))
		if a.code() != "BAD_USER_INPUT" || !strings.Contains(a.Errors[0].Message, "champs") {
			t.Fatalf("600 fields: code %q errors %+v", a.code(), a.Errors)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("refusal took %v", d)
		}
	})

	t.Run("ErrTwoLogins", func(t *testing.T) {
		q := fmt.Sprintf(`mutation { a: login(input: {email: "admin@test.fr", password: %q}) { token } b: login(input: {email: "admin@test.fr", password: %q}) { token } }`,
			servertest.Password, servertest.Password)
		a := send(t, srv, nil, operation(q, nil), nil)
		if a.code() != "BAD_USER_INPUT" || a.HasData {
			t.Fatalf("two logins: code %q data %v", a.code(), a.HasData)
		}
	})

	t.Run("OKLargePage", func(t *testing.T) {
		a := send(t, srv, nil, operation(`{ workers(first: 1000) { totalCount edges { node { id lastName firstNames } } pageInfo { hasNextPage endCursor } } }`, nil), bearer(admin))
		if len(a.Errors) > 0 {
			t.Errorf("a page of 1,000 workers: %+v", a.Errors)
		}
	})
}

// TestHostileCSRF ensures a request signed in by the session cookie is
// refused (403 CSRF_REFUSED) when it comes from a foreign origin, and a form
// upload without the GraphQL-Preflight header too, while the application's
// own requests, allowed origins and bearer clients go through.
func TestHostileCSRF(t *testing.T) {
	db := storetest.MustOpen(t)
	srv := servertest.MustStartWith(t, db, func(c *server.Config) {
		c.AllowedOrigins = []string{"http://localhost:5173"}
	})
	servertest.MustCreateAccount(t, db.Client, "admin@test.fr", policy.RoleAdmin, nil)
	browser := srv.NewClient(t)
	browser.MustLogin("admin@test.fr", servertest.Password)
	token := browser.Token
	browser.Token = "" // from now on, the cookie only

	// multipart posts mutation { logout } as a form upload with the cookie.
	multipartLogout := func(headers map[string]string) (int, string) {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		_ = mw.WriteField("operations", `{"query":"mutation { logout }","variables":{}}`)
		_ = mw.WriteField("map", `{}`)
		_ = mw.Close()
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		res, err := browser.HTTP.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return res.StatusCode, readAll(t, res)
	}
	stillSignedIn := func(t *testing.T) {
		t.Helper()
		a := send(t, srv, browser, operation(`{ me { roles } }`, nil), nil)
		if len(a.Errors) > 0 {
			t.Fatalf("the session no longer works: %+v", a.Errors)
		}
	}

	t.Run("ErrMultipartFromForeignOrigin", func(t *testing.T) {
		status, body := multipartLogout(map[string]string{"Origin": "https://evil.example", server.PreflightHeader: "1"})
		if status != http.StatusForbidden || !strings.Contains(body, `"CSRF_REFUSED"`) {
			t.Fatalf("foreign multipart: %d %s, want 403 CSRF_REFUSED", status, body)
		}
		stillSignedIn(t)
	})
	t.Run("ErrMultipartWithoutPreflight", func(t *testing.T) {
		status, body := multipartLogout(nil)
		if status != http.StatusForbidden || !strings.Contains(body, `"CSRF_REFUSED"`) || !strings.Contains(body, server.PreflightHeader) {
			t.Fatalf("multipart without %s: %d %s, want 403 CSRF_REFUSED", server.PreflightHeader, status, body)
		}
		stillSignedIn(t)
	})
	t.Run("ErrJSONFromForeignOrigin", func(t *testing.T) {
		for _, h := range []map[string]string{
			{"Origin": "https://evil.example"},
			{"Origin": "null"},
			{"Referer": "https://evil.example/page"},
		} {
			a := send(t, srv, browser, operation(`mutation { logout }`, nil), h)
			if a.Status != http.StatusForbidden || a.code() != "CSRF_REFUSED" || !strings.Contains(a.Errors[0].Message, "autre site") {
				t.Errorf("%v: status %d code %q, want 403 CSRF_REFUSED", h, a.Status, a.code())
			}
		}
		stillSignedIn(t)
	})
	t.Run("OKOwnAndAllowedOrigins", func(t *testing.T) {
		for _, h := range []map[string]string{
			{"Origin": srv.URL},
			{"Origin": "http://localhost:5173"},
			{"Referer": srv.URL + "/travailleurs"},
			{}, // not a browser: no Origin nor Referer
		} {
			if a := send(t, srv, browser, operation(`{ me { roles } }`, nil), h); a.Status != http.StatusOK || len(a.Errors) > 0 {
				t.Errorf("%v: status %d errors %+v", h, a.Status, a.Errors)
			}
		}
	})
	t.Run("OKBearerFromAnyOrigin", func(t *testing.T) {
		a := send(t, srv, nil, operation(`{ me { roles } }`, nil), map[string]string{"Authorization": "Bearer " + token, "Origin": "https://partner.example"})
		if a.Status != http.StatusOK || len(a.Errors) > 0 {
			t.Errorf("bearer from a partner origin: status %d errors %+v", a.Status, a.Errors)
		}
	})
	t.Run("OKMultipartWithPreflight", func(t *testing.T) {
		// The application's upload: same origin, preflight header. It runs
		// (here: signs out, so it goes last).
		status, body := multipartLogout(map[string]string{"Origin": srv.URL, server.PreflightHeader: "1"})
		if status != http.StatusOK || !strings.Contains(body, `"logout":true`) {
			t.Fatalf("the application's multipart: %d %s", status, body)
		}
	})
}

// TestHostileSuggestions ensures validation messages suggest nothing (« Did
// you mean … » is computed from the whole schema) and that an anonymous
// caller learns nothing of the schema at all.
func TestHostileSuggestions(t *testing.T) {
	db := storetest.MustOpen(t)
	srv := servertest.MustStart(t, db)
	servertest.MustCreateAccount(t, db.Client, "analyste@test.fr", policy.RoleAnalyst, nil)
	analyst := srv.NewClient(t)
	analyst.MustLogin("analyste@test.fr", servertest.Password)

	for _, tc := range []struct {
		name, query string
		signedIn    bool
		wantCode    string
		hidden      []string
	}{
		{"AnonymousField", `{ doseRecord }`, false, "UNAUTHENTICATED", []string{"doseRecords", "Did you mean"}},
		{"AnonymousInLogin", `mutation { login(input: {email: "a@b.fr", password: "x"}) { acount { id } } }`, false, "BAD_USER_INPUT", []string{"account", "Did you mean"}},
		{"AnalystField", `{ workers(first: 1) { edges { node { ni } } } }`, true, "BAD_USER_INPUT", []string{"nir", "Did you mean"}},
		{"AnalystArgument", `{ workers(frist: 1) { totalCount } }`, true, "BAD_USER_INPUT", []string{"Did you mean"}},
		{"AnalystEnum", `{ workers(first: 1, orderBy: {field: LAST_NAM, direction: ASC}) { totalCount } }`, true, "BAD_USER_INPUT", []string{"LAST_NAME", "Did you mean"}},
		{"AnalystInputField", `{ workers(first: 1, where: {nirr: "1"}) { totalCount } }`, true, "BAD_USER_INPUT", []string{"nir\"", "Did you mean"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := map[string]string{}
			if tc.signedIn {
				h = bearer(analyst)
			}
			a := send(t, srv, nil, operation(tc.query, nil), h)
			if a.code() != tc.wantCode {
				t.Fatalf("code %q, want %s: %+v", a.code(), tc.wantCode, a.Errors)
			}
			for _, word := range tc.hidden {
				if strings.Contains(a.Body, word) {
					t.Errorf("answer reveals %q: %s", word, a.Body)
				}
			}
		})
	}
}

// TestHostileLogin ensures a known and an unknown address are refused the
// same way at the same cost (one password hash each; the time itself is
// measured on the real binary in backend/hostile), and that the
// per-address limiter counts failures only.
func TestHostileLogin(t *testing.T) {
	db := storetest.MustOpen(t)
	srv := servertest.MustStart(t, db)
	const known = 7
	for i := 0; i < known; i++ {
		servertest.MustCreateAccount(t, db.Client, fmt.Sprintf("agent%d@test.fr", i), policy.RoleAdmin, nil)
	}
	inactive := servertest.MustCreateAccount(t, db.Client, "parti@test.fr", policy.RoleAdmin, nil)
	ctx := policy.SystemContext(context.Background())
	if err := db.Client.Account.UpdateOne(inactive).SetActive(false).Exec(ctx); err != nil {
		t.Fatal(err)
	}
	c := srv.NewClient(t)
	attempt := func(email, password string) *servertest.Response {
		return c.Do(`mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { token } }`,
			map[string]any{"e": email, "p": password})
	}

	t.Run("OKOneHashWhateverTheAccount", func(t *testing.T) {
		for _, email := range []string{"agent0@test.fr", "inconnu@test.fr", "parti@test.fr"} {
			before := srv.App.Auth().PasswordChecks()
			res := attempt(email, "mauvais")
			if res.Code() != "UNAUTHENTICATED" {
				t.Errorf("%s: code %q", email, res.Code())
			}
			if n := srv.App.Auth().PasswordChecks() - before; n != 1 {
				t.Errorf("%s: %d password hashes computed, want exactly 1", email, n)
			}
		}
		// The right password of an inactive account is refused as well.
		if res := attempt("parti@test.fr", servertest.Password); res.Code() != "UNAUTHENTICATED" {
			t.Errorf("inactive account with its password: code %q", res.Code())
		}
	})

	// The time of a refusal (same for a known and an unknown address) is
	// measured against the real binary: backend/hostile, Enumeration.
}

// TestHostileSharedAddress ensures that people signing in from one address
// (a hospital's NAT) do not lock it, while failures from it do.
func TestHostileSharedAddress(t *testing.T) {
	db := storetest.MustOpen(t)
	srv := servertest.MustStart(t, db)
	const people = 40 // more than the 30 attempts the address may fail
	hash := mustHash(t)
	ctx := policy.SystemContext(context.Background())
	for i := 0; i < people; i++ {
		acc := db.Client.Account.Create().SetEmail(fmt.Sprintf("soignant%d@test.fr", i)).SetDisplayName("Soignant").
			SetPasswordHash(hash).SaveX(ctx)
		db.Client.Grant.Create().SetAccountID(acc.ID).SetRole(policy.RoleAdmin).SetValidFrom(time.Now().Add(-time.Hour)).SaveX(ctx)
	}
	c := srv.NewClient(t)
	login := func(email, password string) string {
		return c.Do(`mutation($e: String!, $p: String!) { login(input: {email: $e, password: $p}) { token } }`,
			map[string]any{"e": email, "p": password}).Code()
	}
	for i := 0; i < people; i++ {
		if code := login(fmt.Sprintf("soignant%d@test.fr", i), servertest.Password); code != "" {
			t.Fatalf("sign-in %d of %d from one address: code %q, want success", i+1, people, code)
		}
	}
	failures := 0
	for ; failures < 100; failures++ {
		if code := login(fmt.Sprintf("inconnu%d@test.fr", failures), "mauvais"); code == "TOO_MANY_REQUESTS" {
			break
		} else if code != "UNAUTHENTICATED" {
			t.Fatalf("failure %d: code %q", failures+1, code)
		}
	}
	if failures != 30 {
		t.Errorf("the address was limited after %d failures, want 30", failures)
	}
	if code := login("soignant0@test.fr", servertest.Password); code != "TOO_MANY_REQUESTS" {
		t.Errorf("after 30 failures, a right password from the address: code %q, want TOO_MANY_REQUESTS", code)
	}
}

func mustHash(t *testing.T) string {
	t.Helper()
	h, err := auth.HashPassword(servertest.Password)
	if err != nil {
		t.Fatal(err)
	}
	return h
}
