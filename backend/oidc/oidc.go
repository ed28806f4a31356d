// Package oidc signs people in through OpenID Connect providers (ProConnect
// for professionals, FranceConnect+ for workers): authorization code flow
// with PKCE (S256), state and nonce, the ID token verified (signature,
// issuer, audience, expiry, nonce) and its authentication level (acr)
// checked; the identity is then linked to a SISERI account and a session is
// opened through the same path as a password sign-in (auth.OpenSession).
package oidc

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/backend/audit"
	"github.com/siseri/siseri/backend/auth"
	"github.com/siseri/siseri/backend/store"
)

// SignInPath is the SPA's sign-in page, where errors are sent back
// (?erreur=CODE).
const SignInPath = "/connexion"

// ClaimPath is the SPA page where a worker enters their claim code.
const ClaimPath = "/connexion/code-travailleur"

// flowCookie carries one sign-in attempt between the login redirect and the
// callback; pendingCookie a worker's sign-in awaiting their claim code.
const (
	flowCookie    = "siseri_oidc"
	pendingCookie = "siseri_oidc_pending"
	flowTTL       = 10 * time.Minute
	pendingTTL    = 30 * time.Minute
)

// Options are the Service's dependencies.
type Options struct {
	Auth  *auth.Service
	DB    *store.DB
	Audit *audit.Log
	// PublicURL is the server's public base URL (callbacks are derived from it).
	PublicURL     string
	SecureCookies bool
	Log           *slog.Logger
	// HTTPClient talks to the providers; http.DefaultClient when nil.
	HTTPClient *http.Client
}

// Service signs people in through the configured providers. A nil Service
// has no provider.
type Service struct {
	Options
	providers []*provider
	now       func() time.Time
}

type provider struct {
	ProviderConfig
	redirectURL string

	mu         sync.Mutex
	op         *gooidc.Provider
	endSession string
}

// New returns the service of the providers of fc (nil: none).
func New(fc *FileConfig, o Options) *Service {
	if o.HTTPClient == nil {
		o.HTTPClient = http.DefaultClient
	}
	if o.Log == nil {
		o.Log = slog.Default()
	}
	o.PublicURL = strings.TrimRight(o.PublicURL, "/")
	s := &Service{Options: o, now: time.Now}
	if fc != nil {
		for _, pc := range fc.Providers {
			s.providers = append(s.providers, &provider{ProviderConfig: pc,
				redirectURL: o.PublicURL + "/auth/oidc/" + pc.Name + "/callback"})
		}
	}
	return s
}

// ProviderInfo is what the sign-in page shows of a provider.
type ProviderInfo struct {
	Name, Label string
	Audience    Audience
	LoginPath   string
}

// Providers lists the configured providers in the configuration's order.
func (s *Service) Providers() []ProviderInfo {
	if s == nil {
		return nil
	}
	out := make([]ProviderInfo, 0, len(s.providers))
	for _, p := range s.providers {
		out = append(out, ProviderInfo{Name: p.Name, Label: p.Label, Audience: p.Audience,
			LoginPath: "/auth/oidc/" + p.Name + "/login"})
	}
	return out
}

func (s *Service) provider(name string) *provider {
	if s == nil {
		return nil
	}
	for _, p := range s.providers {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// clientContext makes go-oidc and oauth2 use the service's HTTP client.
func (s *Service) clientContext(ctx context.Context) context.Context {
	ctx = gooidc.ClientContext(ctx, s.HTTPClient)
	return context.WithValue(ctx, oauth2.HTTPClient, s.HTTPClient)
}

// discover reads the provider's discovery document once; a failure is
// retried at the next sign-in.
func (s *Service) discover(ctx context.Context, p *provider) (*gooidc.Provider, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.op != nil {
		return p.op, nil
	}
	// The provider keeps the HTTP client of this context for its keys and
	// userinfo; the request's cancellation must not outlive the request.
	dctx, cancel := context.WithTimeout(s.clientContext(context.WithoutCancel(ctx)), 10*time.Second)
	defer cancel()
	op, err := gooidc.NewProvider(dctx, p.Issuer)
	if err != nil {
		return nil, fmt.Errorf("discover %s: %w", p.Issuer, err)
	}
	var meta struct {
		EndSession string `json:"end_session_endpoint"`
	}
	if err := op.Claims(&meta); err != nil {
		return nil, fmt.Errorf("discover %s: %w", p.Issuer, err)
	}
	p.op, p.endSession = op, meta.EndSession
	return op, nil
}

func (p *provider) oauth2Config(op *gooidc.Provider) *oauth2.Config {
	return &oauth2.Config{ClientID: p.ClientID, ClientSecret: p.ClientSecret, Endpoint: op.Endpoint(),
		RedirectURL: p.redirectURL, Scopes: p.scopes()}
}

// Routes registers the sign-in routes on mux.
func (s *Service) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /auth/oidc/{provider}/login", s.handleLogin)
	mux.HandleFunc("GET /auth/oidc/{provider}/callback", s.handleCallback)
	mux.HandleFunc("POST /auth/oidc/claim", s.handleClaim)
	mux.HandleFunc("GET /auth/logout", s.handleLogout)
}

// flow is what the browser keeps of one sign-in attempt (flowCookie).
type flow struct {
	Provider   string    `json:"p"`
	State      string    `json:"s"`
	Nonce      string    `json:"n"`
	Verifier   string    `json:"v"`
	Invitation string    `json:"i,omitempty"`
	Expires    time.Time `json:"e"`
}

func randomString() string {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func (s *Service) handleLogin(w http.ResponseWriter, r *http.Request) {
	p := s.provider(r.PathValue("provider"))
	if p == nil {
		s.fail(w, r, apperr.New(apperr.OIDCProviderUnknown, "Ce fournisseur d'identité n'est pas configuré."))
		return
	}
	op, err := s.discover(r.Context(), p)
	if err != nil {
		s.fail(w, r, &apperr.Error{Code: apperr.OIDCProviderUnavailable, Message: "Le fournisseur d'identité est injoignable.", Err: err})
		return
	}
	f := flow{Provider: p.Name, State: randomString(), Nonce: randomString(), Verifier: oauth2.GenerateVerifier(),
		Invitation: r.URL.Query().Get("invitation"), Expires: s.now().Add(flowTTL)}
	raw, _ := json.Marshal(f)
	http.SetCookie(w, &http.Cookie{Name: flowCookie, Value: base64.RawURLEncoding.EncodeToString(raw),
		Path: "/auth/oidc/", MaxAge: int(flowTTL / time.Second), HttpOnly: true, Secure: s.SecureCookies,
		SameSite: http.SameSiteLaxMode})
	target := p.oauth2Config(op).AuthCodeURL(f.State, gooidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier),
		oauth2.SetAuthURLParam("acr_values", strings.Join(p.ACRValues, " ")))
	http.Redirect(w, r, target, http.StatusFound)
}

// takeFlow reads and clears the flow cookie: a callback is answered once.
func (s *Service) takeFlow(w http.ResponseWriter, r *http.Request) (*flow, bool) {
	c, err := r.Cookie(flowCookie)
	http.SetCookie(w, &http.Cookie{Name: flowCookie, Value: "", Path: "/auth/oidc/", MaxAge: -1,
		HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
	if err != nil {
		return nil, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil {
		return nil, false
	}
	var f flow
	if json.Unmarshal(raw, &f) != nil || !s.now().Before(f.Expires) {
		return nil, false
	}
	return &f, true
}

var errStateInvalid = apperr.New(apperr.OIDCStateInvalid,
	"La connexion n'a pas pu être vérifiée (elle a expiré ou a été ouverte dans un autre navigateur). Recommencez.")

func (s *Service) handleCallback(w http.ResponseWriter, r *http.Request) {
	if err := s.callback(w, r); err != nil {
		s.fail(w, r, err)
	}
}

func (s *Service) callback(w http.ResponseWriter, r *http.Request) error {
	p := s.provider(r.PathValue("provider"))
	if p == nil {
		return apperr.New(apperr.OIDCProviderUnknown, "Ce fournisseur d'identité n'est pas configuré.")
	}
	f, ok := s.takeFlow(w, r)
	q := r.URL.Query()
	if !ok || f.Provider != p.Name || subtle.ConstantTimeCompare([]byte(f.State), []byte(q.Get("state"))) != 1 {
		return errStateInvalid
	}
	if e := q.Get("error"); e != "" {
		return &apperr.Error{Code: apperr.OIDCProviderDenied, Message: "Le fournisseur d'identité n'a pas confirmé votre identité.",
			Err: fmt.Errorf("provider error %q: %s", e, q.Get("error_description"))}
	}
	op, err := s.discover(r.Context(), p)
	if err != nil {
		return &apperr.Error{Code: apperr.OIDCProviderUnavailable, Message: "Le fournisseur d'identité est injoignable.", Err: err}
	}
	ctx := s.clientContext(r.Context())
	tok, err := p.oauth2Config(op).Exchange(ctx, q.Get("code"), oauth2.VerifierOption(f.Verifier))
	if err != nil {
		return &apperr.Error{Code: apperr.OIDCProviderUnavailable, Message: "Le fournisseur d'identité a refusé l'échange du code de connexion.", Err: err}
	}
	raw, _ := tok.Extra("id_token").(string)
	id, err := s.verify(ctx, p, op, raw, f.Nonce)
	if err != nil {
		return err
	}
	if err := s.readUserInfo(ctx, op, tok, id); err != nil {
		return err
	}
	return s.signIn(w, r, p, id, raw, f.Invitation)
}

// Identity is what a verified ID token (and the provider's userinfo) says of
// the person.
type Identity struct {
	Issuer        string     `json:"-"`
	Subject       string     `json:"-"`
	ACR           string     `json:"acr"`
	Email         string     `json:"email"`
	EmailVerified stringBool `json:"email_verified"`
	GivenName     string     `json:"given_name"`
	FamilyName    string     `json:"family_name"`
	Birthdate     string     `json:"birthdate"`
	Birthplace    string     `json:"birthplace"`
}

// stringBool reads a boolean claim some providers send as a string.
type stringBool bool

func (b *stringBool) UnmarshalJSON(data []byte) error {
	switch strings.Trim(string(data), `"`) {
	case "true":
		*b = true
	default:
		*b = false
	}
	return nil
}

// verify is the check every callback runs on the ID token: signature (the
// provider's published keys), issuer, audience (the client id) and expiry by
// go-oidc, then the nonce of this sign-in and an accepted acr.
func (s *Service) verify(ctx context.Context, p *provider, op *gooidc.Provider, raw, nonce string) (*Identity, error) {
	if raw == "" {
		return nil, apperr.New(apperr.OIDCTokenInvalid, "Le fournisseur d'identité n'a pas transmis de jeton d'identité.")
	}
	tok, err := op.VerifierContext(ctx, &gooidc.Config{ClientID: p.ClientID, Now: s.now}).Verify(ctx, raw)
	if err != nil {
		return nil, &apperr.Error{Code: apperr.OIDCTokenInvalid,
			Message: "Le jeton d'identité transmis par le fournisseur n'est pas valide (signature, émetteur, destinataire ou expiration).", Err: err}
	}
	if subtle.ConstantTimeCompare([]byte(tok.Nonce), []byte(nonce)) != 1 {
		return nil, apperr.New(apperr.OIDCNonceMismatch, "Le jeton d'identité ne correspond pas à cette connexion. Recommencez.")
	}
	id := &Identity{}
	if err := tok.Claims(id); err != nil {
		return nil, &apperr.Error{Code: apperr.OIDCTokenInvalid, Message: "Le jeton d'identité est illisible.", Err: err}
	}
	id.Issuer, id.Subject = tok.Issuer, tok.Subject
	if !slices.Contains(p.ACRValues, id.ACR) {
		return nil, apperr.New(apperr.OIDCACRInsufficient,
			"Le niveau d'authentification obtenu (%q) n'est pas suffisant pour SISERI.", id.ACR)
	}
	return id, nil
}

// readUserInfo completes id with the provider's userinfo (ProConnect and
// FranceConnect+ assert the person's attributes there), which must be about
// the same subject. The acr stays the ID token's.
func (s *Service) readUserInfo(ctx context.Context, op *gooidc.Provider, tok *oauth2.Token, id *Identity) error {
	if op.UserInfoEndpoint() == "" {
		return nil
	}
	ui, err := op.UserInfo(ctx, oauth2.StaticTokenSource(tok))
	if err != nil {
		return &apperr.Error{Code: apperr.OIDCProviderUnavailable, Message: "Le fournisseur d'identité n'a pas transmis votre identité.", Err: err}
	}
	if ui.Subject != id.Subject {
		return apperr.New(apperr.OIDCTokenInvalid, "Les informations d'identité transmises ne concernent pas la personne connectée.")
	}
	var more Identity
	if err := ui.Claims(&more); err != nil {
		return &apperr.Error{Code: apperr.OIDCTokenInvalid, Message: "Les informations d'identité sont illisibles.", Err: err}
	}
	for _, f := range []struct{ dst, src *string }{{&id.Email, &more.Email}, {&id.GivenName, &more.GivenName},
		{&id.FamilyName, &more.FamilyName}, {&id.Birthdate, &more.Birthdate},
		{&id.Birthplace, &more.Birthplace}} {
		if *f.src != "" {
			*f.dst = *f.src
		}
	}
	if more.Email != "" {
		id.EmailVerified = more.EmailVerified
	}
	return nil
}

// fail sends the browser back to the sign-in page with the error's code.
func (s *Service) fail(w http.ResponseWriter, r *http.Request, err error) {
	e := apperr.As(err)
	if e == nil || e.Code == apperr.Internal {
		s.Log.ErrorContext(r.Context(), "OpenID Connect sign-in", "err", err)
		e = apperr.New(apperr.Internal, "Erreur interne.")
	} else {
		s.Log.InfoContext(r.Context(), "OpenID Connect sign-in refused", "code", string(e.Code), "err", err)
	}
	http.Redirect(w, r, s.PublicURL+SignInPath+"?erreur="+url.QueryEscape(string(e.Code)), http.StatusFound)
}
