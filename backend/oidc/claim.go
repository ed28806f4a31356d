package oidc

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/backend/auth"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/externalidentity"
	"github.com/siseri/siseri/ent/externalsession"
	"github.com/siseri/siseri/ent/workerclaimcode"
	"github.com/siseri/siseri/policy"
)

// ClaimCodeTTL is how long a worker claim code stays valid.
const ClaimCodeTTL = 7 * 24 * time.Hour

// claimAlphabet has no letters or digits that read alike (0/O, 1/I/L).
const claimAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

var errClaimInvalid = apperr.New(apperr.ClaimCodeInvalid,
	"Ce code n'est pas valide : il a expiré, a déjà servi, ou votre connexion a expiré. Reconnectez-vous puis saisissez le code remis par votre médecin du travail.")

// IssueWorkerClaimCode creates a one-time code (12 characters, valid
// ClaimCodeTTL, stored hashed) that links a worker's provider identity to
// the worker's record. Only an occupational physician who can read the
// worker (the worker's privacy rules decide, under ctx's viewer) may.
func IssueWorkerClaimCode(ctx context.Context, db *ent.Client, workerID int, now time.Time) (string, time.Time, error) {
	v := policy.FromContext(ctx)
	if v == nil || v.Role != policy.RolePhysician {
		return "", time.Time{}, apperr.New(apperr.Forbidden, "Seul le médecin du travail qui suit ce travailleur peut émettre un code de rattachement.")
	}
	if _, err := db.Worker.Get(ctx, workerID); err != nil {
		if ent.IsNotFound(err) {
			return "", time.Time{}, apperr.New(apperr.NotFound, "Ce travailleur n'existe pas ou vous ne le suivez pas.")
		}
		return "", time.Time{}, err
	}
	code, err := newClaimCode()
	if err != nil {
		return "", time.Time{}, err
	}
	expires := now.Add(ClaimCodeTTL)
	// The code table is readable by the system only, as AccountToken is.
	if err := db.WorkerClaimCode.Create().SetWorkerID(workerID).SetCodeHash(hashClaim(code)).
		SetExpiresAt(expires).SetCreatedByID(v.AccountID).Exec(policy.SystemContext(ctx)); err != nil {
		return "", time.Time{}, fmt.Errorf("create claim code: %w", err)
	}
	return code[:4] + "-" + code[4:8] + "-" + code[8:], expires, nil
}

func newClaimCode() (string, error) {
	var b strings.Builder
	for range 12 {
		n, err := rand.Int(rand.Reader, big.NewInt(int64(len(claimAlphabet))))
		if err != nil {
			return "", err
		}
		b.WriteByte(claimAlphabet[n.Int64()])
	}
	return b.String(), nil
}

// hashClaim hashes a code as typed: dashes, spaces and case do not matter.
func hashClaim(code string) []byte {
	c := strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(code)))
	h := sha256.Sum256([]byte(c))
	return h[:]
}

// handleClaim takes the code a worker typed after a sign-in that matched no
// single registry record: it links the pending identity to the code's
// worker and opens the session.
func (s *Service) handleClaim(w http.ResponseWriter, r *http.Request) {
	if err := s.claim(w, r); err != nil {
		e := apperr.As(err)
		if e == nil || e.Code != apperr.ClaimCodeInvalid {
			s.fail(w, r, err)
			return
		}
		http.Redirect(w, r, s.PublicURL+ClaimPath+"?erreur="+string(e.Code), http.StatusFound)
	}
}

func (s *Service) claim(w http.ResponseWriter, r *http.Request) error {
	c, err := r.Cookie(pendingCookie)
	if err != nil || c.Value == "" {
		return errClaimInvalid
	}
	code := r.PostFormValue("code")
	pendingHash := sha256.Sum256([]byte(c.Value))
	var label string
	err = s.inTx(r.Context(), func(ctx context.Context, db *ent.Client) error {
		now := s.now()
		ident, err := db.ExternalIdentity.Query().Where(externalidentity.PendingHash(pendingHash[:]),
			externalidentity.AccountIDIsNil(), externalidentity.PendingExpiresAtGT(now)).Only(ctx)
		if ent.IsNotFound(err) {
			return errClaimInvalid
		}
		if err != nil {
			return fmt.Errorf("find pending identity: %w", err)
		}
		cc, err := db.WorkerClaimCode.Query().Where(workerclaimcode.CodeHash(hashClaim(code)),
			workerclaimcode.UsedAtIsNil(), workerclaimcode.ExpiresAtGT(now)).WithWorker().Only(ctx)
		if ent.IsNotFound(err) {
			return errClaimInvalid
		}
		if err != nil {
			return fmt.Errorf("find claim code: %w", err)
		}
		// The conditional update makes a second, concurrent use fail.
		n, err := db.WorkerClaimCode.Update().Where(workerclaimcode.ID(cc.ID), workerclaimcode.UsedAtIsNil()).
			SetUsedAt(now).Save(ctx)
		if err != nil || n != 1 {
			return errClaimInvalid
		}
		a := ident.Asserted
		id := &Identity{Issuer: ident.Issuer, Subject: ident.Subject, Email: a["email"], GivenName: a["givenNames"], FamilyName: a["familyName"]}
		acc, err := s.workerAccount(ctx, db, cc.Edges.Worker, id)
		if err != nil {
			return err
		}
		p := s.provider(ident.Provider)
		if p == nil {
			return apperr.New(apperr.OIDCProviderUnknown, "Ce fournisseur d'identité n'est plus configuré.")
		}
		label = p.Label
		rawIDToken := ""
		if ident.PendingIDToken != nil {
			rawIDToken = *ident.PendingIDToken
		}
		if ident, err = s.link(ctx, db, ident, p, id, acc.ID); err != nil {
			return err
		}
		return s.openSession(ctx, db, w, r, acc, ident, rawIDToken, label)
	})
	if err != nil {
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: pendingCookie, Value: "", Path: "/auth/oidc/", MaxAge: -1,
		HttpOnly: true, Secure: s.SecureCookies, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, s.PublicURL+"/", http.StatusFound)
	return nil
}

// SignedInWith returns the label of the provider the session was opened
// through, or "" for a password sign-in.
func (s *Service) SignedInWith(ctx context.Context, db *ent.Client, sessionID int) (string, error) {
	if s == nil || sessionID == 0 {
		return "", nil
	}
	es, err := db.ExternalSession.Query().Where(externalsession.SessionID(sessionID)).WithIdentity().
		Only(policy.SystemContext(ctx))
	if ent.IsNotFound(err) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	if p := s.provider(es.Edges.Identity.Provider); p != nil {
		return p.Label, nil
	}
	return "", nil
}

// handleLogout ends the browser's session and, when it was opened through a
// provider, signs out there too (end_session_endpoint with id_token_hint and
// post_logout_redirect_uri); the browser ends on the sign-in page. The
// session cookie is SameSite=Strict: a link from another site signs nobody out.
func (s *Service) handleLogout(w http.ResponseWriter, r *http.Request) {
	req := auth.RequestFromContext(r.Context())
	back := s.PublicURL + SignInPath + "?deconnexion"
	target := back
	if ses, err := s.Auth.SessionOf(r.Context(), req.Token); err == nil && ses != nil {
		sys := policy.SystemContext(r.Context())
		es, err := s.DB.Client.ExternalSession.Query().Where(externalsession.SessionID(ses.ID)).WithIdentity().Only(sys)
		if err == nil {
			if p := s.provider(es.Edges.Identity.Provider); p != nil {
				if _, derr := s.discover(r.Context(), p); derr == nil && p.endSession != "" {
					q := url.Values{"id_token_hint": {es.IDToken}, "post_logout_redirect_uri": {back},
						"client_id": {p.ClientID}, "state": {randomString()}}
					sep := "?"
					if strings.Contains(p.endSession, "?") {
						sep = "&"
					}
					target = p.endSession + sep + q.Encode()
				}
			}
		}
	}
	if err := s.Auth.Logout(r.Context(), req.Token); err != nil {
		s.fail(w, r, err)
		return
	}
	req.ClearSessionCookie()
	http.Redirect(w, r, target, http.StatusFound)
}
