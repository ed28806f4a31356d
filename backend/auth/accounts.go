package auth

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/apikey"
	"github.com/siseri/siseri/policy"
)

// MinPasswordLength is the shortest password an account may have.
const MinPasswordLength = 12

func checkPassword(field, pw string) error {
	if utf8.RuneCountInString(pw) < MinPasswordLength {
		return apperr.Invalid(field, nil, "Le mot de passe doit comporter au moins %d caractères.", MinPasswordLength)
	}
	return nil
}

// AccountInput holds what an administrator gives to create an account.
type AccountInput struct {
	Email, DisplayName, Password string
	RPPS                         *string
	WorkerID                     *int
}

// CreateAccount creates an account with an argon2id password hash. The
// caller's privacy scope decides whether it may (administrators).
func (s *Service) CreateAccount(ctx context.Context, in AccountInput) (*ent.Account, error) {
	if err := checkPassword("input.password", in.Password); err != nil {
		return nil, err
	}
	hash, err := HashPassword(in.Password)
	if err != nil {
		return nil, err
	}
	return s.db(ctx).Account.Create().
		SetEmail(strings.ToLower(strings.TrimSpace(in.Email))).SetDisplayName(in.DisplayName).
		SetPasswordHash(hash).SetNillableRpps(in.RPPS).SetNillableWorkerID(in.WorkerID).Save(ctx)
}

// AccountChanges holds the changes an administrator may make to an account.
type AccountChanges struct {
	DisplayName, Password, RPPS *string
	Active                      *bool
}

// UpdateAccount changes an account; deactivating it ends its sessions.
func (s *Service) UpdateAccount(ctx context.Context, id int, ch AccountChanges) (*ent.Account, error) {
	u := s.db(ctx).Account.UpdateOneID(id).SetNillableDisplayName(ch.DisplayName).
		SetNillableActive(ch.Active).SetNillableRpps(ch.RPPS)
	if ch.Password != nil {
		if err := checkPassword("input.password", *ch.Password); err != nil {
			return nil, err
		}
		hash, err := HashPassword(*ch.Password)
		if err != nil {
			return nil, err
		}
		u.SetPasswordHash(hash)
	}
	acc, err := u.Save(ctx)
	if err != nil {
		return nil, err
	}
	if ch.Active != nil && !*ch.Active {
		if err := s.revokeSessions(ctx, id); err != nil {
			return nil, err
		}
	}
	return acc, nil
}

func (s *Service) revokeSessions(ctx context.Context, accountID int) error {
	return s.db(ctx).Session.Update().Where(sessionOf(accountID)...).
		SetRevokedAt(s.now()).Exec(policy.SystemContext(ctx))
}

// RevokeGrant ends a grant now (administrators; a physician for their delegations).
func (s *Service) RevokeGrant(ctx context.Context, id int) (*ent.Grant, error) {
	return s.db(ctx).Grant.UpdateOneID(id).SetRevokedAt(s.now()).Save(ctx)
}

// Delegate creates a delegation of one of the calling physician's grants to
// another account, with the same scope, for a limited time.
func (s *Service) Delegate(ctx context.Context, grantID, accountID int, from *time.Time, to time.Time) (*ent.Grant, error) {
	v := policy.FromContext(ctx)
	var parent *policy.Grant
	for _, g := range v.Scope() {
		if g.ID == grantID && g.Role == policy.RolePhysician {
			parent = &g
		}
	}
	if parent == nil {
		return nil, apperr.New(apperr.Forbidden, "Vous ne pouvez déléguer que vos propres habilitations de médecin du travail.")
	}
	start := s.now()
	if from != nil {
		start = *from
	}
	if parent.ValidTo != nil && to.After(*parent.ValidTo) {
		return nil, apperr.Invalid("input.validTo", to.Format(time.DateOnly),
			"Une délégation ne peut pas durer au-delà de l'habilitation déléguée (%s).", parent.ValidTo.Format("02/01/2006"))
	}
	c := s.db(ctx).Grant.Create().SetAccountID(accountID).SetRole(policy.RoleDelegate).
		SetDelegatedFromID(parent.ID).SetValidFrom(start).SetValidTo(to)
	if parent.EstablishmentID != 0 {
		c.SetEstablishmentID(parent.EstablishmentID)
	}
	if parent.CompanyID != 0 {
		c.SetCompanyID(parent.CompanyID)
	}
	if parent.WorkerID != 0 {
		c.SetWorkerID(parent.WorkerID)
	}
	return c.Save(ctx)
}

// RevokeAPIKey revokes a partner key now.
func (s *Service) RevokeAPIKey(ctx context.Context, id int) (*ent.ApiKey, error) {
	return s.db(ctx).ApiKey.UpdateOneID(id).SetRevokedAt(s.now()).Save(ctx)
}

// CreateAPIKey creates a partner key acting under grantID, which must belong
// to an account; the clear key is returned once.
func (s *Service) CreateAPIKey(ctx context.Context, name string, profile apikey.Profile, grantID int, expires *time.Time, ratePerMinute *int) (string, *ent.ApiKey, error) {
	g, err := s.db(ctx).Grant.Get(ctx, grantID)
	if err != nil {
		return "", nil, err
	}
	if g.RevokedAt != nil {
		return "", nil, apperr.Invalid("input.grantID", grantID, "L'habilitation %d est révoquée.", grantID)
	}
	rate := 0
	if ratePerMinute != nil {
		rate = *ratePerMinute
	}
	token, k, err := s.NewAPIKey(ctx, g.AccountID, g.ID, name, profile, expires, rate)
	if err != nil {
		return "", nil, fmt.Errorf("create api key: %w", err)
	}
	return token, k, nil
}
