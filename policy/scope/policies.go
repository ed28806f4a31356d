package scope

import (
	"entgo.io/ent"

	"github.com/siseri/siseri/ent/anomaly"
	"github.com/siseri/siseri/ent/apikey"
	"github.com/siseri/siseri/ent/auditsubject"
	"github.com/siseri/siseri/ent/doseconflict"
	"github.com/siseri/siseri/ent/doserecord"
	"github.com/siseri/siseri/ent/dosimeter"
	"github.com/siseri/siseri/ent/dosimeterassignment"
	"github.com/siseri/siseri/ent/employment"
	"github.com/siseri/siseri/ent/exposuresummary"
	"github.com/siseri/siseri/ent/grant"
	"github.com/siseri/siseri/ent/importbatch"
	"github.com/siseri/siseri/ent/operationaldose"
	"github.com/siseri/siseri/ent/privacy"
	"github.com/siseri/siseri/policy"

	"entgo.io/ent/dialect"
	"entgo.io/ent/dialect/sql"
)

// Role shorthands for the tables below.
const (
	worker    = policy.RoleWorker
	physician = policy.RolePhysician
	delegate  = policy.RoleDelegate
	adviser   = policy.RoleRPA
	employer  = policy.RoleEmployer
	lab       = policy.RoleLaboratory
	inspector = policy.RoleControlAgent
	analyst   = policy.RoleAnalyst
	admin     = policy.RoleAdmin
	ministry  = policy.RoleLabourMinistry
)

// entityPolicy assembles an entity's policy: deletes are refused to everyone,
// the system may do anything, reads are filtered to rows, writes are checked by
// write; anything else is denied.
func entityPolicy(rows Rows, write privacy.MutationRule) ent.Policy {
	mut := privacy.MutationPolicy{policy.DenyDelete(), policy.AllowSystem()}
	if write != nil {
		mut = append(mut, write)
	}
	mut = append(mut, privacy.AlwaysDenyRule())
	return privacy.Policy{
		Query:    privacy.QueryPolicy{policy.AllowSystem(), queryRule(rows)},
		Mutation: mut,
	}
}

// publicRows lets every role read every row: reference data (establishments
// and companies from the public SIRENE register, laboratories, nomenclatures).
var publicRows = Rows{worker: all, physician: all, delegate: all, adviser: all, employer: all, lab: all, inspector: all, analyst: all,
	ministry: all, admin: all}

// ownAccountRows lets every role read rows of its own account; admins read all.
func ownAccountRows(col string) Rows {
	own := column(col, accountCol)
	return Rows{worker: own, physician: own, delegate: own, adviser: own, employer: own, lab: own, inspector: own, analyst: own,
		ministry: own, admin: all}
}

// Worker is the policy of workers. Advisers, employers and control agents
// see the workers ever employed in their establishments, and the outside
// companies' workers declared intervening on their sites (the operator
// transmits their operational dosimetry, nominatively).
func Worker() ent.Policy {
	followed := column("id", followedCol)
	employed := column("id", employedOrHostedCol)
	return entityPolicy(Rows{
		worker: column("id", selfCol), physician: followed, delegate: followed,
		adviser: employed, employer: employed, inspector: employed, analyst: all, admin: all,
	}, writeWorker())
}

// Employment is the policy of employments.
func Employment() ent.Policy {
	followed := column(employment.FieldWorkerID, followedCol)
	here := column(employment.FieldEstablishmentID, establishmentCol)
	return entityPolicy(Rows{
		worker: column(employment.FieldWorkerID, selfCol), physician: followed, delegate: followed,
		adviser: here, employer: here, inspector: here, analyst: all,
	}, writeEmployment())
}

// DoseRecord is the policy of the dose of record. Advisers see external
// results only, and only for the periods of an employment in their
// establishment; inspectors see the external results of their region's
// establishments; laboratories their own submissions; employers and
// administrators none.
func DoseRecord() ent.Policy {
	followed := column(doserecord.FieldWorkerID, followedCol)
	return entityPolicy(Rows{
		worker:    column(doserecord.FieldWorkerID, selfCol),
		physician: followed, delegate: followed,
		adviser: and(pred(external), func(st sets, s *sql.Selector) *sql.Predicate {
			return st.employedIn(s, s.C(doserecord.FieldWorkerID), s.C(doserecord.FieldPeriodStart), s.C(doserecord.FieldPeriodEnd), false)
		}),
		// A laboratory reads what it sent itself: its own versions, never a
		// physician's correction of them (which keeps the laboratory's id to
		// stay traceable), its author or its reason.
		lab: and(pred(func(s *sql.Selector) *sql.Predicate {
			return sql.EQ(s.C(doserecord.FieldSource), doserecord.SourceLaboratory)
		}), column(doserecord.FieldLaboratoryID, laboratoryCol)),
		inspector: and(pred(external), column(doserecord.FieldEstablishmentID, establishmentCol)),
		analyst:   all,
	}, nil)
}

// DoseConflict is the policy of correction conflicts: the occupational
// physician and delegates of the worker read them (the physician decides,
// see registry.ResolveConflict); the laboratory never learns the correction.
func DoseConflict() ent.Policy {
	followed := column(doseconflict.FieldWorkerID, followedCol)
	return entityPolicy(Rows{physician: followed, delegate: followed}, nil)
}

// OperationalDose is the policy of operational dosimetry: the adviser sees
// that taken on their sites, whoever the worker's employer; the outside
// company's adviser sees that of its workers taken on a host site under a
// declared intervention, during their contract (arrêté 2023 art. 18: the
// operator shares the results with the outside company; R.4451-69).
func OperationalDose() ent.Policy {
	followed := column(operationaldose.FieldWorkerID, followedCol)
	return entityPolicy(Rows{
		worker: column(operationaldose.FieldWorkerID, selfCol), physician: followed, delegate: followed,
		adviser: or(column(operationaldose.FieldEstablishmentID, establishmentCol), contractorShare), analyst: all,
	}, nil)
}

// contractorShare is true for an operational dose the viewer's establishment
// receives as the outside company: the worker has an intervention on the
// dose's site for one of the viewer's establishments, and an employment in
// that establishment, both overlapping the dose's days (the contract period,
// R.4451-69). Intervention and employment dates are days, dose bounds
// instants: they are compared day by day (UTC).
func contractorShare(st sets, s *sql.Selector) *sql.Predicate {
	i := sql.Table(interventionTable).As("scope_intervention")
	e := sql.Table(employment.Table).As("scope_contract")
	start, end := s.C(operationaldose.FieldStartAt), s.C(operationaldose.FieldEndAt)
	overlaps := func(from, to string) *sql.Predicate {
		return sql.And(dayCmp(s, from, "<=", end), sql.Or(sql.IsNull(to), dayCmp(s, to, ">=", start)))
	}
	return sql.Exists(sql.Dialect(s.Dialect()).Select(i.C("id")).From(i).
		Join(e).On(e.C(employment.FieldEstablishmentID), i.C("contractor_establishment_id")).
		Where(sql.And(
			sql.ColumnsEQ(i.C("worker_id"), s.C(operationaldose.FieldWorkerID)),
			sql.ColumnsEQ(i.C("site_establishment_id"), s.C(operationaldose.FieldEstablishmentID)),
			st.inEstablishments(s, i.C("contractor_establishment_id")),
			overlaps(i.C("start_date"), i.C("end_date")),
			sql.ColumnsEQ(e.C(employment.FieldWorkerID), s.C(operationaldose.FieldWorkerID)),
			overlaps(e.C(employment.FieldStartDate), e.C(employment.FieldEndDate)),
		)))
}

// dayCmp compares the UTC days of two time columns: a op b.
func dayCmp(s *sql.Selector, a, op, b string) *sql.Predicate {
	return sql.P(func(w *sql.Builder) {
		w.WriteString(dayOf(s.Dialect(), a)).WriteString(" " + op + " ").WriteString(dayOf(s.Dialect(), b))
	})
}

// dayOf is the SQL of the UTC day of time column c: a date on PostgreSQL; on
// SQLite, whose driver stores UTC instants as text starting with the day,
// that day's text.
func dayOf(d, c string) string {
	if d == dialect.Postgres {
		return "(" + c + " AT TIME ZONE 'UTC')::date"
	}
	return "substr(" + c + ", 1, 10)"
}

// interventionTable is the table of declared interventions.
const interventionTable = "interventions"

// Intervention is the policy of interventions of outside companies' workers:
// both establishments' correspondents, advisers and control agents read them,
// the worker and their physician too; the host site's correspondent or
// adviser declares and ends them (see writeIntervention).
func Intervention() ent.Policy {
	followed := column("worker_id", followedCol)
	either := or(column("site_establishment_id", establishmentCol), column("contractor_establishment_id", establishmentCol))
	return entityPolicy(Rows{
		worker: column("worker_id", selfCol), physician: followed, delegate: followed,
		adviser: either, employer: either, inspector: either, analyst: all,
	}, writeIntervention())
}

// ExceedanceNotice is the policy of the anonymous notices of confirmed
// exceedances: the ministry of labour (DGT) reads them, and the registry's
// analysts, who issue them (DOMAIN.md §1.3: the manager alerts the ministry
// anonymously); only the system writes them, once (never updated).
func ExceedanceNotice() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{policy.AllowSystem(), queryRule(Rows{ministry: all, analyst: all})},
		Mutation: privacy.MutationPolicy{policy.DenyDelete(), policy.DenyUpdate(), policy.AllowSystem(),
			privacy.AlwaysDenyRule()},
	}
}

// ExposureSummary is the policy of the stored standings, which sum every
// dose of record of the worker: only the roles that may read all of those
// read them (the worker, the physician and delegates, analysts). Employers
// read the rows of a limit exceeded by a worker currently employed in their
// establishments, and nothing of the others (no band: RC11; the value
// fields are refused by field entitlement). Advisers and control agents read
// standings computed from the results they may see (Worker.exposure), never
// these sums (RC12, RC14). Standings are derived data: the system may delete
// the row of a limit no longer tracked.
func ExposureSummary() ent.Policy {
	followed := column(exposuresummary.FieldWorkerID, followedCol)
	current := column(exposuresummary.FieldWorkerID, currentlyEmployedCol)
	exceeded := pred(func(s *sql.Selector) *sql.Predicate {
		return sql.EQ(s.C(exposuresummary.FieldStatus), exposuresummary.StatusExceeded)
	})
	rows := Rows{
		worker: column(exposuresummary.FieldWorkerID, selfCol), physician: followed, delegate: followed,
		employer: and(current, exceeded), analyst: all,
	}
	return privacy.Policy{
		Query:    privacy.QueryPolicy{policy.AllowSystem(), queryRule(rows)},
		Mutation: privacy.MutationPolicy{policy.AllowSystem(), privacy.AlwaysDenyRule()},
	}
}

// Anomaly is the policy of findings: employers learn only that a limit was
// exceeded in their establishments; advisers and inspectors never see findings
// on internal dosimetry.
func Anomaly() ent.Policy {
	followed := column(anomaly.FieldWorkerID, followedCol)
	here := column(anomaly.FieldEstablishmentID, establishmentCol)
	return entityPolicy(Rows{
		physician: followed, delegate: followed,
		adviser:  and(here, pred(noInternalDose), adviserFindings),
		employer: and(here, pred(func(s *sql.Selector) *sql.Predicate { return sql.EQ(s.C(anomaly.FieldKind), KindLimitExceeded) })),
		analyst:  all,
	}, nil)
}

// adviserFindings is true for a finding whose evidence lies in the adviser's
// contract period (R.4451-69, RC12, RC14): its period (a limit's window, a
// result's wearing period) inside one employment in their establishments, and
// for findings on the worker's own history (their median, drift, runs of
// zeros, computed over the HistoryYears before the result) that history too.
// A finding across the move between employers is the physician's; the
// adviser reads their own standings (Worker.exposure, limitAlerts).
func adviserFindings(st sets, s *sql.Selector) *sql.Predicate {
	w, start, end := s.C(anomaly.FieldWorkerID), s.C(anomaly.FieldPeriodStart), s.C(anomaly.FieldPeriodEnd)
	inContract := sql.Or(sql.IsNull(start), // a finding on no period (none of detection's)
		sql.And(sql.NEQ(s.C(anomaly.FieldLayer), anomaly.LayerHistory), st.contractCovers(s, w, start, end, 0)),
		st.contractCovers(s, w, start, end, HistoryYears),
	)
	// A limit's or classification's sum counts the committed doses of
	// internal dosimetry, which the adviser does not read: such a finding
	// would tell them a total their results do not make (RC14).
	return sql.And(inContract, sql.Or(sql.NEQ(s.C(anomaly.FieldLayer), anomaly.LayerRegulatory), noInternalInPeriod(s)))
}

// HistoryYears is how far back the detection of history findings reads a
// worker's results (anomaly.Engine loads two years before a batch).
const HistoryYears = 2

// KindLimitExceeded is the anomaly kind employers are told about.
const KindLimitExceeded = "LIMIT_EXCEEDED"

// Dosimeter is the policy of dosimeters.
func Dosimeter() ent.Policy {
	here := column(dosimeter.FieldEstablishmentID, establishmentCol)
	followed := wornBy(followedCol)
	return entityPolicy(Rows{
		worker: wornBy(selfCol), physician: followed, delegate: followed, adviser: here, employer: here,
		lab: column(dosimeter.FieldLaboratoryID, laboratoryCol),
	}, writeDosimeter())
}

// DosimeterAssignment is the policy of wearing periods.
func DosimeterAssignment() ent.Policy {
	followed := column(dosimeterassignment.FieldWorkerID, followedCol)
	here := column(dosimeterassignment.FieldDosimeterID, dosimeterIn(false))
	return entityPolicy(Rows{
		worker: column(dosimeterassignment.FieldWorkerID, selfCol), physician: followed, delegate: followed,
		adviser: here, employer: here, lab: column(dosimeterassignment.FieldDosimeterID, dosimeterIn(true)),
	}, writeAssignment())
}

// Establishment is the policy of establishments (public reference data).
func Establishment() ent.Policy { return entityPolicy(publicRows, writeEstablishment()) }

// Reference is the policy of companies, laboratories and nomenclatures: read
// by all, written by administrators.
func Reference() ent.Policy { return entityPolicy(publicRows, adminWrites()) }

// Account is the policy of accounts: one's own, or all for administrators; a
// physician also sees the accounts of their delegates.
func Account() ent.Policy {
	rows := ownAccountRows("id")
	rows[physician] = or(column("id", accountCol), delegatesOf)
	// Who sent a batch the viewer reads: "envoyé par" on the establishment's
	// batches (a colleague, or the operator that took operational doses here).
	rows[adviser] = or(column("id", accountCol), submittersHere)
	rows[employer] = rows[adviser]
	return entityPolicy(rows, adminWrites())
}

// submittersHere is true for the accounts that submitted a batch sent for one
// of the viewer's establishments, or an operational batch taken there.
func submittersHere(st sets, s *sql.Selector) *sql.Predicate {
	b := sql.Table(importbatch.Table).As("scope_submitted")
	in := sql.Dialect(s.Dialect()).Select(b.C(importbatch.FieldSubmitterID)).From(b)
	in.Where(sql.Or(st.inEstablishments(in, b.C(importbatch.FieldEstablishmentID)), operationalBatchHere(st, in)))
	return sql.In(s.C("id"), in)
}

// delegatesOf is true for the accounts holding a delegation of the viewer's grants.
func delegatesOf(st sets, s *sql.Selector) *sql.Predicate {
	if len(st.grantIDs) == 0 {
		return sql.False()
	}
	g := sql.Table(grant.Table).As("scope_delegation")
	return sql.In(s.C("id"), sql.Dialect(s.Dialect()).Select(g.C(grant.FieldAccountID)).From(g).
		Where(sql.In(g.C(grant.FieldDelegatedFromID), st.grantIDs...)))
}

// Grant is the policy of grants: one's own and, for a physician, the
// delegations made from them.
func Grant() ent.Policy {
	rows := ownAccountRows(grant.FieldAccountID)
	rows[physician] = or(column(grant.FieldAccountID, accountCol), delegationsOf)
	return entityPolicy(rows, writeGrant())
}

// ApiKey is the policy of partner keys: one's own, or all for administrators.
func ApiKey() ent.Policy { return entityPolicy(ownAccountRows(apikey.FieldAccountID), adminWrites()) }

// ImportBatch is the policy of submitted batches: a laboratory reads its own;
// the correspondents and advisers of an establishment read the batches they
// sent, those sent for it alone (declarations or operational dosimetry by a
// submitter of that one establishment, see ingest), and the operational
// batches whose every dose was taken there (arrêté 2023 art. 17: either of
// them transmits the establishment's operational dosimetry).
func ImportBatch() ent.Policy {
	establishment := or(column(importbatch.FieldSubmitterID, accountCol),
		column(importbatch.FieldEstablishmentID, establishmentCol), operationalBatchHere)
	return entityPolicy(Rows{
		lab:      column(importbatch.FieldLaboratoryID, laboratoryCol),
		employer: establishment, adviser: establishment,
	}, nil)
}

// BatchFinding is the policy of the findings on laboratory batches: the
// laboratory that sent the batch and the agency (analysts, administrators)
// read them; employers and advisers never do (they read the mention of it on
// the worker findings it explains). Written by the system only.
func BatchFinding() ent.Policy {
	return entityPolicy(Rows{lab: column("laboratory_id", laboratoryCol), analyst: all, admin: all}, nil)
}

// operationalBatchHere is true for an operational batch that wrote doses, all
// of them in the viewer's establishments.
func operationalBatchHere(st sets, s *sql.Selector) *sql.Predicate {
	d := sql.Table(operationaldose.Table).As("scope_batch_dose")
	o := sql.Table(operationaldose.Table).As("scope_batch_other")
	return sql.And(
		sql.Exists(sql.Dialect(s.Dialect()).Select(d.C(operationaldose.FieldID)).From(d).
			Where(sql.ColumnsEQ(d.C(operationaldose.FieldImportBatchID), s.C(importbatch.FieldID)))),
		sql.NotExists(sql.Dialect(s.Dialect()).Select(o.C(operationaldose.FieldID)).From(o).
			Where(sql.And(sql.ColumnsEQ(o.C(operationaldose.FieldImportBatchID), s.C(importbatch.FieldID)),
				sql.Not(st.inEstablishments(s, o.C(operationaldose.FieldEstablishmentID)))))),
	)
}

// AuditEvent is the policy of the audit log: workers read the events about
// them; administrators search all. Nobody but the system writes it.
func AuditEvent() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{policy.AllowSystem(), queryRule(Rows{worker: aboutSelf, admin: all})},
		Mutation: privacy.MutationPolicy{policy.DenyDelete(), policy.DenyUpdate(), policy.AllowSystem(),
			privacy.AlwaysDenyRule()},
	}
}

// AuditSubject is the policy of the audit log's index by worker.
func AuditSubject() ent.Policy {
	return privacy.Policy{
		Query: privacy.QueryPolicy{policy.AllowSystem(), queryRule(Rows{
			worker: column(auditsubject.FieldWorkerID, selfCol), admin: all})},
		Mutation: privacy.MutationPolicy{policy.DenyDelete(), policy.DenyUpdate(), policy.AllowSystem(),
			privacy.AlwaysDenyRule()},
	}
}

// SystemOnly is the policy of sessions: only the system reads or writes them.
func SystemOnly() ent.Policy { return entityPolicy(Rows{}, nil) }

// delegationsOf is true for grants delegated from one of the viewer's grants.
func delegationsOf(st sets, s *sql.Selector) *sql.Predicate {
	if len(st.grantIDs) == 0 {
		return sql.False()
	}
	return sql.In(s.C(grant.FieldDelegatedFromID), st.grantIDs...)
}

// DoseConstraint is the policy of the employer's dose constraints: the
// adviser, the employer correspondent, the occupational physician and the
// control agent of the establishment read them; the adviser and the employer
// correspondent set and end them (see writeDoseConstraint).
func DoseConstraint() ent.Policy {
	here := column("establishment_id", establishmentCol)
	return entityPolicy(Rows{physician: here, adviser: here, employer: here, inspector: here}, writeDoseConstraint())
}
