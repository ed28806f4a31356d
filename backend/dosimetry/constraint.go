package dosimetry

import "fmt"

// ConstrainedLimits are the limits an employer may set a dose constraint for
// (R.4451-33): those over 12 rolling months of adult workers.
var ConstrainedLimits = []LimitCode{LimitEffective, LimitExtremity, LimitLens, LimitSkin}

// DefaultConstraint is the dose constraint that applies when the employer set
// none: 3/10 of the limit over 12 rolling months, so that pro-rated to a
// period it is the investigation level (InvestigationLevel). Only limits over
// 12 rolling months have one.
func DefaultConstraint(limit Limit) (Microsievert, error) {
	if limit.Window != WindowRolling12 {
		return 0, fmt.Errorf("Une contrainte de dose n'est définie que pour une limite sur 12 mois glissants (limite %s).", limit.Code)
	}
	return limit.Value * 3 / 10, nil
}

// ConstraintLevel pro-rates a dose constraint over 12 rolling months to a
// monitoring period of the given number of months (1 to 12): annual ×
// months / 12, rounded down to the µSv. For the default constraint it equals
// InvestigationLevel.
func ConstraintLevel(annual Microsievert, months int) (Microsievert, error) {
	if months < 1 || months > 12 {
		return 0, fmt.Errorf("La durée de la période de surveillance doit être comprise entre 1 et 12 mois (reçu %d).", months)
	}
	return annual * Microsievert(months) / 12, nil
}
