package auth

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"image/png"
	"strconv"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/predicate"
	"github.com/siseri/siseri/ent/recoverycode"
	"github.com/siseri/siseri/ent/session"
	"github.com/siseri/siseri/ent/totpcredential"
	"github.com/siseri/siseri/policy"
)

// Authentication methods a session records (RFC 8176 values, space-separated).
const (
	// AMRPassword is a session opened by a password alone.
	AMRPassword = "pwd"
	// AMRPasswordOTP is a password session that gave a TOTP or recovery code.
	AMRPasswordOTP = "pwd otp"
	// AMRFederated is a session opened by an OpenID Connect provider, whose
	// required authentication level (acr) the callback checked.
	AMRFederated = "fed"
)

// SecondFactorRoles are the roles whose password sessions need a second
// factor: they read health data or administer the registry.
var SecondFactorRoles = []policy.Role{
	policy.RoleAdmin, policy.RolePhysician, policy.RoleDelegate, policy.RoleRPA,
	policy.RoleControlAgent, policy.RoleLaboratory,
}

// Requirement is what a pending session still needs.
type Requirement string

// The requirements of a pending session.
const (
	RequirementCode      Requirement = "REQUIRED"
	RequirementEnrolment Requirement = "ENROLMENT_REQUIRED"
)

// RecoveryCodeCount is how many recovery codes an account gets at a time.
const RecoveryCodeCount = 10

// totpPeriod, totpDigits: what authenticator apps expect (RFC 6238 defaults).
const (
	totpPeriod = 30
	totpIssuer = "SISERI"
)

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

var (
	// ErrSecondFactorRequired refuses every operation of a pending session
	// but completing its second factor.
	ErrSecondFactorRequired = apperr.New(apperr.SecondFactorRequired,
		"Vérification en deux étapes requise : saisissez le code de votre application d'authentification (ou un code de secours) avant de continuer.")
	errWrongCode = apperr.New(apperr.SecondFactorInvalid,
		"Code incorrect ou expiré. Saisissez le code à 6 chiffres affiché par votre application, ou un code de secours.")
	errReplayedCode = apperr.New(apperr.SecondFactorInvalid,
		"Ce code a déjà servi. Attendez le code suivant de votre application.")
	errTooManyCodes = apperr.New(apperr.TooManyRequests,
		"Trop de codes incorrects. Réessayez dans quelques minutes.")
)

// requiresSecondFactor reports whether grants hold a role of SecondFactorRoles.
func requiresSecondFactor(grants []policy.Grant) bool {
	v := policy.Viewer{Grants: grants}
	for _, r := range SecondFactorRoles {
		if v.Has(r) {
			return true
		}
	}
	return false
}

// secondFactorPending reports whether a session must give its second factor
// before anything else: a session of a non-demo account holding a privileged
// role that was opened neither with a second factor nor by an identity
// provider (amr "fed"). A session that records no method at all (opened before
// methods were recorded) is asked too: only a strong method is trusted.
func (r sessionRow) secondFactorPending(grants []policy.Grant) bool {
	strong := r.SecondFactorAt != nil || deref(r.AMR) == AMRFederated
	return !strong && !r.Demo && requiresSecondFactor(grants)
}

// pendingViewer is the viewer of a session waiting for its second factor: no
// grant and no role, so that it reads nothing whatever path a request takes;
// the GraphQL gate answers SECOND_FACTOR_REQUIRED to anything but the
// second-factor operations.
func pendingViewer(v *policy.Viewer) *policy.Viewer {
	return &policy.Viewer{AccountID: v.AccountID, Email: v.Email, DisplayName: v.DisplayName,
		SessionID: v.SessionID, SecondFactorPending: true}
}

// SecondFactorStatus says what the session of v still needs ("" when nothing),
// whether the account has a confirmed TOTP, and how many unused recovery codes
// it has left.
func (s *Service) SecondFactorStatus(ctx context.Context, v *policy.Viewer) (need Requirement, enabled bool, codesLeft int, err error) {
	ctx = policy.SystemContext(ctx)
	cred, err := s.activeCredential(ctx, v.AccountID, true)
	if err != nil {
		return "", false, 0, err
	}
	enabled = cred != nil
	if v.SecondFactorPending {
		need = RequirementEnrolment
		if enabled {
			need = RequirementCode
		}
	}
	codesLeft, err = s.db(ctx).RecoveryCode.Query().Where(unusedCodes(v.AccountID)...).Count(ctx)
	return need, enabled, codesLeft, err
}

// Enrolment is a TOTP enrolment in progress, shown once.
type Enrolment struct {
	URL, Secret string
	// QRCode is the URL as a PNG QR code, in a data: URL.
	QRCode string
}

// BeginTotpEnrolment creates an unconfirmed TOTP secret for the account of v,
// replacing an unconfirmed one. An account that already has a confirmed one
// must give a code of it (or be reset by an administrator) instead.
func (s *Service) BeginTotpEnrolment(ctx context.Context, v *policy.Viewer) (*Enrolment, error) {
	ctx = policy.SystemContext(ctx)
	if !v.SecondFactorPending && (v.APIKeyID != 0 || !requiresSecondFactor(v.Grants)) {
		return nil, apperr.New(apperr.Forbidden,
			"La vérification en deux étapes concerne les comptes des rôles qui accèdent aux données de santé ou administrent le registre.")
	}
	cred, err := s.activeCredential(ctx, v.AccountID, true)
	if err != nil {
		return nil, err
	}
	if cred != nil {
		return nil, apperr.New(apperr.Conflict,
			"Une application d'authentification est déjà enregistrée pour ce compte. Pour en changer, demandez à un administrateur de réinitialiser votre vérification en deux étapes.")
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: totpIssuer, AccountName: v.Email, Period: totpPeriod,
		Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return nil, fmt.Errorf("generate totp secret: %w", err)
	}
	img, err := key.Image(256, 256)
	if err != nil {
		return nil, fmt.Errorf("totp qr code: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("totp qr code: %w", err)
	}
	sealed, err := s.seal([]byte(key.Secret()), v.AccountID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	db := s.db(ctx)
	if err := db.TotpCredential.Update().
		Where(totpcredential.AccountID(v.AccountID), totpcredential.RevokedAtIsNil()).
		SetRevokedAt(now).Exec(ctx); err != nil {
		return nil, fmt.Errorf("replace totp enrolment: %w", err)
	}
	if err := db.TotpCredential.Create().SetAccountID(v.AccountID).SetSecret(sealed).Exec(ctx); err != nil {
		return nil, fmt.Errorf("store totp enrolment: %w", err)
	}
	return &Enrolment{URL: key.URL(), Secret: key.Secret(),
		QRCode: "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())}, nil
}

// ConfirmTotpEnrolment checks a code of the enrolment in progress, activates
// it, counts as the second factor of a pending session and returns the
// account's new recovery codes, in clear this once.
func (s *Service) ConfirmTotpEnrolment(ctx context.Context, v *policy.Viewer, code string) ([]string, error) {
	ctx = policy.SystemContext(ctx)
	if err := s.codeAllowed(v); err != nil {
		return nil, err
	}
	cred, err := s.activeCredential(ctx, v.AccountID, false)
	if err != nil {
		return nil, err
	}
	if cred == nil || cred.ConfirmedAt != nil {
		return nil, apperr.New(apperr.Conflict,
			"Aucune inscription d'application d'authentification n'est en cours. Recommencez l'inscription.")
	}
	if err := s.useTOTP(ctx, v, cred, code); err != nil {
		return nil, err
	}
	if err := s.db(ctx).TotpCredential.UpdateOne(cred).SetConfirmedAt(s.now()).Exec(ctx); err != nil {
		return nil, fmt.Errorf("confirm totp: %w", err)
	}
	if v.SecondFactorPending {
		if err := s.upgradeSession(ctx, v); err != nil {
			return nil, err
		}
	}
	return s.newRecoveryCodes(ctx, v.AccountID)
}

// VerifySecondFactor checks a TOTP code (the current step or one either side,
// never a step already used) or an unused recovery code, and records on the
// session that it gave its second factor. Wrong codes are limited to 5 per
// account per 15 minutes.
func (s *Service) VerifySecondFactor(ctx context.Context, v *policy.Viewer, code string) (method string, err error) {
	ctx = policy.SystemContext(ctx)
	if err := s.codeAllowed(v); err != nil {
		return "", err
	}
	cred, err := s.activeCredential(ctx, v.AccountID, true)
	if err != nil {
		return "", err
	}
	if cred == nil {
		return "", apperr.New(apperr.Conflict,
			"Ce compte n'a pas encore d'application d'authentification : inscrivez-en une.")
	}
	method, err = s.useCode(ctx, v, cred, code)
	if err != nil {
		return "", err
	}
	if v.SecondFactorPending {
		if err := s.upgradeSession(ctx, v); err != nil {
			return "", err
		}
	}
	return method, nil
}

// RegenerateRecoveryCodes replaces the account's recovery codes, after a
// valid TOTP or recovery code of a session that gave its second factor.
func (s *Service) RegenerateRecoveryCodes(ctx context.Context, v *policy.Viewer, code string) ([]string, error) {
	ctx = policy.SystemContext(ctx)
	if v.SecondFactorPending {
		return nil, ErrSecondFactorRequired
	}
	if err := s.codeAllowed(v); err != nil {
		return nil, err
	}
	cred, err := s.activeCredential(ctx, v.AccountID, true)
	if err != nil {
		return nil, err
	}
	if cred == nil {
		return nil, apperr.New(apperr.Conflict, "Ce compte n'a pas de vérification en deux étapes active.")
	}
	if _, err := s.useCode(ctx, v, cred, code); err != nil {
		return nil, err
	}
	return s.newRecoveryCodes(ctx, v.AccountID)
}

// ResetSecondFactor removes the second factor of an account (its TOTP and
// recovery codes) and ends its sessions: it enrols again at its next
// password sign-in. The GraphQL operation is for administrators
// (policy.csv); the person themself regenerates recovery codes instead.
func (s *Service) ResetSecondFactor(ctx context.Context, accountID int) error {
	ctx = policy.SystemContext(ctx)
	now := s.now()
	db := s.db(ctx)
	if err := db.TotpCredential.Update().
		Where(totpcredential.AccountID(accountID), totpcredential.RevokedAtIsNil()).
		SetRevokedAt(now).Exec(ctx); err != nil {
		return fmt.Errorf("reset totp: %w", err)
	}
	if err := db.RecoveryCode.Update().Where(unusedCodes(accountID)...).SetRevokedAt(now).Exec(ctx); err != nil {
		return fmt.Errorf("reset recovery codes: %w", err)
	}
	return s.revokeSessions(ctx, accountID)
}

// codeAllowed refuses API keys and accounts that made too many wrong codes.
func (s *Service) codeAllowed(v *policy.Viewer) error {
	if v.SessionID == 0 {
		return apperr.New(apperr.Forbidden, "Une clé d'API ne donne pas de second facteur.")
	}
	if s.perAccountCode.Blocked(strconv.Itoa(v.AccountID), s.now()) {
		return errTooManyCodes
	}
	return nil
}

// wrong counts a wrong code against the account and returns err.
func (s *Service) wrong(v *policy.Viewer, err error) error {
	s.perAccountCode.Fail(strconv.Itoa(v.AccountID), s.now())
	return err
}

// useCode accepts a TOTP code of cred or an unused recovery code of v's
// account, and returns which ("otp" or "recovery").
func (s *Service) useCode(ctx context.Context, v *policy.Viewer, cred *ent.TotpCredential, code string) (string, error) {
	code = normaliseCode(code)
	if len(code) == int(otp.DigitsSix) && isDigits(code) {
		return "otp", s.useTOTP(ctx, v, cred, code)
	}
	n, err := s.db(ctx).RecoveryCode.Update().
		Where(append(unusedCodes(v.AccountID), recoverycode.CodeHash(hashToken(code)))...).
		SetUsedAt(s.now()).Save(ctx)
	if err != nil {
		return "", fmt.Errorf("use recovery code: %w", err)
	}
	if n != 1 {
		return "", s.wrong(v, errWrongCode)
	}
	return "recovery", nil
}

// useTOTP accepts a code of the step before, at or after now that is later
// than the last step used, and records its step (a conditional update: the
// same code sent twice at once is accepted once).
func (s *Service) useTOTP(ctx context.Context, v *policy.Viewer, cred *ent.TotpCredential, code string) error {
	code = normaliseCode(code)
	secret, err := s.open(cred.Secret, cred.AccountID)
	if err != nil {
		return err
	}
	now := s.now()
	step := now.Unix() / totpPeriod
	matched := int64(-1)
	for _, st := range []int64{step - 1, step, step + 1} {
		want, err := totp.GenerateCodeCustom(string(secret), time.Unix(st*totpPeriod, 0), totpOpts)
		if err != nil {
			return fmt.Errorf("totp code: %w", err)
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			matched = st
		}
	}
	if matched < 0 {
		return s.wrong(v, errWrongCode)
	}
	if matched <= cred.LastStep {
		return s.wrong(v, errReplayedCode)
	}
	n, err := s.db(ctx).TotpCredential.Update().
		Where(totpcredential.ID(cred.ID), totpcredential.LastStepLT(matched)).
		SetLastStep(matched).Save(ctx)
	if err != nil {
		return fmt.Errorf("record totp step: %w", err)
	}
	if n != 1 {
		return s.wrong(v, errReplayedCode)
	}
	return nil
}

// upgradeSession records that the session of v gave its second factor.
func (s *Service) upgradeSession(ctx context.Context, v *policy.Viewer) error {
	return s.db(ctx).Session.Update().Where(session.ID(v.SessionID), session.RevokedAtIsNil()).
		SetSecondFactorAt(s.now()).SetAmr(AMRPasswordOTP).Exec(ctx)
}

// activeCredential returns the account's TOTP credential that is not revoked
// (only a confirmed one when confirmed), or nil.
func (s *Service) activeCredential(ctx context.Context, accountID int, confirmed bool) (*ent.TotpCredential, error) {
	q := s.db(ctx).TotpCredential.Query().
		Where(totpcredential.AccountID(accountID), totpcredential.RevokedAtIsNil())
	if confirmed {
		q.Where(totpcredential.ConfirmedAtNotNil())
	}
	c, err := q.Order(ent.Desc(totpcredential.FieldID)).First(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find totp: %w", err)
	}
	return c, nil
}

// newRecoveryCodes revokes the account's unused recovery codes and creates
// RecoveryCodeCount new ones, returned in clear (XXXXX-XXXXX) and stored as
// SHA-256 hashes.
func (s *Service) newRecoveryCodes(ctx context.Context, accountID int) ([]string, error) {
	db := s.db(ctx)
	if err := db.RecoveryCode.Update().Where(unusedCodes(accountID)...).SetRevokedAt(s.now()).Exec(ctx); err != nil {
		return nil, fmt.Errorf("revoke recovery codes: %w", err)
	}
	codes := make([]string, RecoveryCodeCount)
	creates := make([]*ent.RecoveryCodeCreate, RecoveryCodeCount)
	for i := range codes {
		c := rand.Text()[:10] // 50 bits in the base32 alphabet
		codes[i] = c[:5] + "-" + c[5:]
		creates[i] = db.RecoveryCode.Create().SetAccountID(accountID).SetCodeHash(hashToken(c))
	}
	if err := db.RecoveryCode.CreateBulk(creates...).Exec(ctx); err != nil {
		return nil, fmt.Errorf("store recovery codes: %w", err)
	}
	return codes, nil
}

func unusedCodes(accountID int) []predicate.RecoveryCode {
	return []predicate.RecoveryCode{recoverycode.AccountID(accountID), recoverycode.UsedAtIsNil(), recoverycode.RevokedAtIsNil()}
}

// normaliseCode drops the spaces and dashes people type and upper-cases
// recovery codes.
func normaliseCode(code string) string {
	return strings.ToUpper(strings.NewReplacer(" ", "", "-", "", "\u00a0", "").Replace(strings.TrimSpace(code)))
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// Sealed secret formats: the first byte says how the rest is stored.
const (
	sealedClear  byte = 0 // no server key configured: the secret in clear
	sealedAESGCM byte = 1 // AES-256-GCM under the server key: nonce, then ciphertext
)

// ParseSecretKey decodes the server key (SISERI_SECRET_KEY): 32 random bytes
// in base64 (standard or URL alphabet, padded or not), e.g. the output of
// `openssl rand -base64 32`.
func ParseSecretKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			if len(b) != 32 {
				return nil, fmt.Errorf("la clé SISERI_SECRET_KEY doit faire 32 octets (elle en fait %d) : générez-la avec « openssl rand -base64 32 »", len(b))
			}
			return b, nil
		}
	}
	return nil, errors.New("la clé SISERI_SECRET_KEY n'est pas en base64 : générez-la avec « openssl rand -base64 32 »")
}

// seal protects a TOTP secret at rest: AES-GCM under the server key, bound
// to the account (additional data), or in clear without a key.
func (s *Service) seal(secret []byte, accountID int) ([]byte, error) {
	if len(s.SecretKey) == 0 {
		return append([]byte{sealedClear}, secret...), nil
	}
	aead, err := s.aead()
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, err
	}
	out := append([]byte{sealedAESGCM}, nonce...)
	return aead.Seal(out, nonce, secret, accountAD(accountID)), nil
}

// open reverses seal.
func (s *Service) open(sealed []byte, accountID int) ([]byte, error) {
	if len(sealed) == 0 {
		return nil, errors.New("empty totp secret")
	}
	switch sealed[0] {
	case sealedClear:
		return sealed[1:], nil
	case sealedAESGCM:
		if len(s.SecretKey) == 0 {
			return nil, errors.New("totp secret sealed under a server key, but SISERI_SECRET_KEY is not set")
		}
		aead, err := s.aead()
		if err != nil {
			return nil, err
		}
		rest := sealed[1:]
		if len(rest) < aead.NonceSize() {
			return nil, errors.New("sealed totp secret too short")
		}
		out, err := aead.Open(nil, rest[:aead.NonceSize()], rest[aead.NonceSize():], accountAD(accountID))
		if err != nil {
			return nil, fmt.Errorf("open totp secret (wrong SISERI_SECRET_KEY?): %w", err)
		}
		return out, nil
	}
	return nil, fmt.Errorf("unknown totp secret format %d", sealed[0])
}

func (s *Service) aead() (cipher.AEAD, error) {
	block, err := aes.NewCipher(s.SecretKey)
	if err != nil {
		return nil, fmt.Errorf("server key: %w", err)
	}
	return cipher.NewGCM(block)
}

func accountAD(accountID int) []byte { return []byte("siseri-totp:" + strconv.Itoa(accountID)) }
