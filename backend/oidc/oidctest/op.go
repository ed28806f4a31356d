// Package oidctest runs a real OpenID provider on loopback for tests: the
// example OP of github.com/zitadel/oidc/v3 (its op package, login form and
// in-memory storage) with its own keys, extended with the claims
// FranceConnect+ and ProConnect assert (acr, birth date and place).
package oidctest

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	zoidc "github.com/zitadel/oidc/v3/pkg/oidc"
	"github.com/zitadel/oidc/v3/pkg/op"
	"golang.org/x/text/language"
)

// User is a person the provider knows.
type User struct {
	ID, Username, Password string
	GivenName, FamilyName  string
	Email                  string
	EmailVerified          bool
	// ACR is the authentication level the provider asserts for this user.
	ACR string
	// Birthdate (YYYY-MM-DD) and Birthplace (INSEE code) are asserted by the
	// userinfo endpoint, as FranceConnect+ does.
	Birthdate, Birthplace string
}

// Provider is a running OpenID provider.
type Provider struct {
	Issuer  string
	Storage *storage.Storage
	server  *httptest.Server
	clients map[string]*storage.Client

	mu         sync.Mutex
	users      map[string]*User
	postLogout map[string][]string
}

// Start runs a provider on a loopback port until the test ends.
func Start(tb testing.TB, users ...User) *Provider {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	p := Serve(ln, users...)
	tb.Cleanup(p.Close)
	return p
}

// Serve runs a provider on ln (its issuer is http://<ln's address>) until Close.
func Serve(ln net.Listener, users ...User) *Provider {
	p := &Provider{Issuer: "http://" + ln.Addr().String(), clients: map[string]*storage.Client{}, users: map[string]*User{},
		postLogout: map[string][]string{}}
	for _, u := range users {
		p.AddUser(u)
	}
	p.Storage = storage.NewStorageWithClients(userStore{p}, p.clients)
	router := exampleop.SetupServer(p.Issuer, &store{Storage: p.Storage, p: p}, nil, false)
	p.server = httptest.NewUnstartedServer(router)
	p.server.Listener.Close()
	p.server.Listener = ln
	p.server.Start()
	return p
}

// Close stops the provider.
func (p *Provider) Close() { p.server.Close() }

// AddUser adds or replaces a user.
func (p *Provider) AddUser(u User) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.users[u.ID] = &u
}

// RegisterClient registers a confidential web client (client_secret_basic,
// code flow, PKCE allowed) redirecting to redirectURI after sign-in and to
// postLogoutURIs after signing out. Call it before the first sign-in.
func (p *Provider) RegisterClient(id, secret, redirectURI string, postLogoutURIs ...string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clients[id] = storage.WebClient(id, secret, redirectURI)
	p.postLogout[id] = postLogoutURIs
}

func (p *Provider) user(id string) *User {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.users[id]
}

// SignIn drives the provider's login form in the browser of client: from the
// provider's login page the sign-in started on (resp is the response that
// landed there), it posts the username and password and follows the
// redirects back to the relying party. It returns the final response.
func (p *Provider) SignIn(tb testing.TB, client *http.Client, landed *http.Response, username, password string) *http.Response {
	tb.Helper()
	id := landed.Request.URL.Query().Get("authRequestID")
	if id == "" || !strings.HasPrefix(landed.Request.URL.String(), p.Issuer+"/login/username") {
		tb.Fatalf("not on the provider's login page: %s (HTTP %d)", landed.Request.URL, landed.StatusCode)
	}
	resp, err := client.PostForm(p.Issuer+"/login/username", url.Values{"id": {id}, "username": {username}, "password": {password}})
	if err != nil {
		tb.Fatal(err)
	}
	return resp
}

// SignIDToken signs claims with the provider's own signing key, as the
// provider would: tests craft ID tokens the provider would not issue
// (wrong nonce, audience, expired).
func (p *Provider) SignIDToken(tb testing.TB, claims map[string]any) string {
	tb.Helper()
	key, err := p.Storage.SigningKey(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	priv, ok := key.Key().(*rsa.PrivateKey)
	if !ok {
		tb.Fatalf("signing key is %T", key.Key())
	}
	return Sign(tb, priv, key.ID(), claims)
}

// Sign signs claims as a JWT with key (RS256) under the key id kid.
func Sign(tb testing.TB, key *rsa.PrivateKey, kid string, claims map[string]any) string {
	tb.Helper()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: kid}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		tb.Fatal(err)
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		tb.Fatal(err)
	}
	sig, err := signer.Sign(payload)
	if err != nil {
		tb.Fatal(err)
	}
	raw, err := sig.CompactSerialize()
	if err != nil {
		tb.Fatal(err)
	}
	return raw
}

// userStore serves the provider's users to the example storage.
type userStore struct{ p *Provider }

func (s userStore) GetUserByID(id string) *storage.User { return s.p.exampleUser(s.p.user(id)) }

func (s userStore) GetUserByUsername(name string) *storage.User {
	s.p.mu.Lock()
	var found *User
	for _, u := range s.p.users {
		if u.Username == name {
			found = u
		}
	}
	s.p.mu.Unlock()
	return s.p.exampleUser(found)
}

func (userStore) ExampleClientID() string { return storage.ServiceUserID }

func (p *Provider) exampleUser(u *User) *storage.User {
	if u == nil {
		return nil
	}
	return &storage.User{ID: u.ID, Username: u.Username, Password: u.Password, FirstName: u.GivenName,
		LastName: u.FamilyName, Email: u.Email, EmailVerified: u.EmailVerified, PreferredLanguage: language.French}
}

// store is the example storage with the user's acr on its auth requests and
// the birth claims on its userinfo.
type store struct {
	*storage.Storage
	p *Provider
}

// acrRequest is an auth request that asserts the user's acr.
type acrRequest struct {
	*storage.AuthRequest
	acr string
}

func (r acrRequest) GetACR() string { return r.acr }

func (s *store) withACR(r op.AuthRequest, err error) (op.AuthRequest, error) {
	if err != nil {
		return nil, err
	}
	ar := r.(*storage.AuthRequest)
	if u := s.p.user(ar.GetSubject()); u != nil {
		return acrRequest{AuthRequest: ar, acr: u.ACR}, nil
	}
	return ar, nil
}

func (s *store) AuthRequestByID(ctx context.Context, id string) (op.AuthRequest, error) {
	return s.withACR(s.Storage.AuthRequestByID(ctx, id))
}

func (s *store) AuthRequestByCode(ctx context.Context, code string) (op.AuthRequest, error) {
	return s.withACR(s.Storage.AuthRequestByCode(ctx, code))
}

// GetClientByClientID adds the client's post-logout redirect URIs (the
// example client has none).
func (s *store) GetClientByClientID(ctx context.Context, id string) (op.Client, error) {
	c, err := s.Storage.GetClientByClientID(ctx, id)
	if err != nil {
		return nil, err
	}
	s.p.mu.Lock()
	uris := s.p.postLogout[id]
	s.p.mu.Unlock()
	return logoutClient{Client: c, uris: uris}, nil
}

type logoutClient struct {
	op.Client
	uris []string
}

func (c logoutClient) PostLogoutRedirectURIs() []string { return c.uris }

func (s *store) SetUserinfoFromToken(ctx context.Context, ui *zoidc.UserInfo, tokenID, subject, origin string) error {
	if err := s.Storage.SetUserinfoFromToken(ctx, ui, tokenID, subject, origin); err != nil {
		return err
	}
	if u := s.p.user(ui.Subject); u != nil {
		if u.Birthdate != "" {
			ui.AppendClaims("birthdate", u.Birthdate)
		}
		if u.Birthplace != "" {
			ui.AppendClaims("birthplace", u.Birthplace)
		}
	}
	return nil
}
