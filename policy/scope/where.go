package scope

import (
	"fmt"

	"entgo.io/ent"
	"entgo.io/ent/dialect/sql"

	gen "github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/predicate"
)

// whereQuery adds a SQL predicate to any generated query.
func whereQuery(query ent.Query, p func(*sql.Selector)) error {
	switch q := query.(type) {
	case *gen.AccountQuery:
		q.Where(predicate.Account(p))
	case *gen.AnomalyQuery:
		q.Where(predicate.Anomaly(p))
	case *gen.NotificationSubscriptionQuery:
		q.Where(predicate.NotificationSubscription(p))
	case *gen.NotificationEventQuery:
		q.Where(predicate.NotificationEvent(p))
	case *gen.OutboxMessageQuery:
		q.Where(predicate.OutboxMessage(p))
	case *gen.ApiKeyQuery:
		q.Where(predicate.ApiKey(p))
	case *gen.AuditEventQuery:
		q.Where(predicate.AuditEvent(p))
	case *gen.BatchFindingQuery:
		q.Where(predicate.BatchFinding(p))
	case *gen.AuditSubjectQuery:
		q.Where(predicate.AuditSubject(p))
	case *gen.CompanyQuery:
		q.Where(predicate.Company(p))
	case *gen.DoseConflictQuery:
		q.Where(predicate.DoseConflict(p))
	case *gen.DoseRecordQuery:
		q.Where(predicate.DoseRecord(p))
	case *gen.DosimeterQuery:
		q.Where(predicate.Dosimeter(p))
	case *gen.DosimeterAssignmentQuery:
		q.Where(predicate.DosimeterAssignment(p))
	case *gen.EmploymentQuery:
		q.Where(predicate.Employment(p))
	case *gen.DoseConstraintQuery:
		q.Where(predicate.DoseConstraint(p))
	case *gen.EstablishmentQuery:
		q.Where(predicate.Establishment(p))
	case *gen.ExceedanceNoticeQuery:
		q.Where(predicate.ExceedanceNotice(p))
	case *gen.ExposureSummaryQuery:
		q.Where(predicate.ExposureSummary(p))
	case *gen.GrantQuery:
		q.Where(predicate.Grant(p))
	case *gen.ImportBatchQuery:
		q.Where(predicate.ImportBatch(p))
	case *gen.InterventionQuery:
		q.Where(predicate.Intervention(p))
	case *gen.LaboratoryQuery:
		q.Where(predicate.Laboratory(p))
	case *gen.NomenclatureQuery:
		q.Where(predicate.Nomenclature(p))
	case *gen.OperationalDoseQuery:
		q.Where(predicate.OperationalDose(p))
	case *gen.SessionQuery:
		q.Where(predicate.Session(p))
	case *gen.WorkerQuery:
		q.Where(predicate.Worker(p))
	default:
		return fmt.Errorf("scope: unexpected query type %T", query)
	}
	return nil
}

// whereMutation adds a SQL predicate to any generated update or delete.
func whereMutation(mutation ent.Mutation, p func(*sql.Selector)) error {
	switch m := mutation.(type) {
	case *gen.AccountMutation:
		m.Where(predicate.Account(p))
	case *gen.AnomalyMutation:
		m.Where(predicate.Anomaly(p))
	case *gen.ApiKeyMutation:
		m.Where(predicate.ApiKey(p))
	case *gen.AuditEventMutation:
		m.Where(predicate.AuditEvent(p))
	case *gen.AuditSubjectMutation:
		m.Where(predicate.AuditSubject(p))
	case *gen.CompanyMutation:
		m.Where(predicate.Company(p))
	case *gen.DoseRecordMutation:
		m.Where(predicate.DoseRecord(p))
	case *gen.DosimeterMutation:
		m.Where(predicate.Dosimeter(p))
	case *gen.DosimeterAssignmentMutation:
		m.Where(predicate.DosimeterAssignment(p))
	case *gen.EmploymentMutation:
		m.Where(predicate.Employment(p))
	case *gen.EstablishmentMutation:
		m.Where(predicate.Establishment(p))
	case *gen.ExposureSummaryMutation:
		m.Where(predicate.ExposureSummary(p))
	case *gen.DoseConstraintMutation:
		m.Where(predicate.DoseConstraint(p))
	case *gen.GrantMutation:
		m.Where(predicate.Grant(p))
	case *gen.ImportBatchMutation:
		m.Where(predicate.ImportBatch(p))
	case *gen.BatchFindingMutation:
		m.Where(predicate.BatchFinding(p))
	case *gen.InterventionMutation:
		m.Where(predicate.Intervention(p))
	case *gen.LaboratoryMutation:
		m.Where(predicate.Laboratory(p))
	case *gen.NomenclatureMutation:
		m.Where(predicate.Nomenclature(p))
	case *gen.OperationalDoseMutation:
		m.Where(predicate.OperationalDose(p))
	case *gen.SessionMutation:
		m.Where(predicate.Session(p))
	case *gen.WorkerMutation:
		m.Where(predicate.Worker(p))
	default:
		return fmt.Errorf("scope: unexpected mutation type %T", mutation)
	}
	return nil
}
