package scope

import (
	"context"

	"entgo.io/ent"
	"entgo.io/ent/dialect/sql"
	"github.com/siseri/siseri/ent/privacy"

	"github.com/siseri/siseri/ent/anomaly"
	"github.com/siseri/siseri/ent/auditsubject"
	"github.com/siseri/siseri/ent/doserecord"
	"github.com/siseri/siseri/ent/dosimeter"
	"github.com/siseri/siseri/ent/dosimeterassignment"
	"github.com/siseri/siseri/ent/employment"
	"github.com/siseri/siseri/policy"
)

// rowsFunc returns the predicate a role's rows satisfy, on selector s.
type rowsFunc func(st sets, s *sql.Selector) *sql.Predicate

// Rows maps each role to the rows of an entity it may read. A role absent from
// the map reads none; a nil rowsFunc reads all.
type Rows map[policy.Role]rowsFunc

// all marks a role that reads every row.
var all rowsFunc

// queryRule filters every query of the entity to the viewer's rows.
func queryRule(rows Rows) privacy.QueryRule {
	return privacy.QueryRuleFunc(func(ctx context.Context, q ent.Query) error {
		v := policy.FromContext(ctx)
		if v == nil {
			return privacy.Denyf("anonymous caller")
		}
		f, ok := rows[v.Role]
		if ok && f == nil {
			return privacy.Allow
		}
		st := setsOf(v)
		if err := whereQuery(q, func(s *sql.Selector) {
			if !ok {
				s.Where(sql.False())
				return
			}
			s.Where(f(st, s))
		}); err != nil {
			return privacy.Denyf("%v", err)
		}
		return privacy.Allow
	})
}

// column returns a rowsFunc applying g to column col of the row.
func column(col string, g func(st sets, s *sql.Selector, c string) *sql.Predicate) rowsFunc {
	return func(st sets, s *sql.Selector) *sql.Predicate { return g(st, s, s.C(col)) }
}

func selfCol(st sets, _ *sql.Selector, c string) *sql.Predicate { return st.self(c) }
func followedCol(st sets, s *sql.Selector, c string) *sql.Predicate {
	return st.followed(s, c)
}
func establishmentCol(st sets, s *sql.Selector, c string) *sql.Predicate {
	return st.inEstablishments(s, c)
}

// employedOrHostedCol is employedCol or hostedCol written as one set: the
// workers ever employed in, or declared intervening on, one of the viewer's
// establishments. One IN over a UNION lets the database join that set
// (index-only scans of employments(establishment_id, worker_id) and
// interventions(site_establishment_id, worker_id)) to the page and to its
// count, where an OR of two subqueries made it check every worker in turn.
func employedOrHostedCol(st sets, s *sql.Selector, c string) *sql.Predicate {
	e := sql.Table(employment.Table).As("scope_employed")
	i := sql.Table(interventionTable).As("scope_hosted")
	employed := sql.Dialect(s.Dialect()).Select(e.C(employment.FieldWorkerID)).From(e).
		Where(st.inEstablishments(s, e.C(employment.FieldEstablishmentID)))
	hosted := sql.Dialect(s.Dialect()).Select(i.C("worker_id")).From(i).
		Where(st.inEstablishments(s, i.C("site_establishment_id")))
	return sql.In(c, employed.Union(hosted))
}

func currentlyEmployedCol(st sets, s *sql.Selector, c string) *sql.Predicate {
	return st.employedIn(s, c, "", "", true)
}
func laboratoryCol(st sets, _ *sql.Selector, c string) *sql.Predicate {
	if len(st.laboratories) == 0 {
		return sql.False()
	}
	return sql.In(c, st.laboratories...)
}
func accountCol(st sets, _ *sql.Selector, c string) *sql.Predicate { return sql.EQ(c, st.accountID) }

// external excludes internal dosimetry (committed doses, radiotoxicology,
// anthroporadiometry), which advisers and inspectors never see.
func external(s *sql.Selector) *sql.Predicate {
	return sql.And(
		sql.NEQ(s.C(doserecord.FieldMonitoringKind), doserecord.MonitoringKindInternal.String()),
		sql.NEQ(s.C(doserecord.FieldQuantity), doserecord.QuantityE50.String()),
	)
}

// noInternalDose is true for an anomaly none of whose records is internal dosimetry.
func noInternalDose(s *sql.Selector) *sql.Predicate {
	j := sql.Table(anomaly.DoseRecordsTable).As("scope_anomaly_dose")
	d := sql.Table(doserecord.Table).As("scope_dose")
	return sql.NotExists(sql.Dialect(s.Dialect()).Select(j.C(anomaly.DoseRecordsPrimaryKey[0])).From(j).
		Join(d).On(j.C(anomaly.DoseRecordsPrimaryKey[1]), d.C(doserecord.FieldID)).
		Where(sql.And(
			sql.ColumnsEQ(j.C(anomaly.DoseRecordsPrimaryKey[0]), s.C(anomaly.FieldID)),
			sql.Or(
				sql.EQ(d.C(doserecord.FieldMonitoringKind), doserecord.MonitoringKindInternal.String()),
				sql.EQ(d.C(doserecord.FieldQuantity), doserecord.QuantityE50.String()),
			),
		)))
}

// noInternalInPeriod is true for an anomaly whose worker has no current
// internal-dosimetry result ending within its period.
func noInternalInPeriod(s *sql.Selector) *sql.Predicate {
	d := sql.Table(doserecord.Table).As("scope_internal")
	return sql.NotExists(sql.Dialect(s.Dialect()).Select(d.C(doserecord.FieldID)).From(d).
		Where(sql.And(
			sql.ColumnsEQ(d.C(doserecord.FieldWorkerID), s.C(anomaly.FieldWorkerID)),
			sql.EQ(d.C(doserecord.FieldCurrent), true),
			sql.Or(
				sql.EQ(d.C(doserecord.FieldMonitoringKind), doserecord.MonitoringKindInternal.String()),
				sql.EQ(d.C(doserecord.FieldQuantity), doserecord.QuantityE50.String()),
			),
			sql.ColumnsGTE(d.C(doserecord.FieldPeriodEnd), s.C(anomaly.FieldPeriodStart)),
			sql.ColumnsLTE(d.C(doserecord.FieldPeriodEnd), s.C(anomaly.FieldPeriodEnd)),
		)))
}

// dosimeterIn is true when the dosimeter column c belongs to one of the
// viewer's establishments (or laboratories, with labs).
func dosimeterIn(labs bool) func(st sets, s *sql.Selector, c string) *sql.Predicate {
	return func(st sets, s *sql.Selector, c string) *sql.Predicate {
		t := sql.Table(dosimeter.Table).As("scope_dosimeter")
		cond := st.inEstablishments(s, t.C(dosimeter.FieldEstablishmentID))
		if labs {
			cond = laboratoryCol(st, s, t.C(dosimeter.FieldLaboratoryID))
		}
		return sql.In(c, sql.Dialect(s.Dialect()).Select(t.C(dosimeter.FieldID)).From(t).Where(cond))
	}
}

// wornBy is true when the dosimeter was assigned to a worker the predicate g keeps.
func wornBy(g func(st sets, s *sql.Selector, c string) *sql.Predicate) rowsFunc {
	return func(st sets, s *sql.Selector) *sql.Predicate {
		a := sql.Table(dosimeterassignment.Table).As("scope_assignment")
		return sql.Exists(sql.Dialect(s.Dialect()).Select(a.C(dosimeterassignment.FieldID)).From(a).Where(sql.And(
			sql.ColumnsEQ(a.C(dosimeterassignment.FieldDosimeterID), s.C(dosimeter.FieldID)),
			g(st, s, a.C(dosimeterassignment.FieldWorkerID)),
		)))
	}
}

// aboutSelf is true for an audit event concerning the viewer (as a worker).
func aboutSelf(st sets, s *sql.Selector) *sql.Predicate {
	if len(st.workers) == 0 {
		return sql.False()
	}
	a := sql.Table(auditsubject.Table).As("scope_subject")
	return sql.Exists(sql.Dialect(s.Dialect()).Select(a.C(auditsubject.FieldID)).From(a).Where(sql.And(
		sql.ColumnsEQ(a.C(auditsubject.FieldEventID), s.C("id")),
		sql.In(a.C(auditsubject.FieldWorkerID), st.workers...),
	)))
}

func and(fs ...rowsFunc) rowsFunc {
	return func(st sets, s *sql.Selector) *sql.Predicate {
		ps := make([]*sql.Predicate, len(fs))
		for i, f := range fs {
			ps[i] = f(st, s)
		}
		return sql.And(ps...)
	}
}

func or(fs ...rowsFunc) rowsFunc {
	return func(st sets, s *sql.Selector) *sql.Predicate {
		ps := make([]*sql.Predicate, len(fs))
		for i, f := range fs {
			ps[i] = f(st, s)
		}
		return sql.Or(ps...)
	}
}

func pred(p func(s *sql.Selector) *sql.Predicate) rowsFunc {
	return func(_ sets, s *sql.Selector) *sql.Predicate { return p(s) }
}
