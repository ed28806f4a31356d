package auth

import (
	"context"
	"fmt"
	"time"

	entsql "entgo.io/ent/dialect/sql"

	"github.com/siseri/siseri/ent/account"
	"github.com/siseri/siseri/ent/grant"
	"github.com/siseri/siseri/ent/predicate"
	"github.com/siseri/siseri/ent/session"
	"github.com/siseri/siseri/policy"
)

// sessionOf selects the open sessions of an account.
func sessionOf(accountID int) []predicate.Session {
	return []predicate.Session{session.AccountID(accountID), session.RevokedAtIsNil()}
}

// sessionRow is one row of the session lookup: the session, its account and
// one of the account's grants valid now (the grant columns are null when the
// account holds none).
type sessionRow struct {
	SessionID  int       `sql:"session_id"`
	AccountID  int       `sql:"account_id"`
	CreatedAt  time.Time `sql:"created_at"`
	LastSeenAt time.Time `sql:"last_seen_at"`
	ActiveRole *string   `sql:"active_role"`
	// AMR says how the session was authenticated; SecondFactorAt when it
	// gave its second factor; Demo whether the account is a demo one.
	AMR            *string    `sql:"amr"`
	SecondFactorAt *time.Time `sql:"second_factor_at"`
	Demo           bool       `sql:"demo"`
	GrantColumns
}

// lookupSession reads an open session of token together with its account and
// the account's grants valid at now, in one statement (a join), so that a
// request costs one SELECT to authenticate and always sees the state of the
// database: a logout, a revoked or changed grant, a role switch or a
// deactivated account takes effect at the next request, in every process.
// It returns no rows for an unknown, revoked or expired session.
func (s *Service) lookupSession(ctx context.Context, tokenHash []byte, now time.Time) ([]sessionRow, error) {
	var rows []sessionRow
	err := s.db(ctx).Session.Query().
		Where(session.TokenHash(tokenHash), session.RevokedAtIsNil(), session.ExpiresAtGT(now)).
		Modify(func(sel *entsql.Selector) {
			a := entsql.Table(account.Table).As("a")
			g := entsql.Table(grant.Table).As("g")
			sel.Join(a).On(sel.C(session.FieldAccountID), a.C(account.FieldID)).
				LeftJoin(g).OnP(validGrant(g, a, now))
			sel.Select()
			sel.AppendSelectAs(sel.C(session.FieldID), "session_id")
			sel.AppendSelectAs(sel.C(session.FieldAccountID), "account_id")
			sel.AppendSelectAs(sel.C(session.FieldCreatedAt), "created_at")
			sel.AppendSelectAs(sel.C(session.FieldLastSeenAt), "last_seen_at")
			sel.AppendSelectAs(sel.C(session.FieldActiveRole), "active_role")
			sel.AppendSelectAs(sel.C(session.FieldAmr), "amr")
			sel.AppendSelectAs(sel.C(session.FieldSecondFactorAt), "second_factor_at")
			sel.AppendSelectAs(a.C(account.FieldDemo), "demo")
			selectAccountAndGrant(sel, a, g)
			sel.OrderBy(g.C(grant.FieldID))
		}).
		Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("find session: %w", err)
	}
	return rows, nil
}

// viewerOfRows builds the viewer of a session from its lookup rows.
func viewerOfRows(rows []sessionRow) *policy.Viewer {
	r := rows[0]
	v := &policy.Viewer{AccountID: r.AccountID, Email: r.Email, DisplayName: r.DisplayName, SessionID: r.SessionID}
	for _, r := range rows {
		if r.GrantID != nil {
			v.Grants = append(v.Grants, r.GrantColumns.grant())
		}
	}
	return v
}

// GrantColumns is the account and grant columns of a viewer lookup
// (selectAccountAndGrant); the grant columns are null when no valid grant
// matched.
type GrantColumns struct {
	Email         string     `sql:"email"`
	DisplayName   string     `sql:"display_name"`
	Active        bool       `sql:"active"`
	GrantID       *int       `sql:"grant_id"`
	Role          *string    `sql:"role"`
	Establishment *int       `sql:"g_establishment_id"`
	Company       *int       `sql:"g_company_id"`
	Worker        *int       `sql:"g_worker_id"`
	Laboratory    *int       `sql:"g_laboratory_id"`
	Region        *string    `sql:"g_region"`
	ValidFrom     *time.Time `sql:"g_valid_from"`
	ValidTo       *time.Time `sql:"g_valid_to"`
}

// grant is the policy form of a row's grant; GrantID must not be nil.
func (r GrantColumns) grant() policy.Grant {
	g := policy.Grant{ID: *r.GrantID, Role: policy.Role(deref(r.Role)), Region: deref(r.Region), ValidTo: r.ValidTo}
	if r.ValidFrom != nil {
		g.ValidFrom = *r.ValidFrom
	}
	g.EstablishmentID, g.CompanyID = deref(r.Establishment), deref(r.Company)
	g.WorkerID, g.LaboratoryID = deref(r.Worker), deref(r.Laboratory)
	return g
}

// validGrant joins the grants of account a valid at now as g.
func validGrant(g, a *entsql.SelectTable, now time.Time) *entsql.Predicate {
	return entsql.And(
		entsql.ColumnsEQ(g.C(grant.FieldAccountID), a.C(account.FieldID)),
		entsql.IsNull(g.C(grant.FieldRevokedAt)),
		entsql.LTE(g.C(grant.FieldValidFrom), now),
		entsql.Or(entsql.IsNull(g.C(grant.FieldValidTo)), entsql.GT(g.C(grant.FieldValidTo), now)),
	)
}

// selectAccountAndGrant selects the columns of GrantColumns from a and g.
func selectAccountAndGrant(sel *entsql.Selector, a, g *entsql.SelectTable) {
	sel.AppendSelectAs(a.C(account.FieldEmail), "email")
	sel.AppendSelectAs(a.C(account.FieldDisplayName), "display_name")
	sel.AppendSelectAs(a.C(account.FieldActive), "active")
	sel.AppendSelectAs(g.C(grant.FieldID), "grant_id")
	sel.AppendSelectAs(g.C(grant.FieldRole), "role")
	for _, c := range []string{grant.FieldEstablishmentID, grant.FieldCompanyID, grant.FieldWorkerID,
		grant.FieldLaboratoryID, grant.FieldRegion, grant.FieldValidFrom, grant.FieldValidTo} {
		sel.AppendSelectAs(g.C(c), "g_"+c)
	}
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
