package oidc_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/backend/audit"
	"github.com/siseri/siseri/backend/oidc"
	"github.com/siseri/siseri/backend/oidc/oidctest"
	"github.com/siseri/siseri/backend/server"
	"github.com/siseri/siseri/backend/server/servertest"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/account"
	"github.com/siseri/siseri/ent/auditevent"
	"github.com/siseri/siseri/ent/externalidentity"
	"github.com/siseri/siseri/ent/grant"
	"github.com/siseri/siseri/policy"
)

// world is SISERI configured with three providers of one real OpenID
// provider on loopback.
type world struct {
	op  *oidctest.Provider
	srv *servertest.Server
	db  *ent.Client
	ctx context.Context
}

var users = []oidctest.User{
	{ID: "u-invited", Username: "invited", Password: "pw", GivenName: "Inès", FamilyName: "Invitée", Email: "ines@hopital.fr", EmailVerified: true, ACR: "eidas1"},
	{ID: "u-known", Username: "known", Password: "pw", GivenName: "Karim", FamilyName: "Connu", Email: "karim@hopital.fr", EmailVerified: true, ACR: "eidas1"},
	{ID: "u-unverified", Username: "unverified", Password: "pw", GivenName: "Ugo", FamilyName: "Nonvérifié", Email: "ugo@hopital.fr", EmailVerified: false, ACR: "eidas1"},
	{ID: "u-stranger", Username: "stranger", Password: "pw", GivenName: "Sam", FamilyName: "Inconnu", Email: "sam@ailleurs.fr", EmailVerified: true, ACR: "eidas1"},
	{ID: "w-marie", Username: "marie", Password: "pw", GivenName: "Marie Louise", FamilyName: "DUPONT", Email: "marie@exemple.fr", EmailVerified: true, ACR: "eidas2", Birthdate: "1980-05-12", Birthplace: "75056"},
	{ID: "w-paul", Username: "paul", Password: "pw", GivenName: "Paul", FamilyName: "Martin", Email: "paul@exemple.fr", EmailVerified: true, ACR: "eidas2", Birthdate: "1975-01-01"},
	{ID: "w-weak", Username: "weak", Password: "pw", GivenName: "Marie", FamilyName: "Dupont", Email: "weak@exemple.fr", EmailVerified: true, ACR: "eidas1", Birthdate: "1980-05-12"},
}

func newWorld(t *testing.T) *world {
	t.Helper()
	op := oidctest.Start(t, users...)
	db := storetest.MustOpen(t)
	providers := &oidc.FileConfig{Providers: []oidc.ProviderConfig{
		{Name: "proconnect", Label: "ProConnect", Audience: oidc.Professional, Issuer: op.Issuer, ClientID: "siseri-pc",
			ClientSecret: "secret-pc", Scopes: []string{"email", "profile"}, ACRValues: []string{"eidas1"}, LinkByEmail: true},
		{Name: "strict", Label: "Annuaire", Audience: oidc.Professional, Issuer: op.Issuer, ClientID: "siseri-strict",
			ClientSecret: "secret-strict", Scopes: []string{"email", "profile"}, ACRValues: []string{"eidas1"}},
		{Name: "fcplus", Label: "FranceConnect+", Audience: oidc.Worker, Issuer: op.Issuer, ClientID: "siseri-fc",
			ClientSecret: "secret-fc", Scopes: []string{"email", "profile"}, ACRValues: []string{"eidas2", "eidas3"}},
	}}
	if err := providers.Check(); err != nil {
		t.Fatal(err)
	}
	srv := servertest.MustStartWith(t, db, func(c *server.Config) { c.OIDC = providers })
	for _, p := range providers.Providers {
		op.RegisterClient(p.ClientID, p.ClientSecret, srv.URL+"/auth/oidc/"+p.Name+"/callback", srv.URL+oidc.SignInPath+"?deconnexion")
	}
	return &world{op: op, srv: srv, db: db.Client, ctx: policy.SystemContext(context.Background())}
}

// browser is a person's browser: a cookie jar shared by SISERI and the provider.
func (w *world) browser(t *testing.T) *servertest.Client {
	c := w.srv.NewClient(t)
	jar, _ := cookiejar.New(nil)
	c.HTTP.Jar = jar
	return c
}

// signIn starts a sign-in at SISERI through provider (query added to the
// login URL), signs in at the provider as username and follows the
// redirects back. It returns where the browser ended.
func (w *world) signIn(t *testing.T, b *servertest.Client, provider, query, username string) *url.URL {
	t.Helper()
	resp, err := b.HTTP.Get(w.srv.URL + "/auth/oidc/" + provider + "/login" + query)
	if err != nil {
		t.Fatal(err)
	}
	drain(resp)
	resp = w.op.SignIn(t, b.HTTP, resp, username, "pw")
	drain(resp)
	return resp.Request.URL
}

func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}

// wantError checks that the browser ended on the sign-in page with code.
func wantError(t *testing.T, at *url.URL, code apperr.Code) {
	t.Helper()
	if at.Path != oidc.SignInPath || at.Query().Get("erreur") != string(code) {
		t.Fatalf("ended at %s, want %s?erreur=%s", at, oidc.SignInPath, code)
	}
}

// me returns the signed-in e-mail and roles of b's session cookie, and the
// provider label of the session.
func me(t *testing.T, b *servertest.Client) (string, []string, *string) {
	t.Helper()
	var out struct {
		Me struct {
			Account      struct{ Email string }
			Roles        []string
			SignedInWith *string
		}
	}
	b.MustDo(`{ me { account { email } roles signedInWith } }`, nil, &out)
	return out.Me.Account.Email, out.Me.Roles, out.Me.SignedInWith
}

func wantSignedIn(t *testing.T, b *servertest.Client, at *url.URL, email string) {
	t.Helper()
	if at.Path != "/" {
		t.Fatalf("ended at %s, want the SPA's home", at)
	}
	if got, _, _ := me(t, b); got != email {
		t.Fatalf("signed in as %q, want %q", got, email)
	}
}

func TestInvitationLinksOnceThenTheLinkSignsIn(t *testing.T) {
	w := newWorld(t)
	acc := servertest.MustCreateAccount(t, w.db, "ines.pro@hopital.fr", policy.RolePhysician, func(g *ent.GrantCreate) {
		g.SetEstablishmentID(w.db.Establishment.Create().SetSiret("35600000000048").SetName("CHU").SaveX(w.ctx).ID)
	})
	token, _, err := w.srv.App.Auth().IssueActivation(w.ctx, acc.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The strict provider does not link by e-mail: the invitation does.
	b := w.browser(t)
	at := w.signIn(t, b, "strict", "?invitation="+url.QueryEscape(token), "invited")
	wantSignedIn(t, b, at, "ines.pro@hopital.fr")
	if _, _, with := me(t, b); with == nil || *with != "Annuaire" {
		t.Errorf("signedInWith = %v, want Annuaire", with)
	}
	// Next time, without invitation, the link signs in.
	b2 := w.browser(t)
	wantSignedIn(t, b2, w.signIn(t, b2, "strict", "", "invited"), "ines.pro@hopital.fr")
	// The invitation served once: another identity cannot use it.
	b3 := w.browser(t)
	wantError(t, w.signIn(t, b3, "strict", "?invitation="+url.QueryEscape(token), "stranger"), apperr.TokenInvalid)
	n := w.db.ExternalIdentity.Query().Where(externalidentity.AccountID(acc.ID)).CountX(w.ctx)
	if n != 1 {
		t.Errorf("%d identities linked to the account, want 1", n)
	}
}

func TestEmailLinkingOnlyWhereAllowedAndVerified(t *testing.T) {
	w := newWorld(t)
	for _, e := range []string{"karim@hopital.fr", "ugo@hopital.fr"} {
		servertest.MustCreateAccount(t, w.db, e, policy.RoleRPA, func(g *ent.GrantCreate) {
			g.SetEstablishmentID(w.db.Establishment.Create().SetSiret(siretFor(e)).SetName("E").SaveX(w.ctx).ID)
		})
	}
	cases := []struct {
		name, provider, user string
		want                 apperr.Code // "" signs in
	}{
		{"strict provider never links by e-mail", "strict", "known", apperr.OIDCNoAccount},
		{"unverified e-mail is not linked", "proconnect", "unverified", apperr.OIDCNoAccount},
		{"unknown person is refused", "proconnect", "stranger", apperr.OIDCNoAccount},
		{"verified e-mail on a provider that allows it", "proconnect", "known", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b := w.browser(t)
			at := w.signIn(t, b, c.provider, "", c.user)
			if c.want != "" {
				wantError(t, at, c.want)
				if r := b.Do(`{ me { account { email } } }`, nil); r.Code() != string(apperr.Unauthenticated) {
					t.Errorf("a refused sign-in left a session: %+v", r)
				}
				return
			}
			wantSignedIn(t, b, at, "karim@hopital.fr")
		})
	}
}

func siretFor(e string) string {
	if strings.HasPrefix(e, "karim") {
		return "35600000000048"
	}
	return "73282932000074"
}

func TestWrongACRIsRefused(t *testing.T) {
	w := newWorld(t)
	mustWorker(t, w, "NTT1", "Dupont", "Marie", "1980-05-12", "")
	b := w.browser(t)
	wantError(t, w.signIn(t, b, "fcplus", "", "weak"), apperr.OIDCACRInsufficient)
	if n := w.db.Account.Query().CountX(w.ctx); n != 0 {
		t.Errorf("%d accounts created by a refused sign-in", n)
	}
}

func mustWorker(t *testing.T, w *world, ntt, last, first, birth, place string) *ent.Worker {
	t.Helper()
	d, err := time.Parse(time.DateOnly, birth)
	if err != nil {
		t.Fatal(err)
	}
	return w.db.Worker.Create().SetIdentifierKind("NTT").SetTemporaryID(ntt).SetLastName(last).SetFirstNames(first).
		SetBirthDate(d).SetBirthPlace(place).SetSex("F").SaveX(w.ctx)
}

func TestWorkerMatchedByIdentityGetsAWorkerAccount(t *testing.T) {
	w := newWorld(t)
	// Same names, another birth date; same birth date, another name: neither matches.
	mustWorker(t, w, "NTT0", "Dupont", "Marie", "1981-05-12", "")
	mustWorker(t, w, "NTT9", "Durand", "Marie", "1980-05-12", "")
	marie := mustWorker(t, w, "NTT1", "Dupont", "Marie", "1980-05-12", "75056")
	b := w.browser(t)
	at := w.signIn(t, b, "fcplus", "", "marie")
	wantSignedIn(t, b, at, "marie@exemple.fr")
	_, roles, with := me(t, b)
	if len(roles) != 1 || roles[0] != "WORKER" || with == nil || *with != "FranceConnect+" {
		t.Errorf("roles %v signed in with %v, want WORKER through FranceConnect+", roles, with)
	}
	g := w.db.Grant.Query().Where(grant.HasAccountWith(account.Email("marie@exemple.fr"))).OnlyX(w.ctx)
	if g.WorkerID == nil || *g.WorkerID != marie.ID {
		t.Errorf("grant of worker %v, want %d", g.WorkerID, marie.ID)
	}
}

func TestAmbiguousWorkerClaimsWithThePhysiciansCode(t *testing.T) {
	w := newWorld(t)
	est := w.db.Establishment.Create().SetSiret("35600000000048").SetName("CHU").SaveX(w.ctx)
	var paul *ent.Worker
	for _, id := range []string{"NTTA", "NTTB"} { // two records the identity matches
		p := mustWorker(t, w, id, "Martin", "Paul", "1975-01-01", "")
		w.db.Employment.Create().SetWorkerID(p.ID).SetEstablishmentID(est.ID).SetStartDate(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)).
			SetContractType("CDI").SetNomenclatureVersion("V").SetClassification("A").
			SetMonitoringKinds([]string{"PASSIVE_WHOLE_BODY"}).ExecX(w.ctx)
		paul = p
	}
	b := w.browser(t)
	at := w.signIn(t, b, "fcplus", "", "paul")
	if at.Path != oidc.ClaimPath {
		t.Fatalf("ended at %s, want the claim page", at)
	}
	if r := b.Do(`{ me { account { email } } }`, nil); r.Code() != string(apperr.Unauthenticated) {
		t.Fatalf("an ambiguous worker got a session before the code: %+v", r)
	}
	// A wrong code is refused.
	if at := claim(t, w, b, "AAAA-BBBB-CCCC"); at.Query().Get("erreur") != string(apperr.ClaimCodeInvalid) {
		t.Fatalf("wrong code ended at %s", at)
	}
	// The physician who follows the worker issues the code; an adviser may not.
	servertest.MustCreateAccount(t, w.db, "pcr@test.fr", policy.RoleRPA, func(g *ent.GrantCreate) { g.SetEstablishmentID(est.ID) })
	pcr := w.srv.NewClient(t)
	pcr.MustLogin("pcr@test.fr", servertest.Password)
	const issue = `mutation($id: ID!) { issueWorkerClaimCode(workerID: $id) { code expiresAt } }`
	if r := pcr.Do(issue, map[string]any{"id": paul.ID}); len(r.Errors) == 0 {
		t.Fatalf("an adviser issued a claim code")
	}
	servertest.MustCreateAccount(t, w.db, "medecin@test.fr", policy.RolePhysician, func(g *ent.GrantCreate) { g.SetEstablishmentID(est.ID) })
	doc := w.srv.NewClient(t)
	doc.MustLogin("medecin@test.fr", servertest.Password)
	var out struct {
		IssueWorkerClaimCode struct {
			Code      string
			ExpiresAt time.Time
		}
	}
	doc.MustDo(issue, map[string]any{"id": paul.ID}, &out)
	if d := time.Until(out.IssueWorkerClaimCode.ExpiresAt); d < 6*24*time.Hour || d > 7*24*time.Hour {
		t.Errorf("code valid %s, want 7 days", d)
	}
	if n := w.db.WorkerClaimCode.Query().CountX(w.ctx); n != 1 {
		t.Fatalf("%d codes stored", n)
	}
	// The issue is in the worker's access trail.
	ev := w.db.AuditEvent.Query().Where(auditevent.OperationContains("issueWorkerClaimCode"), auditevent.ActionEQ(audit.ActionWrite)).OnlyX(w.ctx)
	if !slices.Contains(ev.WorkerIds, paul.ID) {
		t.Errorf("audit event %+v does not name worker %d", ev, paul.ID)
	}
	stored := w.db.WorkerClaimCode.Query().OnlyX(w.ctx)
	if strings.Contains(string(stored.CodeHash), out.IssueWorkerClaimCode.Code) {
		t.Fatal("the code is stored in clear")
	}
	at = claim(t, w, b, strings.ToLower(out.IssueWorkerClaimCode.Code))
	wantSignedIn(t, b, at, "paul@exemple.fr")
	if _, roles, _ := me(t, b); len(roles) != 1 || roles[0] != "WORKER" {
		t.Errorf("roles %v, want WORKER", roles)
	}
	// Linked now: the next sign-in needs no code; the code served once.
	b2 := w.browser(t)
	wantSignedIn(t, b2, w.signIn(t, b2, "fcplus", "", "paul"), "paul@exemple.fr")
	if stored := w.db.WorkerClaimCode.Query().OnlyX(w.ctx); stored.UsedAt == nil {
		t.Error("the code is not marked used")
	}
}

// claim posts a claim code from b's browser and returns where it ended.
func claim(t *testing.T, w *world, b *servertest.Client, code string) *url.URL {
	t.Helper()
	resp, err := b.HTTP.PostForm(w.srv.URL+"/auth/oidc/claim", url.Values{"code": {code}})
	if err != nil {
		t.Fatal(err)
	}
	drain(resp)
	return resp.Request.URL
}

func TestCallbackWithoutItsBrowserStateIsRefused(t *testing.T) {
	w := newWorld(t)
	b := w.browser(t)
	resp, err := b.HTTP.Get(w.srv.URL + "/auth/oidc/proconnect/login")
	if err != nil {
		t.Fatal(err)
	}
	drain(resp)
	// Another browser (no flow cookie) finishes the sign-in: refused.
	other := w.browser(t)
	resp = w.op.SignIn(t, other.HTTP, resp, "known", "pw")
	drain(resp)
	wantError(t, resp.Request.URL, apperr.OIDCStateInvalid)
	if got := w.db.Session.Query().CountX(w.ctx); got != 0 {
		t.Errorf("%d sessions opened", got)
	}
}

func TestIDTokenChecks(t *testing.T) {
	w := newWorld(t)
	svc := w.srv.App.OIDC()
	now := time.Now()
	base := func() map[string]any {
		return map[string]any{"iss": w.op.Issuer, "sub": "u-known", "aud": "siseri-pc", "exp": now.Add(5 * time.Minute).Unix(),
			"iat": now.Unix(), "nonce": "the-nonce", "acr": "eidas1"}
	}
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		change func(map[string]any)
		raw    string
		want   apperr.Code
	}{
		{"valid", func(map[string]any) {}, "", ""},
		{"wrong nonce", func(c map[string]any) { c["nonce"] = "another" }, "", apperr.OIDCNonceMismatch},
		{"expired", func(c map[string]any) { c["exp"] = now.Add(-time.Minute).Unix() }, "", apperr.OIDCTokenInvalid},
		{"wrong audience", func(c map[string]any) { c["aud"] = "someone-else" }, "", apperr.OIDCTokenInvalid},
		{"wrong issuer", func(c map[string]any) { c["iss"] = "http://127.0.0.1:1" }, "", apperr.OIDCTokenInvalid},
		{"wrong acr", func(c map[string]any) { c["acr"] = "eidas0" }, "", apperr.OIDCACRInsufficient},
		{"no acr", func(c map[string]any) { delete(c, "acr") }, "", apperr.OIDCACRInsufficient},
		{"signed by another key", nil, oidctest.Sign(t, other, "unknown", base()), apperr.OIDCTokenInvalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			raw := c.raw
			if raw == "" {
				claims := base()
				c.change(claims)
				raw = w.op.SignIDToken(t, claims)
			}
			id, err := svc.VerifyIDToken(context.Background(), "proconnect", raw, "the-nonce")
			if c.want == "" {
				if err != nil || id.Subject != "u-known" || id.ACR != "eidas1" {
					t.Fatalf("valid token: %+v, %v", id, err)
				}
				return
			}
			if apperr.CodeOf(err) != c.want {
				t.Fatalf("got %v, want %s", err, c.want)
			}
		})
	}
}

func TestLogoutSignsOutAtTheProvider(t *testing.T) {
	w := newWorld(t)
	servertest.MustCreateAccount(t, w.db, "karim@hopital.fr", policy.RoleAnalyst, nil)
	b := w.browser(t)
	wantSignedIn(t, b, w.signIn(t, b, "proconnect", "", "known"), "karim@hopital.fr")
	noFollow := &http.Client{Jar: b.HTTP.Jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(w.srv.URL + "/auth/logout")
	if err != nil {
		t.Fatal(err)
	}
	drain(resp)
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || resp.StatusCode != http.StatusFound {
		t.Fatalf("logout answered %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if !strings.HasPrefix(loc.String(), w.op.Issuer+"/") || loc.Query().Get("id_token_hint") == "" ||
		loc.Query().Get("post_logout_redirect_uri") != w.srv.URL+oidc.SignInPath+"?deconnexion" {
		t.Errorf("logout redirects to %s, want the provider's end_session_endpoint", loc)
	}
	if r := b.Do(`{ me { account { email } } }`, nil); r.Code() != string(apperr.Unauthenticated) {
		t.Errorf("the session survived logout: %+v", r)
	}
	// The provider accepts the hint and sends the browser back to the sign-in page.
	resp, err = b.HTTP.Get(loc.String())
	if err != nil {
		t.Fatal(err)
	}
	drain(resp)
	if at := resp.Request.URL; at.Path != oidc.SignInPath || !at.Query().Has("deconnexion") || !strings.HasPrefix(at.String(), w.srv.URL) {
		t.Errorf("after the provider's logout the browser is at %s, want the sign-in page", at)
	}
}

func TestProvidersArePublicAndAloneSo(t *testing.T) {
	w := newWorld(t)
	anon := w.srv.NewClient(t)
	var out struct {
		SignInProviders []struct{ Name, Label, Audience, LoginPath string }
	}
	anon.MustDo(`{ signInProviders { name label audience loginPath } }`, nil, &out)
	if len(out.SignInProviders) != 3 || out.SignInProviders[0].Label != "ProConnect" ||
		out.SignInProviders[2].Audience != "WORKER" || out.SignInProviders[2].LoginPath != "/auth/oidc/fcplus/login" {
		t.Errorf("providers = %+v", out.SignInProviders)
	}
	for _, q := range []string{`{ __typename }`, `{ signInProviders { name } me { roles } }`, `{ me { roles } }`} {
		if r := anon.Do(q, nil); r.Code() != string(apperr.Unauthenticated) {
			t.Errorf("anonymous %s: %+v, want UNAUTHENTICATED", q, r)
		}
	}
}

func TestOnlyTheFollowingPhysicianIssuesClaimCodes(t *testing.T) {
	w := newWorld(t)
	here := w.db.Establishment.Create().SetSiret("35600000000048").SetName("CHU").SaveX(w.ctx)
	elsewhere := w.db.Establishment.Create().SetSiret("73282932000074").SetName("Autre").SaveX(w.ctx)
	paul := mustWorker(t, w, "NTTA", "Martin", "Paul", "1975-01-01", "")
	w.db.Employment.Create().SetWorkerID(paul.ID).SetEstablishmentID(here.ID).SetStartDate(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)).
		SetContractType("CDI").SetNomenclatureVersion("V").SetClassification("A").
		SetMonitoringKinds([]string{"PASSIVE_WHOLE_BODY"}).ExecX(w.ctx)
	servertest.MustCreateAccount(t, w.db, "autre-medecin@test.fr", policy.RolePhysician, func(g *ent.GrantCreate) { g.SetEstablishmentID(elsewhere.ID) })
	doc := w.srv.NewClient(t)
	doc.MustLogin("autre-medecin@test.fr", servertest.Password)
	r := doc.Do(`mutation($id: ID!) { issueWorkerClaimCode(workerID: $id) { code } }`, map[string]any{"id": paul.ID})
	if r.Code() != string(apperr.NotFound) {
		t.Errorf("a physician who does not follow the worker: %+v, want NOT_FOUND", r)
	}
	if n := w.db.WorkerClaimCode.Query().CountX(w.ctx); n != 0 {
		t.Errorf("%d codes stored", n)
	}
}
