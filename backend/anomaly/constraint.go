package anomaly

import (
	"context"
	"fmt"

	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/doseconstraint"
)

// constraintKey names a dose constraint: an establishment, a job code (""
// for every job of the establishment) and a limit.
type constraintKey struct {
	establishment int
	job           string
	limit         dosimetry.LimitCode
}

// Constraint is an employer's dose constraint in force.
type Constraint struct {
	ID        int
	AnnualUSv dosimetry.Microsievert
	// Job is the job code it applies to, "" for every job.
	Job string
}

// Constraints are the dose constraints in force of some establishments.
type Constraints map[constraintKey]Constraint

// LoadConstraints reads, in one query, the dose constraints in force (not
// ended) of the establishments of the batch's doses: a result is judged
// against the constraints in force when it arrives.
func LoadConstraints(ctx context.Context, client *ent.Client, batch []Dose) (Constraints, error) {
	seen := map[int]bool{}
	var ids []int
	for _, d := range batch {
		if d.EstablishmentID != 0 && !seen[d.EstablishmentID] {
			seen[d.EstablishmentID] = true
			ids = append(ids, d.EstablishmentID)
		}
	}
	out := Constraints{}
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := client.DoseConstraint.Query().Where(doseconstraint.EstablishmentIDIn(ids...), doseconstraint.ValidToIsNil()).
		All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load dose constraints: %w", err)
	}
	for _, r := range rows {
		c := Constraint{ID: r.ID, AnnualUSv: dosimetry.Microsievert(r.AnnualUsv)}
		if r.JobCode != nil {
			c.Job = *r.JobCode
		}
		out[constraintKey{r.EstablishmentID, c.Job, dosimetry.LimitCode(r.LimitCode)}] = c
	}
	return out, nil
}

// For returns the constraint that applies to a result of job in
// establishment for a limit: the job's own, else the establishment-wide one;
// false when the employer set none (the default applies).
func (cs Constraints) For(establishment int, job string, code dosimetry.LimitCode) (Constraint, bool) {
	if job != "" {
		if c, ok := cs[constraintKey{establishment, job, code}]; ok {
			return c, true
		}
	}
	c, ok := cs[constraintKey{establishment, "", code}]
	return c, ok
}

// constrainedLimit is the limit a monitoring kind's results count toward for
// dose constraints.
var constrainedLimit = map[string]dosimetry.LimitCode{
	"PASSIVE_WHOLE_BODY": dosimetry.LimitEffective, "NEUTRON": dosimetry.LimitEffective, "INTERNAL": dosimetry.LimitEffective,
	"AVIATION": dosimetry.LimitEffective, "RADON": dosimetry.LimitEffective, "EXTREMITY": dosimetry.LimitExtremity,
	"SKIN": dosimetry.LimitSkin, "LENS": dosimetry.LimitLens,
}

// CheckConstraint compares a single result with the dose constraint of its
// establishment and job (the job's beats the establishment's, which beats the
// default of 3/10 of the limit), pro-rated to its wearing period. Above it,
// the finding is a notice (LayerConstraint, INFO), never an anomaly.
func (c Config) CheckConstraint(w Worker, d Dose, cs Constraints) (Finding, bool) {
	code := constrainedLimit[d.Context.Kind]
	if code == "" || d.Zero || d.Absent {
		return Finding{}, false
	}
	l, ok := dosimetry.LimitAt(code, d.End, dosimetry.StatusAt(w.Person.Birth, d.Start, false))
	if !ok || l.Window != dosimetry.WindowRolling12 {
		return Finding{}, false
	}
	months := max(1, min(12, d.Context.Months))
	set, ok := cs.For(d.EstablishmentID, d.Context.Job, code)
	annual, source, constraintID := set.AnnualUSv, "ESTABLISHMENT", set.ID
	if set.Job != "" {
		source = "JOB"
	}
	if !ok {
		def, err := dosimetry.DefaultConstraint(l)
		if err != nil {
			return Finding{}, false
		}
		annual, source, constraintID = def, "DEFAULT", 0
	}
	level, err := dosimetry.ConstraintLevel(annual, months)
	if err != nil || dosimetry.Microsievert(d.USv) <= level {
		return Finding{}, false
	}
	values := fmt.Sprintf("%s sur 12 mois, soit %s pour la période", mSv(float64(annual)), mSv(float64(level)))
	which := fmt.Sprintf("de la contrainte de dose de l'établissement (%s)", values)
	switch source {
	case "JOB":
		which = fmt.Sprintf("de la contrainte de dose de l'établissement pour ce métier (%s)", values)
	case "DEFAULT":
		which = fmt.Sprintf("du niveau par défaut (3/10 de la limite : %s), l'employeur n'ayant pas fixé de contrainte de dose", values)
	}
	ref := map[string]any{"limit": string(code), "annualUsv": int64(annual), "levelUsv": int64(level), "months": months,
		"source": source}
	if constraintID != 0 {
		ref["constraintId"] = constraintID
	}
	return d.finding(KindConstraint, LayerConstraint, SeverityInfo, float64(d.USv)/float64(level),
		fmt.Sprintf("%s de %s en %s : au-dessus %s.", upper(quantityLabel(d.Quantity)), mSv(float64(d.USv)),
			period(d.Start, d.End), which),
		ref, d.naturalKey()), true
}
