package oidc

import (
	"context"
	"crypto/sha256"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/backend/audit"
	"github.com/siseri/siseri/backend/auth"
	"github.com/siseri/siseri/backend/identity"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/account"
	"github.com/siseri/siseri/ent/externalidentity"
	"github.com/siseri/siseri/policy"
)

var errNoAccount = apperr.New(apperr.OIDCNoAccount,
	"Aucun compte SISERI n'est associé à cette identité. Utilisez le lien d'invitation reçu de votre administrateur.")

// outcome is where a sign-in ends: an account, or a worker's pending claim
// (the secret the browser keeps).
type outcome struct {
	account *ent.Account
	ident   *ent.ExternalIdentity
	pending string
}

// signIn links the verified identity to its account and opens the session,
// in one transaction (the invitation is consumed in it), then sets the
// session cookie and sends the browser to the SPA.
func (s *Service) signIn(w http.ResponseWriter, r *http.Request, p *provider, id *Identity, rawIDToken, invitation string) error {
	var out outcome
	err := s.inTx(r.Context(), func(ctx context.Context, db *ent.Client) error {
		var err error
		out, err = s.resolve(ctx, db, p, id, rawIDToken, invitation)
		if err != nil || out.account == nil {
			return err
		}
		return s.openSession(ctx, db, w, r, out.account, out.ident, rawIDToken, p.Label)
	})
	if err != nil {
		return err
	}
	if out.account == nil {
		http.SetCookie(w, &http.Cookie{Name: pendingCookie, Value: out.pending, Path: "/auth/oidc/",
			MaxAge: int(pendingTTL / time.Second), HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
		http.Redirect(w, r, s.PublicURL+ClaimPath, http.StatusFound)
		return nil
	}
	http.Redirect(w, r, s.PublicURL+"/", http.StatusFound)
	return nil
}

// inTx runs fn in a transaction as the system (sign-in reads accounts before
// anyone is signed in, as auth.Login does).
func (s *Service) inTx(ctx context.Context, fn func(ctx context.Context, db *ent.Client) error) error {
	txCtx, tx, err := s.DB.OpenTx(policy.SystemContext(ctx))
	if err != nil {
		return err
	}
	if err := fn(txCtx, ent.FromContext(txCtx)); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// openSession opens the session through auth.OpenSession, records that it
// came from the provider (for signing out there) and audits the sign-in.
func (s *Service) openSession(ctx context.Context, db *ent.Client, w http.ResponseWriter, r *http.Request,
	acc *ent.Account, ident *ent.ExternalIdentity, rawIDToken, label string) error {
	req := auth.RequestFromContext(r.Context())
	addr, ua := req.RemoteAddr, req.UserAgent
	ses, err := s.Auth.OpenSession(ctx, acc, auth.AMRFederated, addr, ua)
	if err != nil {
		return err
	}
	if rawIDToken != "" {
		if err := db.ExternalSession.Create().SetSessionID(ses.ID).SetIdentityID(ident.ID).
			SetIDToken(rawIDToken).Exec(ctx); err != nil {
			return fmt.Errorf("record external session: %w", err)
		}
	}
	if err := db.ExternalIdentity.UpdateOne(ident).SetLastLoginAt(s.now()).Exec(ctx); err != nil {
		return fmt.Errorf("record external sign-in: %w", err)
	}
	who := &policy.Viewer{AccountID: acc.ID, Email: acc.Email, DisplayName: acc.DisplayName}
	if s.Audit != nil {
		if err := s.Audit.Append(ctx, who, audit.Entry{Action: audit.ActionLogin, Operation: "oidc",
			Details: map[string]any{"address": addr, "provider": label}}); err != nil {
			return err
		}
	}
	auth.WriteSessionCookie(w, s.SecureCookies, ses.Token, ses.ExpiresAt)
	return nil
}

// resolve finds the account of a verified identity: (a) its existing link;
// (b) the invitation, consumed; (c) for a professional provider that allows
// it, the active account with the verified e-mail; (d) for a worker provider,
// the one registry record the asserted identity matches, else a pending
// claim. Anything else is refused.
func (s *Service) resolve(ctx context.Context, db *ent.Client, p *provider, id *Identity, rawIDToken, invitation string) (outcome, error) {
	ident, err := db.ExternalIdentity.Query().
		Where(externalidentity.Issuer(id.Issuer), externalidentity.Subject(id.Subject)).Only(ctx)
	if err != nil && !ent.IsNotFound(err) {
		return outcome{}, fmt.Errorf("find external identity: %w", err)
	}
	if ident != nil && ident.AccountID != nil {
		acc, err := db.Account.Get(ctx, *ident.AccountID)
		if err != nil {
			return outcome{}, fmt.Errorf("load linked account: %w", err)
		}
		if !acc.Active {
			return outcome{}, errNoAccount
		}
		return outcome{account: acc, ident: ident}, nil
	}
	var acc *ent.Account
	switch {
	case invitation != "":
		if acc, err = s.Auth.ConsumeActivation(ctx, invitation); err != nil {
			return outcome{}, err
		}
	case p.Audience == Professional && p.LinkByEmail && bool(id.EmailVerified) && id.Email != "":
		acc, err = db.Account.Query().Where(account.Email(strings.ToLower(strings.TrimSpace(id.Email))), account.Active(true)).Only(ctx)
		if ent.IsNotFound(err) {
			return outcome{}, errNoAccount
		}
		if err != nil {
			return outcome{}, fmt.Errorf("find account by e-mail: %w", err)
		}
	case p.Audience == Worker:
		w, err := s.matchWorker(ctx, db, id)
		if err != nil {
			return outcome{}, err
		}
		if w == nil {
			return s.pend(ctx, db, ident, p, id, rawIDToken)
		}
		if acc, err = s.workerAccount(ctx, db, w, id); err != nil {
			return outcome{}, err
		}
	default:
		return outcome{}, errNoAccount
	}
	ident, err = s.link(ctx, db, ident, p, id, acc.ID)
	return outcome{account: acc, ident: ident}, err
}

// link creates or completes the link of the identity to accountID.
func (s *Service) link(ctx context.Context, db *ent.Client, ident *ent.ExternalIdentity, p *provider, id *Identity, accountID int) (*ent.ExternalIdentity, error) {
	var err error
	if ident == nil {
		ident, err = db.ExternalIdentity.Create().SetProvider(p.Name).SetIssuer(id.Issuer).SetSubject(id.Subject).
			SetAccountID(accountID).Save(ctx)
	} else {
		ident, err = db.ExternalIdentity.UpdateOne(ident).SetProvider(p.Name).SetAccountID(accountID).
			ClearPendingHash().ClearPendingExpiresAt().ClearPendingIDToken().ClearAsserted().Save(ctx)
	}
	if err != nil {
		return nil, fmt.Errorf("link external identity: %w", err)
	}
	return ident, nil
}

// asserted is the identity a worker provider asserted.
func (id *Identity) asserted() identity.Asserted {
	a := identity.Asserted{FamilyName: id.FamilyName, GivenNames: id.GivenName, BirthPlace: id.Birthplace}
	if d, err := time.Parse(time.DateOnly, id.Birthdate); err == nil {
		a.BirthDate = d
	}
	return a
}

// matchWorker returns the one registry worker the asserted identity
// matches, or nil when none or several do.
func (s *Service) matchWorker(ctx context.Context, db *ent.Client, id *Identity) (*ent.Worker, error) {
	ws, err := identity.Candidates(ctx, db, id.asserted())
	if err != nil || len(ws) != 1 {
		return nil, err
	}
	return ws[0], nil
}

// workerAccount returns the worker's account, created with a WORKER grant
// (and the asserted e-mail) when the worker has none.
func (s *Service) workerAccount(ctx context.Context, db *ent.Client, w *ent.Worker, id *Identity) (*ent.Account, error) {
	acc, err := db.Account.Query().Where(account.WorkerID(w.ID)).First(ctx)
	if err == nil {
		if !acc.Active {
			return nil, errNoAccount
		}
		return acc, nil
	}
	if !ent.IsNotFound(err) {
		return nil, fmt.Errorf("find worker account: %w", err)
	}
	email := strings.ToLower(strings.TrimSpace(id.Email))
	if email == "" {
		return nil, errNoAccount
	}
	taken, err := db.Account.Query().Where(account.Email(email)).Exist(ctx)
	if err != nil {
		return nil, fmt.Errorf("check e-mail: %w", err)
	}
	if taken {
		return nil, apperr.New(apperr.OIDCEmailInUse,
			"Un autre compte SISERI utilise déjà l'adresse électronique de votre identité. Contactez votre médecin du travail.")
	}
	acc, err = db.Account.Create().SetEmail(email).SetDisplayName(strings.TrimSpace(id.GivenName + " " + id.FamilyName)).
		SetWorkerID(w.ID).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("create worker account: %w", err)
	}
	if err := db.Grant.Create().SetAccountID(acc.ID).SetRole(policy.RoleWorker).SetWorkerID(w.ID).
		SetValidFrom(s.now()).Exec(ctx); err != nil {
		return nil, fmt.Errorf("create worker grant: %w", err)
	}
	return acc, nil
}

// pend keeps a worker's identity awaiting their physician's claim code.
func (s *Service) pend(ctx context.Context, db *ent.Client, ident *ent.ExternalIdentity, p *provider, id *Identity, rawIDToken string) (outcome, error) {
	secret := randomString()
	hash := sha256.Sum256([]byte(secret))
	a := id.asserted()
	asserted := map[string]string{"familyName": a.FamilyName, "givenNames": a.GivenNames, "email": id.Email,
		"birthDate": id.Birthdate, "birthPlace": a.BirthPlace}
	expires := s.now().Add(pendingTTL)
	var err error
	if ident == nil {
		err = db.ExternalIdentity.Create().SetProvider(p.Name).SetIssuer(id.Issuer).SetSubject(id.Subject).
			SetAsserted(asserted).SetPendingHash(hash[:]).SetPendingExpiresAt(expires).SetPendingIDToken(rawIDToken).Exec(ctx)
	} else {
		err = db.ExternalIdentity.UpdateOne(ident).SetProvider(p.Name).SetAsserted(asserted).
			SetPendingHash(hash[:]).SetPendingExpiresAt(expires).SetPendingIDToken(rawIDToken).Exec(ctx)
	}
	if err != nil {
		return outcome{}, fmt.Errorf("keep pending identity: %w", err)
	}
	return outcome{pending: secret}, nil
}
