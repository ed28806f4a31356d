// Package scope holds the row-scope rules of SISERI's Ent privacy policies: for
// the role a request acts under and that role's grants, which rows of each
// entity it may read or write. The rules add predicates to the SQL query itself
// (lists, node lookups, edges, counts and aggregates all go through them), so
// time-bounded scope — an adviser sees a worker's doses only for the periods of
// an employment in their establishment — is enforced in the query, never after.
package scope

import (
	"fmt"
	"time"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"

	"github.com/siseri/siseri/ent/employment"
	"github.com/siseri/siseri/ent/establishment"
	"github.com/siseri/siseri/policy"
)

// sets are the scope ids of a viewer's active grants for its role.
type sets struct {
	establishments []any
	companies      []any
	workers        []any
	laboratories   []any
	regions        []any
	grantIDs       []any
	accountID      int
}

func setsOf(v *policy.Viewer) sets {
	s := sets{accountID: v.AccountID}
	for _, g := range v.Scope() {
		s.grantIDs = append(s.grantIDs, g.ID)
		if g.EstablishmentID != 0 {
			s.establishments = append(s.establishments, g.EstablishmentID)
		}
		if g.CompanyID != 0 {
			s.companies = append(s.companies, g.CompanyID)
		}
		if g.WorkerID != 0 {
			s.workers = append(s.workers, g.WorkerID)
		}
		if g.LaboratoryID != 0 {
			s.laboratories = append(s.laboratories, g.LaboratoryID)
		}
		if g.Region != "" {
			s.regions = append(s.regions, g.Region)
		}
	}
	return s
}

// inEstablishments is true when column col (an establishment id) is one of the
// viewer's establishments: granted directly, through their company, or through
// their region.
func (st sets) inEstablishments(s *sql.Selector, col string) *sql.Predicate {
	var ors []*sql.Predicate
	if len(st.establishments) > 0 {
		ors = append(ors, sql.In(col, st.establishments...))
	}
	if len(st.companies) > 0 {
		t := sql.Table(establishment.Table)
		ors = append(ors, sql.In(col, sql.Dialect(s.Dialect()).Select(t.C(establishment.FieldID)).From(t).
			Where(sql.In(t.C(establishment.FieldCompanyID), st.companies...))))
	}
	if len(st.regions) > 0 {
		t := sql.Table(establishment.Table)
		ors = append(ors, sql.In(col, sql.Dialect(s.Dialect()).Select(t.C(establishment.FieldID)).From(t).
			Where(sql.In(t.C(establishment.FieldRegion), st.regions...))))
	}
	if len(ors) == 0 {
		return sql.False()
	}
	return sql.Or(ors...)
}

// employedIn is true when worker column workerCol has an employment in one of
// the viewer's establishments. With period columns (start, end: dates or
// instants of the row), the employment must overlap that period; with
// currentOnly, it must be going on today.
func (st sets) employedIn(s *sql.Selector, workerCol, startCol, endCol string, currentOnly bool) *sql.Predicate {
	e := sql.Table(employment.Table).As("scope_employment")
	conds := []*sql.Predicate{
		sql.ColumnsEQ(e.C(employment.FieldWorkerID), workerCol),
		st.inEstablishments(s, e.C(employment.FieldEstablishmentID)),
	}
	if startCol != "" {
		conds = append(conds,
			sql.ColumnsLTE(e.C(employment.FieldStartDate), endCol),
			sql.Or(sql.IsNull(e.C(employment.FieldEndDate)), sql.ColumnsGTE(e.C(employment.FieldEndDate), startCol)))
	}
	if currentOnly {
		today := time.Now().UTC().Truncate(24 * time.Hour)
		conds = append(conds,
			sql.LTE(e.C(employment.FieldStartDate), today),
			sql.Or(sql.IsNull(e.C(employment.FieldEndDate)), sql.GTE(e.C(employment.FieldEndDate), today)))
	}
	return sql.Exists(sql.Dialect(s.Dialect()).Select(e.C(employment.FieldID)).From(e).Where(sql.And(conds...)))
}

// contractCovers is true when one employment of worker column workerCol in
// one of the viewer's establishments covers every day of the row's period,
// from startCol moved back by back years to endCol (UTC days): what an
// adviser may learn about is only what the contract period holds (R.4451-69).
func (st sets) contractCovers(s *sql.Selector, workerCol, startCol, endCol string, back int) *sql.Predicate {
	e := sql.Table(employment.Table).As("scope_cover")
	from := dayOf(s.Dialect(), startCol)
	if back > 0 {
		if s.Dialect() == dialect.Postgres {
			from = fmt.Sprintf("(%s - interval '%d years')::date", from, back)
		} else {
			from = fmt.Sprintf("date(%s, '-%d years')", from, back)
		}
	}
	cmp := func(a, op, b string) *sql.Predicate {
		return sql.P(func(w *sql.Builder) { w.WriteString(a + " " + op + " " + b) })
	}
	return sql.Exists(sql.Dialect(s.Dialect()).Select(e.C(employment.FieldID)).From(e).Where(sql.And(
		sql.ColumnsEQ(e.C(employment.FieldWorkerID), workerCol),
		st.inEstablishments(s, e.C(employment.FieldEstablishmentID)),
		cmp(dayOf(s.Dialect(), e.C(employment.FieldStartDate)), "<=", from),
		sql.Or(sql.IsNull(e.C(employment.FieldEndDate)),
			cmp(dayOf(s.Dialect(), e.C(employment.FieldEndDate)), ">=", dayOf(s.Dialect(), endCol))),
	)))
}

// followed is true when worker column workerCol is a worker the viewer follows
// (enhanced medical follow-up): granted by worker, or employed today in one of
// their establishments. A worker who left is followed by the physician of
// their new employer, who sees their whole history.
func (st sets) followed(s *sql.Selector, workerCol string) *sql.Predicate {
	ors := []*sql.Predicate{st.employedIn(s, workerCol, "", "", true)}
	if len(st.workers) > 0 {
		ors = append(ors, sql.In(workerCol, st.workers...))
	}
	return sql.Or(ors...)
}

// self is true when worker column workerCol is the viewer themself.
func (st sets) self(workerCol string) *sql.Predicate {
	if len(st.workers) == 0 {
		return sql.False()
	}
	return sql.In(workerCol, st.workers...)
}
