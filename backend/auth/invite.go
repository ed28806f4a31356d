package auth

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/backend/notify"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/account"
	"github.com/siseri/siseri/ent/grant"
	"github.com/siseri/siseri/policy"
)

// DefaultPublicURL is where the server is reached when no public URL is configured.
const DefaultPublicURL = "http://localhost:8080"

// Invitation is an activation link just issued: shown once to the
// administrator (or printed by `siseri admin create`), never stored in clear.
type Invitation struct {
	Account   *ent.Account
	Link      string
	ExpiresAt time.Time
}

// ActivationLink is the page of the single-page app that activates an account.
func ActivationLink(publicURL, token string) string {
	if publicURL == "" {
		publicURL = DefaultPublicURL
	}
	return strings.TrimRight(publicURL, "/") + "/activation/" + token
}

// Invite issues the activation link of an account (IssueActivation), builds
// its URL on s.PublicURL and queues its e-mail to the account's address in
// the same transaction (notify.ActivationLink). Every link SISERI hands out is
// issued here. createdBy is the issuing administrator's account, nil from the
// command line.
func (s *Service) Invite(ctx context.Context, acc *ent.Account, createdBy *int) (*Invitation, error) {
	token, expires, err := s.IssueActivation(ctx, acc.ID, createdBy)
	if err != nil {
		return nil, err
	}
	inv := &Invitation{Account: acc, Link: ActivationLink(s.PublicURL, token), ExpiresAt: expires}
	if err := notify.ActivationLink(ctx, s.db(ctx), acc, inv.Link); err != nil {
		return nil, err
	}
	return inv, nil
}

// InviteAccount creates an account without a password (the caller's privacy
// scope decides whether it may: administrators) and issues its activation link.
func (s *Service) InviteAccount(ctx context.Context, in AccountInput) (*Invitation, error) {
	email := strings.ToLower(strings.TrimSpace(in.Email))
	exists, err := s.db(ctx).Account.Query().Where(account.Email(email)).Exist(policy.SystemContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("find account: %w", err)
	}
	if exists {
		return nil, apperr.Invalid("input.email", email, "Un compte existe déjà pour l'adresse %s.", email)
	}
	acc, err := s.db(ctx).Account.Create().SetEmail(email).SetDisplayName(strings.TrimSpace(in.DisplayName)).
		SetNillableRpps(in.RPPS).SetNillableWorkerID(in.WorkerID).Save(ctx)
	if err != nil {
		return nil, err
	}
	return s.Invite(ctx, acc, issuer(ctx))
}

// ReissueActivation issues a new activation link for an account whose link
// was lost or has expired; the earlier links stop working. The account must be
// visible and writable to the caller (administrators).
func (s *Service) ReissueActivation(ctx context.Context, accountID int) (*Invitation, error) {
	acc, err := s.db(ctx).Account.Get(ctx, accountID)
	if err != nil {
		return nil, err
	}
	if !acc.Active {
		return nil, apperr.New(apperr.Conflict, "Le compte de %s est désactivé : réactivez-le avant d'envoyer un lien d'activation.", acc.DisplayName)
	}
	// The same write rule as any change of the account: the privacy policy
	// refuses it to anyone but an administrator.
	if err := s.db(ctx).Account.UpdateOneID(accountID).SetUpdatedAt(s.now()).Exec(ctx); err != nil {
		return nil, err
	}
	return s.Invite(ctx, acc, issuer(ctx))
}

// issuer is the account of the signed-in caller, nil for the system.
func issuer(ctx context.Context) *int {
	if v := policy.FromContext(ctx); v != nil && v.AccountID != 0 {
		id := v.AccountID
		return &id
	}
	return nil
}

var errActivationLimited = apperr.New(apperr.TooManyRequests, "Trop de tentatives d'activation. Réessayez dans quelques minutes.")

// PeekActivation returns the account an activation link opens, for the
// activation page; unknown tokens count as failed attempts of remoteAddr,
// rate-limited as sign-in failures are.
func (s *Service) PeekActivation(ctx context.Context, token, remoteAddr string) (*ent.Account, error) {
	now := s.now()
	if s.perAddress.Blocked(remoteAddr, now) {
		return nil, errActivationLimited
	}
	acc, err := s.ActivationAccount(ctx, token)
	if err != nil {
		s.perAddress.Fail(remoteAddr, now)
	}
	return acc, err
}

// ActivateFrom is Activate rate-limited per remote address like sign-in.
func (s *Service) ActivateFrom(ctx context.Context, token, password, remoteAddr string) (*ent.Account, error) {
	now := s.now()
	if s.perAddress.Blocked(remoteAddr, now) {
		return nil, errActivationLimited
	}
	acc, err := s.Activate(ctx, token, password)
	if apperr.CodeOf(err) == apperr.TokenInvalid {
		s.perAddress.Fail(remoteAddr, now)
	}
	return acc, err
}

// CreateFirstAdmin creates an administrator (an account without password and
// a national ADMIN grant, as the demo administrator has) and its activation
// link, on a database without an active administrator; it refuses otherwise.
// It is the command line's (`siseri admin create`): it runs as the system.
func (s *Service) CreateFirstAdmin(ctx context.Context, email, displayName string) (*Invitation, error) {
	ctx = policy.SystemContext(ctx)
	tx, err := s.client.Tx(ctx)
	if err != nil {
		return nil, err
	}
	ctx = ent.NewTxContext(ent.NewContext(ctx, tx.Client()), tx)
	inv, err := s.createFirstAdmin(ctx, email, displayName)
	if err != nil {
		_ = tx.Rollback()
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("commit: %w", err)
	}
	return inv, nil
}

func (s *Service) createFirstAdmin(ctx context.Context, email, displayName string) (*Invitation, error) {
	now := s.now()
	db := s.db(ctx)
	admins, err := db.Account.Query().Where(account.Active(true), account.HasGrantsWith(
		grant.RoleEQ(policy.RoleAdmin), grant.RevokedAtIsNil(), grant.ValidFromLTE(now),
		grant.Or(grant.ValidToIsNil(), grant.ValidToGT(now)),
	)).Select(account.FieldEmail).Strings(ctx)
	if err != nil {
		return nil, fmt.Errorf("find administrators: %w", err)
	}
	if len(admins) > 0 {
		return nil, apperr.New(apperr.Conflict,
			"Un administrateur actif existe déjà (%s) : c'est à lui de créer les autres comptes depuis SISERI.", strings.Join(admins, ", "))
	}
	in := AccountInput{Email: email, DisplayName: displayName}
	inv, err := s.InviteAccount(ctx, in)
	if err != nil {
		return nil, err
	}
	if err := db.Grant.Create().SetAccountID(inv.Account.ID).SetRole(policy.RoleAdmin).SetValidFrom(now).Exec(ctx); err != nil {
		return nil, fmt.Errorf("grant the administrator role: %w", err)
	}
	return inv, nil
}
