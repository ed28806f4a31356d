// Package constraint records the employer's dose constraints (« contraintes
// de dose », R.4451-33) that an establishment's radiation protection adviser
// sets for the establishment, or one job of it, and one limit over 12 rolling
// months. A constraint is never edited: setting a new value ends the one in
// force (valid_to, ended_by), so the history of constraints stays. Detection
// compares each result with the constraint in force pro-rated to its wearing
// period (anomaly.CheckConstraint); with none, the default is 3/10 of the
// limit (dosimetry.DefaultConstraint).
package constraint

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/doseconstraint"
	"github.com/siseri/siseri/policy"
)

// Setting is a constraint as the adviser sets it.
type Setting struct {
	EstablishmentID int
	// JobCode is the job it applies to; nil or blank for every job.
	JobCode   *string
	Limit     dosimetry.LimitCode
	AnnualUSv int64
	Comment   string
}

// lockKey tags the PostgreSQL advisory lock that serialises the setting of an
// establishment's constraints (lockKey<<44 | establishment id: ids are global
// ids below 2^44), so that two concurrent settings never leave two
// constraints in force.
const lockKey int64 = 0x51C0

// Set records a new dose constraint in the transaction of client and ends the
// one in force for the same establishment, job and limit. It returns
// FORBIDDEN unless the caller acts as an adviser or employer correspondent of
// the establishment (the ent privacy rule), BAD_USER_INPUT for a value that is
// not positive or a limit that takes no constraint, and CONSTRAINT_ABOVE_LIMIT
// for a value above the limit. postgres takes the establishment's lock.
func Set(ctx context.Context, client *ent.Client, s Setting, now time.Time, postgres bool) (*ent.DoseConstraint, error) {
	v := policy.FromContext(ctx)
	if !v.Acts(policy.RoleRPA) && !v.Acts(policy.RoleEmployer) {
		return nil, apperr.New(apperr.Forbidden, "Seuls le conseiller en radioprotection et le correspondant de l'employeur de l'établissement fixent ses contraintes de dose.")
	}
	if ok, err := inScope(ctx, client, s.EstablishmentID); err != nil {
		return nil, err
	} else if !ok {
		return nil, apperr.New(apperr.Forbidden, "Vous n'êtes pas habilité à fixer les contraintes de dose de cet établissement.")
	}
	l, ok := dosimetry.LimitAt(s.Limit, now, dosimetry.StatusAdult)
	if !ok || l.Window != dosimetry.WindowRolling12 || !constrained(s.Limit) {
		return nil, apperr.Invalid("input.limit", string(s.Limit),
			"Une contrainte de dose se fixe pour la dose efficace, les extrémités, le cristallin ou la peau.")
	}
	if s.AnnualUSv <= 0 {
		return nil, apperr.Invalid("input.annualUsv", s.AnnualUSv, "La contrainte de dose doit être strictement positive.")
	}
	if s.AnnualUSv > int64(l.Value) {
		return nil, &apperr.Error{Code: apperr.ConstraintAboveLimit, Field: "input.annualUsv", Value: s.AnnualUSv,
			Message: fmt.Sprintf("La contrainte de dose (%s sur 12 mois) dépasse la limite réglementaire (%s sur 12 mois) : elle doit lui être inférieure ou égale.",
				msv(s.AnnualUSv), msv(int64(l.Value)))}
	}
	job := jobOf(s.JobCode)
	if job != nil && len(*job) > 20 {
		return nil, apperr.Invalid("input.jobCode", *job, "Le code métier compte au plus 20 caractères.")
	}
	if postgres {
		if _, err := client.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", lockKey<<44|int64(s.EstablishmentID)); err != nil {
			return nil, fmt.Errorf("lock dose constraints: %w", err)
		}
	}
	saved, err := client.DoseConstraint.Create().SetEstablishmentID(s.EstablishmentID).SetNillableJobCode(job).
		SetLimitCode(doseconstraint.LimitCode(s.Limit)).SetAnnualUsv(s.AnnualUSv).SetValidFrom(now).
		SetSetByID(v.AccountID).SetComment(strings.TrimSpace(s.Comment)).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("set dose constraint: %w", err)
	}
	// The one in force for the same establishment, job and limit ends now.
	q := client.DoseConstraint.Update().Where(doseconstraint.EstablishmentID(s.EstablishmentID),
		doseconstraint.LimitCodeEQ(doseconstraint.LimitCode(s.Limit)), doseconstraint.ValidToIsNil(), doseconstraint.IDNEQ(saved.ID))
	if job == nil {
		q.Where(doseconstraint.JobCodeIsNil())
	} else {
		q.Where(doseconstraint.JobCode(*job))
	}
	if err := q.SetValidTo(now).SetEndedByID(v.AccountID).Exec(ctx); err != nil {
		return nil, fmt.Errorf("end previous dose constraint: %w", err)
	}
	return saved, nil
}

// End ends a constraint in force: the establishment falls back on its
// establishment-wide constraint, then on the default. It returns NOT_FOUND for
// a constraint the caller may not see, FORBIDDEN unless the caller may set the
// establishment's constraints, and CONFLICT for one already ended.
func End(ctx context.Context, client *ent.Client, id int, now time.Time) (*ent.DoseConstraint, error) {
	c, err := client.DoseConstraint.Get(ctx, id) // under the viewer's row scope
	if err != nil {
		return nil, err
	}
	v := policy.FromContext(ctx)
	if !v.Acts(policy.RoleRPA) && !v.Acts(policy.RoleEmployer) {
		return nil, apperr.New(apperr.Forbidden, "Seuls le conseiller en radioprotection et le correspondant de l'employeur de l'établissement mettent fin à ses contraintes de dose.")
	}
	if c.ValidTo != nil {
		return nil, apperr.New(apperr.Conflict, "Cette contrainte de dose a déjà pris fin le %s.", c.ValidTo.Format("02/01/2006"))
	}
	saved, err := client.DoseConstraint.UpdateOne(c).SetValidTo(now).SetEndedByID(v.AccountID).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("end dose constraint: %w", err)
	}
	return saved, nil
}

// Entry is a constraint that applies in an establishment: one set (Constraint
// not nil) or the default of a limit.
type Entry struct {
	Limit      dosimetry.LimitCode
	JobCode    *string
	AnnualUSv  int64
	LimitUSv   int64
	Constraint *ent.DoseConstraint
}

// List returns the establishment's constraints in force (with ended, every
// version, newest first) and, for each limit with no establishment-wide
// constraint in force, its default (3/10 of the adult limit in force at now).
// The rows are read under the viewer's scope: a caller who may not read the
// establishment's constraints gets FORBIDDEN.
func List(ctx context.Context, client *ent.Client, establishment int, ended bool, now time.Time) ([]Entry, error) {
	if !mayRead(policy.FromContext(ctx)) {
		return nil, apperr.New(apperr.Forbidden, "Vous n'avez pas accès aux contraintes de dose de cet établissement.")
	}
	if ok, err := inScope(ctx, client, establishment); err != nil {
		return nil, err
	} else if !ok {
		return nil, apperr.New(apperr.Forbidden, "Vous n'avez pas accès aux contraintes de dose de cet établissement.")
	}
	q := client.DoseConstraint.Query().Where(doseconstraint.EstablishmentID(establishment)).
		Order(ent.Asc(doseconstraint.FieldLimitCode), ent.Asc(doseconstraint.FieldJobCode), ent.Desc(doseconstraint.FieldValidFrom), ent.Desc(doseconstraint.FieldID))
	if !ended {
		q.Where(doseconstraint.ValidToIsNil())
	}
	rows, err := q.All(ctx)
	if err != nil {
		return nil, fmt.Errorf("list dose constraints: %w", err)
	}
	wide := map[dosimetry.LimitCode]bool{}
	var out []Entry
	for _, r := range rows {
		code := dosimetry.LimitCode(r.LimitCode)
		l, _ := dosimetry.LimitAt(code, now, dosimetry.StatusAdult)
		out = append(out, Entry{Limit: code, JobCode: r.JobCode, AnnualUSv: r.AnnualUsv, LimitUSv: int64(l.Value), Constraint: r})
		if r.JobCode == nil && r.ValidTo == nil {
			wide[code] = true
		}
	}
	for _, code := range dosimetry.ConstrainedLimits {
		if wide[code] {
			continue
		}
		l, ok := dosimetry.LimitAt(code, now, dosimetry.StatusAdult)
		if !ok {
			continue
		}
		def, err := dosimetry.DefaultConstraint(l)
		if err != nil {
			continue
		}
		out = append(out, Entry{Limit: code, AnnualUSv: int64(def), LimitUSv: int64(l.Value)})
	}
	return out, nil
}

// mayRead: the establishment's adviser, employer correspondent, occupational
// physician and control agent read its constraints.
func mayRead(v *policy.Viewer) bool {
	return v.Acts(policy.RoleRPA) || v.Acts(policy.RoleEmployer) || v.Acts(policy.RolePhysician) || v.Acts(policy.RoleControlAgent)
}

// inScope reports whether the establishment is one of the viewer's: granted
// directly, through its company or its region.
func inScope(ctx context.Context, client *ent.Client, establishment int) (bool, error) {
	sys := policy.SystemContext(ctx)
	for _, g := range policy.FromContext(ctx).Scope() {
		switch {
		case g.EstablishmentID != 0:
			if g.EstablishmentID == establishment {
				return true, nil
			}
		case g.CompanyID != 0 || g.Region != "":
			e, err := client.Establishment.Get(sys, establishment)
			if ent.IsNotFound(err) {
				return false, nil
			}
			if err != nil {
				return false, fmt.Errorf("find establishment: %w", err)
			}
			if (g.CompanyID != 0 && e.CompanyID == g.CompanyID) || (g.Region != "" && e.Region == g.Region) {
				return true, nil
			}
		}
	}
	return false, nil
}

func constrained(code dosimetry.LimitCode) bool {
	for _, c := range dosimetry.ConstrainedLimits {
		if c == code {
			return true
		}
	}
	return false
}

func jobOf(p *string) *string {
	if p == nil {
		return nil
	}
	j := strings.TrimSpace(*p)
	if j == "" {
		return nil
	}
	return &j
}

// msv writes µSv as mSv in French: « 14 mSv », « 0,5 mSv ».
func msv(usv int64) string {
	return strings.Replace(strings.TrimSuffix(strings.TrimRight(fmt.Sprintf("%.3f", float64(usv)/1000), "0"), "."), ".", ",", 1) + " mSv"
}
