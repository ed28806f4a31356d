package auth

import (
	"context"
	"fmt"
	"time"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/accounttoken"
	"github.com/siseri/siseri/policy"
)

// ActivationTTL is how long an activation link stays valid.
const ActivationTTL = 24 * time.Hour

const activationPrefix = "act_"

var errTokenInvalid = apperr.New(apperr.TokenInvalid,
	"Ce lien d'activation n'est pas valide : il a expiré, a déjà servi ou a été remplacé. Demandez un nouveau lien à votre administrateur.")

// IssueActivation creates the one-time activation link token of an account,
// valid ActivationTTL, and revokes the account's earlier unused ones. It is also
// the invitation an OpenID Connect sign-in consumes to link the account.
// createdBy is the issuing administrator's account, nil from the command line.
func (s *Service) IssueActivation(ctx context.Context, accountID int, createdBy *int) (token string, expires time.Time, err error) {
	ctx = policy.SystemContext(ctx)
	now := s.now()
	db := s.db(ctx)
	if _, err := db.AccountToken.Update().
		Where(accounttoken.AccountID(accountID), accounttoken.PurposeEQ(accounttoken.PurposeACTIVATION),
			accounttoken.UsedAtIsNil(), accounttoken.RevokedAtIsNil()).
		SetRevokedAt(now).Save(ctx); err != nil {
		return "", time.Time{}, fmt.Errorf("revoke earlier activation links: %w", err)
	}
	token, hash, err := newToken(activationPrefix)
	if err != nil {
		return "", time.Time{}, err
	}
	expires = now.Add(ActivationTTL)
	if _, err := db.AccountToken.Create().SetAccountID(accountID).
		SetPurpose(accounttoken.PurposeACTIVATION).SetTokenHash(hash).SetExpiresAt(expires).
		SetNillableCreatedByID(createdBy).Save(ctx); err != nil {
		return "", time.Time{}, fmt.Errorf("create activation link: %w", err)
	}
	return token, expires, nil
}

// ActivationAccount returns the account a valid, unused activation token
// belongs to, without using it (the activation page shows whose it is).
func (s *Service) ActivationAccount(ctx context.Context, token string) (*ent.Account, error) {
	t, err := s.validActivation(policy.SystemContext(ctx), token)
	if err != nil {
		return nil, err
	}
	return t.Edges.Account, nil
}

// ConsumeActivation uses a valid activation token once and returns its
// account. Run it in the transaction that sets the password or links the
// external identity, so that both happen or neither.
func (s *Service) ConsumeActivation(ctx context.Context, token string) (*ent.Account, error) {
	ctx = policy.SystemContext(ctx)
	t, err := s.validActivation(ctx, token)
	if err != nil {
		return nil, err
	}
	// The conditional update makes a second, concurrent use fail.
	n, err := s.db(ctx).AccountToken.Update().
		Where(accounttoken.ID(t.ID), accounttoken.UsedAtIsNil(), accounttoken.RevokedAtIsNil()).
		SetUsedAt(s.now()).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("use activation link: %w", err)
	}
	if n != 1 {
		return nil, errTokenInvalid
	}
	return t.Edges.Account, nil
}

// Activate uses an activation token to set the account's first password.
func (s *Service) Activate(ctx context.Context, token, password string) (*ent.Account, error) {
	if err := checkPassword("input.password", password); err != nil {
		return nil, err
	}
	acc, err := s.ConsumeActivation(ctx, token)
	if err != nil {
		return nil, err
	}
	hash, err := HashPassword(password)
	if err != nil {
		return nil, err
	}
	return s.db(ctx).Account.UpdateOneID(acc.ID).SetPasswordHash(hash).
		Save(policy.SystemContext(ctx))
}

func (s *Service) validActivation(ctx context.Context, token string) (*ent.AccountToken, error) {
	t, err := s.db(ctx).AccountToken.Query().
		Where(accounttoken.TokenHash(hashToken(token)), accounttoken.PurposeEQ(accounttoken.PurposeACTIVATION)).
		WithAccount().Only(ctx)
	if ent.IsNotFound(err) {
		return nil, errTokenInvalid
	}
	if err != nil {
		return nil, fmt.Errorf("find activation link: %w", err)
	}
	if t.UsedAt != nil || t.RevokedAt != nil || !s.now().Before(t.ExpiresAt) || !t.Edges.Account.Active {
		return nil, errTokenInvalid
	}
	return t, nil
}
