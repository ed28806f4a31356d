// Package auth signs people and partner systems in: argon2id passwords,
// server-side sessions stored hashed, API keys, rate-limited login attempts, and
// the Viewer every request carries.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/account"
	"github.com/siseri/siseri/ent/apikey"
	"github.com/siseri/siseri/ent/grant"
	"github.com/siseri/siseri/ent/session"
	"github.com/siseri/siseri/policy"
)

// Token prefixes tell a session token from an API key at a glance.
const (
	sessionPrefix = "ses_"
	apiKeyPrefix  = "sk_"
)

// Service authenticates callers against the database.
type Service struct {
	client *ent.Client
	// IdleTimeout ends a session after this long without activity.
	IdleTimeout time.Duration
	// MaxAge ends a session this long after sign-in, whatever the activity.
	MaxAge time.Duration
	// PublicURL is where people reach the server: activation links start with it.
	PublicURL string
	now       func() time.Time

	perAccount *KeyedLimiter
	perAddress *KeyedLimiter
	perKey     *keyLimiter
	// perAccountCode counts wrong second-factor codes per account.
	perAccountCode *KeyedLimiter
	// SecretKey seals TOTP secrets at rest (AES-256-GCM); without it they
	// are stored in clear (see ParseSecretKey).
	SecretKey []byte
	rechecks  recheckCache
	dummyHash string
	// passwordChecks counts the password hashes Login computed.
	passwordChecks atomic.Int64
}

// checkPassword verifies password against the argon2id hash encoded.
func (s *Service) checkPassword(encoded, password string) (bool, error) {
	s.passwordChecks.Add(1)
	return VerifyPassword(encoded, password)
}

// PasswordChecks returns how many password hashes sign-in attempts have
// computed: one per attempt the limiters let through, whatever the account.
func (s *Service) PasswordChecks() int64 { return s.passwordChecks.Load() }

// NewService returns a Service with the default session lifetimes: 30 minutes
// idle, 12 hours at most; 5 attempts per account per 15 minutes (one more every
// 3 minutes), 30 failed attempts per address per 15 minutes (one more every
// 30 seconds); 5 wrong second-factor codes per account per 15 minutes.
func NewService(client *ent.Client) *Service {
	h, err := HashPassword("siseri-timing-equaliser")
	if err != nil {
		panic(err)
	}
	return &Service{
		client:      client,
		IdleTimeout: 30 * time.Minute,
		MaxAge:      12 * time.Hour,
		PublicURL:   DefaultPublicURL,
		now:         time.Now,
		perAccount:  NewKeyedLimiter(3*time.Minute, 5),
		perAddress:  NewKeyedLimiter(30*time.Second, 30),
		perKey:      newKeyLimiter(),
		// 5 wrong second-factor codes per account per 15 minutes.
		perAccountCode: NewKeyedLimiter(3*time.Minute, 5),
		dummyHash:      h,
	}
}

// db returns the client of the request transaction when there is one (a login
// mutation runs inside it), else the service's client.
func (s *Service) db(ctx context.Context) *ent.Client {
	if c := ent.FromContext(ctx); c != nil {
		return c
	}
	return s.client
}

// Session is an opened session: the clear token, returned once, and its expiry.
type Session struct {
	ID        int
	Token     string
	ExpiresAt time.Time
	Account   *ent.Account
}

var errBadCredentials = apperr.New(apperr.Unauthenticated, "Adresse électronique ou mot de passe incorrect.")

// Login checks email and password and opens a session. It returns
// TOO_MANY_REQUESTS when the account made too many attempts or the address too
// many failed ones, and UNAUTHENTICATED for wrong credentials, without telling
// which part was wrong.
//
// Every attempt that gets past the limiters checks exactly one password hash:
// an unknown or inactive account is checked against a dummy hash with the
// same parameters, so that the answer takes the same time whether the address
// has an account or not. The per-address limiter counts failures only: many
// people signing in from one address (a hospital's NAT) do not lock it.
func (s *Service) Login(ctx context.Context, email, password, remoteAddr, userAgent string) (*Session, error) {
	ctx = policy.SystemContext(ctx)
	now := s.now()
	email = strings.ToLower(strings.TrimSpace(email))
	if s.perAddress.Blocked(remoteAddr, now) || !s.perAccount.Allow(email, now) {
		return nil, apperr.New(apperr.TooManyRequests, "Trop de tentatives de connexion. Réessayez dans quelques minutes.")
	}
	acc, err := s.db(ctx).Account.Query().Where(account.Email(email)).Only(ctx)
	if err != nil && !ent.IsNotFound(err) {
		return nil, fmt.Errorf("find account: %w", err)
	}
	stored := s.dummyHash
	if acc != nil && acc.Active {
		stored = acc.PasswordHash
	}
	ok, err := s.checkPassword(stored, password)
	if acc == nil || !acc.Active || err != nil || !ok {
		s.perAddress.Fail(remoteAddr, now)
		return nil, errBadCredentials
	}
	return s.OpenSession(ctx, acc, AMRPassword, remoteAddr, userAgent)
}

// OpenSession opens a session of the account acc, whose identity the caller
// has established by the method amr (AMRPassword: a password checked by Login;
// AMRFederated: an ID token verified by the OpenID Connect sign-in), and
// records the sign-in on the account.
func (s *Service) OpenSession(ctx context.Context, acc *ent.Account, amr, remoteAddr, userAgent string) (*Session, error) {
	ctx = policy.SystemContext(ctx)
	if !acc.Active {
		return nil, errBadCredentials
	}
	now := s.now()
	token, hash, err := newToken(sessionPrefix)
	if err != nil {
		return nil, err
	}
	expires := now.Add(s.IdleTimeout)
	ses, err := s.db(ctx).Session.Create().
		SetAccountID(acc.ID).SetTokenHash(hash).SetExpiresAt(expires).SetLastSeenAt(now).
		SetRemoteAddr(truncate(remoteAddr, 64)).SetUserAgent(truncate(userAgent, 300)).
		SetAmr(amr).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("create session: %w", err)
	}
	if err := s.db(ctx).Account.UpdateOne(acc).SetLastLoginAt(now).Exec(ctx); err != nil {
		return nil, fmt.Errorf("record login: %w", err)
	}
	return &Session{ID: ses.ID, Token: token, ExpiresAt: expires, Account: acc}, nil
}

// SessionOf returns the open session of token, or nil when it is unknown,
// revoked or expired (an API key has none).
func (s *Service) SessionOf(ctx context.Context, token string) (*ent.Session, error) {
	if !strings.HasPrefix(token, sessionPrefix) {
		return nil, nil
	}
	ctx = policy.SystemContext(ctx)
	ses, err := s.db(ctx).Session.Query().
		Where(session.TokenHash(hashToken(token)), session.RevokedAtIsNil(), session.ExpiresAtGT(s.now())).
		Only(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	return ses, err
}

// Logout revokes the session of token. Revoking an unknown or revoked token is
// not an error.
func (s *Service) Logout(ctx context.Context, token string) error {
	if !strings.HasPrefix(token, sessionPrefix) {
		return nil
	}
	ctx = policy.SystemContext(ctx)
	_, err := s.db(ctx).Session.Update().
		Where(session.TokenHash(hashToken(token)), session.RevokedAtIsNil()).
		SetRevokedAt(s.now()).Save(ctx)
	return err
}

// ErrInvalidToken is returned for a token that is unknown, expired or revoked.
var ErrInvalidToken = apperr.New(apperr.Unauthenticated, "Votre session a expiré ou n'est pas valide. Reconnectez-vous.")

// Authenticate returns the viewer of a session token or an API key.
func (s *Service) Authenticate(ctx context.Context, token string) (*policy.Viewer, error) {
	ctx = policy.SystemContext(ctx)
	switch {
	case strings.HasPrefix(token, sessionPrefix):
		return s.authenticateSession(ctx, token)
	case strings.HasPrefix(token, apiKeyPrefix):
		return s.authenticateAPIKey(ctx, token)
	}
	return nil, ErrInvalidToken
}

func (s *Service) authenticateSession(ctx context.Context, token string) (*policy.Viewer, error) {
	now := s.now()
	rows, err := s.lookupSession(ctx, hashToken(token), now)
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, ErrInvalidToken
	}
	ses := rows[0]
	if now.Sub(ses.CreatedAt) > s.MaxAge || !ses.Active {
		return nil, ErrInvalidToken
	}
	// Slide the idle expiry, at most once a minute to keep reads cheap.
	if now.Sub(ses.LastSeenAt) > time.Minute {
		exp := now.Add(s.IdleTimeout)
		if max := ses.CreatedAt.Add(s.MaxAge); exp.After(max) {
			exp = max
		}
		if err := s.db(ctx).Session.UpdateOneID(ses.SessionID).SetLastSeenAt(now).SetExpiresAt(exp).Exec(ctx); err != nil {
			return nil, fmt.Errorf("touch session: %w", err)
		}
	}
	v := viewerOfRows(rows)
	if ses.secondFactorPending(v.Grants) {
		return pendingViewer(v), nil
	}
	v.Role = v.DefaultRole()
	if ses.ActiveRole != nil && v.Has(policy.Role(*ses.ActiveRole)) {
		v.Role = policy.Role(*ses.ActiveRole)
	}
	return v, nil
}

func (s *Service) authenticateAPIKey(ctx context.Context, token string) (*policy.Viewer, error) {
	prefix, _, ok := strings.Cut(strings.TrimPrefix(token, apiKeyPrefix), "_")
	if !ok {
		return nil, ErrInvalidToken
	}
	now := s.now()
	key, err := s.lookupAPIKey(ctx, prefix, now)
	if err != nil {
		return nil, err
	}
	if key == nil || subtle.ConstantTimeCompare(key.SecretHash, hashToken(token)) != 1 ||
		(key.ExpiresAt != nil && !now.Before(*key.ExpiresAt)) || !key.Active {
		return nil, ErrInvalidToken
	}
	if key.GrantID == nil {
		return nil, ErrInvalidToken // the key's grant was revoked or has expired
	}
	if !s.perKey.Allow(key.KeyID, key.RatePerMinute, now) {
		return nil, apperr.New(apperr.TooManyRequests,
			"Cette clé d'API a dépassé sa limite de %d requêtes par minute. Réessayez dans un instant.", key.RatePerMinute)
	}
	if key.LastUsedAt == nil || now.Sub(*key.LastUsedAt) > time.Minute {
		if err := s.db(ctx).ApiKey.UpdateOneID(key.KeyID).SetLastUsedAt(now).Exec(ctx); err != nil {
			return nil, fmt.Errorf("touch api key: %w", err)
		}
	}
	g := key.grant()
	v := &policy.Viewer{AccountID: key.AccountID, Email: key.Email, DisplayName: key.DisplayName,
		Grants: []policy.Grant{g}, APIKeyID: key.KeyID, Profile: policy.Profile(key.Profile), Role: g.Role}
	return v, nil
}

// viewer loads an active account and its current grants.
func (s *Service) viewer(ctx context.Context, accountID int) (*policy.Viewer, error) {
	acc, err := s.db(ctx).Account.Get(ctx, accountID)
	if err != nil {
		return nil, fmt.Errorf("load account: %w", err)
	}
	if !acc.Active {
		return nil, ErrInvalidToken
	}
	now := s.now()
	q := s.db(ctx).Grant.Query().Where(
		grant.AccountID(accountID), grant.RevokedAtIsNil(), grant.ValidFromLTE(now),
		grant.Or(grant.ValidToIsNil(), grant.ValidToGT(now)),
	)
	grants, err := q.All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load grants: %w", err)
	}
	v := &policy.Viewer{AccountID: acc.ID, Email: acc.Email, DisplayName: acc.DisplayName}
	for _, g := range grants {
		v.Grants = append(v.Grants, ToPolicyGrant(g))
	}
	return v, nil
}

// SwitchRole makes the session of v act under role r, which the account must hold.
func (s *Service) SwitchRole(ctx context.Context, v *policy.Viewer, r policy.Role) error {
	if v.SessionID == 0 {
		return apperr.New(apperr.Forbidden, "Une clé d'API agit toujours sous le rôle de son habilitation.")
	}
	if !v.Has(r) {
		return apperr.Invalid("role", string(r), "Vous ne détenez pas d'habilitation active pour le rôle %s.", r)
	}
	role := string(r)
	return s.db(ctx).Session.UpdateOneID(v.SessionID).SetActiveRole(role).Exec(policy.SystemContext(ctx))
}

// ToPolicyGrant converts a stored grant to the form access decisions use.
func ToPolicyGrant(g *ent.Grant) policy.Grant {
	pg := policy.Grant{ID: g.ID, Role: g.Role, ValidFrom: g.ValidFrom, ValidTo: g.ValidTo}
	if g.EstablishmentID != nil {
		pg.EstablishmentID = *g.EstablishmentID
	}
	if g.CompanyID != nil {
		pg.CompanyID = *g.CompanyID
	}
	if g.WorkerID != nil {
		pg.WorkerID = *g.WorkerID
	}
	if g.LaboratoryID != nil {
		pg.LaboratoryID = *g.LaboratoryID
	}
	if g.Region != nil {
		pg.Region = *g.Region
	}
	return pg
}

// NewAPIKey creates a key for accountID acting under grantID (a grant of that
// account) with profile; the clear key is returned once and only its hash is
// stored. ratePerMinute 0 keeps the default.
func (s *Service) NewAPIKey(ctx context.Context, accountID, grantID int, name string, profile apikey.Profile, expires *time.Time, ratePerMinute int) (string, *ent.ApiKey, error) {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", nil, err
	}
	prefix := strings.ToLower(base64.RawURLEncoding.EncodeToString(b[:]))
	prefix = strings.NewReplacer("_", "x", "-", "y").Replace(prefix)
	secret, _, err := newToken("")
	if err != nil {
		return "", nil, err
	}
	token := apiKeyPrefix + prefix + "_" + secret
	c := s.db(ctx).ApiKey.Create().SetAccountID(accountID).SetGrantID(grantID).SetName(name).SetProfile(profile).
		SetPrefix(prefix).SetSecretHash(hashToken(token)).SetNillableExpiresAt(expires)
	if ratePerMinute > 0 {
		c.SetRateLimitPerMinute(ratePerMinute)
	}
	k, err := c.Save(ctx)
	if err != nil {
		return "", nil, fmt.Errorf("create api key: %w", err)
	}
	return token, k, nil
}

func newToken(prefix string) (token string, hash []byte, err error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", nil, fmt.Errorf("read token: %w", err)
	}
	token = prefix + base64.RawURLEncoding.EncodeToString(b[:])
	return token, hashToken(token), nil
}

func hashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// IsAuthError reports whether err is an authentication failure.
func IsAuthError(err error) bool {
	return errors.Is(err, ErrInvalidToken) || apperr.CodeOf(err) == apperr.Unauthenticated
}

// ViewerOf returns the viewer of the active account with the given email,
// acting under role r (which it must hold): the command line acts as a person.
func (s *Service) ViewerOf(ctx context.Context, email string, r policy.Role) (*policy.Viewer, error) {
	sys := policy.SystemContext(ctx)
	acc, err := s.db(sys).Account.Query().Where(account.Email(strings.ToLower(strings.TrimSpace(email)))).Only(sys)
	if ent.IsNotFound(err) {
		return nil, apperr.Invalid("as", email, "Aucun compte n'a l'adresse « %s ».", email)
	}
	if err != nil {
		return nil, fmt.Errorf("load account: %w", err)
	}
	v, err := s.viewer(sys, acc.ID)
	if err != nil {
		return nil, err
	}
	if !v.Has(r) {
		return nil, apperr.New(apperr.Forbidden, "Le compte %s n'a pas d'habilitation active de rôle %s.", email, r)
	}
	v.Role = r
	return v, nil
}
