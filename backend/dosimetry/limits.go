package dosimetry

import (
	"fmt"
	"time"
)

// LimitCode is the stable code of a regulatory dose limit.
type LimitCode string

// Limit codes.
const (
	// LimitEffective is the effective dose limit (external + internal).
	LimitEffective LimitCode = "EFFECTIVE"
	// LimitExtremity is the equivalent dose limit for the extremities.
	LimitExtremity LimitCode = "EXTREMITY"
	// LimitSkin is the equivalent dose limit for the skin (any 1 cm²).
	LimitSkin LimitCode = "SKIN"
	// LimitLens is the equivalent dose limit for the lens of the eye over 12
	// consecutive months.
	LimitLens LimitCode = "LENS"
	// LimitLensTransition is the cumulated lens limit over the whole
	// transition period 2018-07-01 – 2023-06-30.
	LimitLensTransition LimitCode = "LENS_TRANSITION"
	// LimitPregnancy is the limit for the unborn child of a pregnant worker.
	LimitPregnancy LimitCode = "PREGNANCY"
)

// WindowKind says over which period a limit is evaluated.
type WindowKind string

// Window kinds.
const (
	// WindowRolling12 is any 12 consecutive months (see RollingSum).
	WindowRolling12 WindowKind = "ROLLING_12_MONTHS"
	// WindowTransitionTotal is the whole span of the limit itself, From to
	// To inclusive (used by LimitLensTransition).
	WindowTransitionTotal WindowKind = "TRANSITION_TOTAL"
	// WindowPregnancy runs from the declaration of pregnancy to birth.
	WindowPregnancy WindowKind = "DECLARATION_TO_BIRTH"
)

// Population is the group of people a limit protects.
type Population string

// Populations.
const (
	// PopulationAdult is workers aged 18 or more.
	PopulationAdult Population = "ADULT"
	// PopulationYoung is young workers aged 16 to 18 (see IsYoungWorker).
	PopulationYoung Population = "YOUNG"
	// PopulationUnbornChild is the unborn child of a pregnant worker.
	PopulationUnbornChild Population = "UNBORN_CHILD"
)

// WorkerStatus is a set of flags describing a worker for LimitsAt.
type WorkerStatus uint8

// Worker status flags; combine them with |.
const (
	// StatusAdult is the empty set: an adult, not pregnant.
	StatusAdult WorkerStatus = 0
	// StatusYoung marks a young worker aged 16 to 18.
	StatusYoung WorkerStatus = 1 << 0
	// StatusPregnant marks a worker who has declared a pregnancy.
	StatusPregnant WorkerStatus = 1 << 1
)

// Has reports whether all flags of f are set in s.
func (s WorkerStatus) Has(f WorkerStatus) bool { return s&f == f }

// Limit is one row of the regulatory limits table.
type Limit struct {
	Code       LimitCode
	Population Population
	Quantity   Quantity
	Value      Microsievert
	Window     WindowKind
	// From and To are the first and last civil days (inclusive, UTC
	// midnight) the limit is in force; a zero time means unbounded.
	From, To time.Time
	// Source is the legal reference, in French.
	Source string
	// Unverified marks a value not yet checked against the legal text.
	Unverified bool
	// Below marks a limit the dose must stay strictly below (R.4451-7: the
	// unborn child's exposure « inférieure à 1 mSv »): reaching Value
	// exactly exceeds it. For the other limits reaching Value respects it.
	Below bool
}

// ExceededBy reports whether a dose of sum exceeds the limit: strictly above
// Value, or from Value itself for a Below limit.
func (l Limit) ExceededBy(sum Microsievert) bool {
	if l.Below {
		return sum >= l.Value
	}
	return sum > l.Value
}

// InForce reports whether the limit applies on the civil day of date.
func (l Limit) InForce(date time.Time) bool {
	d := civilDay(date)
	return (l.From.IsZero() || !d.Before(l.From)) && (l.To.IsZero() || !d.After(l.To))
}

func civilDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func mSv(n int64) Microsievert { return Microsievert(n * 1000) }

var (
	reform2018     = day(2018, time.July, 1)  // decree 2018-437 in force
	before2018     = day(2018, time.June, 30) // last day of the former limits
	lensFinal      = day(2023, time.July, 1)  // end of the lens transition
	lensTransition = day(2023, time.June, 30)
	zero           time.Time
)

// limits is the table. Rows before 2018-07-01 come from the former
// R.4451-12/13 (decree 2003-296) and are marked unverified: no source was
// retrieved for them. The table does not model limits before that decree.
var limits = []Limit{
	// Former limits, until 2018-06-30.
	{LimitEffective, PopulationAdult, QuantityE, mSv(20), WindowRolling12, zero, before2018, "Code du travail, ancien art. R.4451-12 (décret 2003-296)", true, false},
	{LimitExtremity, PopulationAdult, QuantityHp007, mSv(500), WindowRolling12, zero, before2018, "Code du travail, ancien art. R.4451-12 (décret 2003-296)", true, false},
	{LimitSkin, PopulationAdult, QuantityHp007, mSv(500), WindowRolling12, zero, before2018, "Code du travail, ancien art. R.4451-12 (décret 2003-296)", true, false},
	{LimitLens, PopulationAdult, QuantityHp3, mSv(150), WindowRolling12, zero, before2018, "Code du travail, ancien art. R.4451-12 (décret 2003-296)", true, false},
	{LimitEffective, PopulationYoung, QuantityE, mSv(6), WindowRolling12, zero, before2018, "Code du travail, ancien art. R.4451-13 (décret 2003-296)", true, false},
	{LimitExtremity, PopulationYoung, QuantityHp007, mSv(150), WindowRolling12, zero, before2018, "Code du travail, ancien art. R.4451-13 (décret 2003-296)", true, false},
	{LimitSkin, PopulationYoung, QuantityHp007, mSv(150), WindowRolling12, zero, before2018, "Code du travail, ancien art. R.4451-13 (décret 2003-296)", true, false},
	{LimitLens, PopulationYoung, QuantityHp3, mSv(45), WindowRolling12, zero, before2018, "Code du travail, ancien art. R.4451-13 (décret 2003-296)", true, false},
	{LimitPregnancy, PopulationUnbornChild, QuantityE, mSv(1), WindowPregnancy, zero, before2018, "Code du travail, ancien art. R.4451-45 (décret 2003-296)", true, true},

	// Decree 2018-437, from 2018-07-01.
	{LimitEffective, PopulationAdult, QuantityE, mSv(20), WindowRolling12, reform2018, zero, "Code du travail, art. R.4451-6 1°", false, false},
	{LimitExtremity, PopulationAdult, QuantityHp007, mSv(500), WindowRolling12, reform2018, zero, "Code du travail, art. R.4451-6 2° a", false, false},
	{LimitSkin, PopulationAdult, QuantityHp007, mSv(500), WindowRolling12, reform2018, zero, "Code du travail, art. R.4451-6 2° a", false, false},
	{LimitLens, PopulationAdult, QuantityHp3, mSv(50), WindowRolling12, reform2018, lensTransition, "Décret 2018-437, art. 7 (période transitoire, note sous R.4451-6)", false, false},
	{LimitLensTransition, PopulationAdult, QuantityHp3, mSv(100), WindowTransitionTotal, reform2018, lensTransition, "Décret 2018-437, art. 7 (période transitoire, note sous R.4451-6)", false, false},
	{LimitLens, PopulationAdult, QuantityHp3, mSv(20), WindowRolling12, lensFinal, zero, "Code du travail, art. R.4451-6 2° b", false, false},
	// The article number for young workers comes from the alert rules
	// (R.4451-6, R.4451-8, R.4451-9); the values from the ASN table.
	{LimitEffective, PopulationYoung, QuantityE, mSv(6), WindowRolling12, reform2018, zero, "Code du travail, art. R.4451-8", false, false},
	{LimitExtremity, PopulationYoung, QuantityHp007, mSv(150), WindowRolling12, reform2018, zero, "Code du travail, art. R.4451-8", false, false},
	{LimitSkin, PopulationYoung, QuantityHp007, mSv(150), WindowRolling12, reform2018, zero, "Code du travail, art. R.4451-8", false, false},
	{LimitLens, PopulationYoung, QuantityHp3, mSv(15), WindowRolling12, reform2018, zero, "Code du travail, art. R.4451-8 (valeur non vérifiée, tableau ASN tronqué)", true, false},
	{LimitPregnancy, PopulationUnbornChild, QuantityE, mSv(1), WindowPregnancy, reform2018, zero, "Code du travail, art. R.4451-7", false, true},
}

// Limits returns a copy of the whole limits table, in a stable order.
func Limits() []Limit {
	return append([]Limit(nil), limits...)
}

// LimitsAt returns the limits in force on the civil day of date for a
// worker with the given status: the adult or young-worker limits, plus the
// unborn-child limit when StatusPregnant is set. During the lens transition
// (2018-07-01 – 2023-06-30) an adult gets two lens rows: LENS (50 mSv over
// any 12 consecutive months) and LENS_TRANSITION (100 mSv over the period);
// the caller evaluates both.
func LimitsAt(date time.Time, status WorkerStatus) []Limit {
	var out []Limit
	for _, l := range limits {
		if l.appliesTo(status) && l.InForce(date) {
			out = append(out, l)
		}
	}
	return out
}

// appliesTo reports whether the limit's population is the worker's: adults
// or young workers, plus the unborn child during a declared pregnancy.
func (l Limit) appliesTo(status WorkerStatus) bool {
	pop := PopulationAdult
	if status.Has(StatusYoung) {
		pop = PopulationYoung
	}
	return l.Population == pop || (l.Population == PopulationUnbornChild && status.Has(StatusPregnant))
}

// LimitAt returns the limit with the given code in force on date for the
// status, and false when there is none (e.g. LENS_TRANSITION after 2023).
func LimitAt(code LimitCode, date time.Time, status WorkerStatus) (Limit, bool) {
	// LimitsAt without building the list: exposure asks it for every
	// worker, limit and window.
	for _, l := range limits {
		if l.Code == code && l.appliesTo(status) && l.InForce(date) {
			return l, true
		}
	}
	return Limit{}, false
}

// InvestigationLevel returns the investigation level for a monitoring
// period of the given number of months: 3/10 of the limit pro-rated to the
// period, i.e. Value × 3/10 × months/12, rounded down to the µSv so that the
// level is never above the exact value. Only limits over 12 rolling months
// can be pro-rated; months must be 1 to 12.
//
// The 3/10 ratio is a project convention, not a value from the sources.
func InvestigationLevel(limit Limit, months int) (Microsievert, error) {
	if limit.Window != WindowRolling12 {
		return 0, fmt.Errorf("Le niveau d'investigation n'est défini que pour une limite sur 12 mois glissants (limite %s).", limit.Code)
	}
	if months < 1 || months > 12 {
		return 0, fmt.Errorf("La durée de la période de surveillance doit être comprise entre 1 et 12 mois (reçu %d).", months)
	}
	return limit.Value * 3 * Microsievert(months) / 120, nil
}

// CountsToward reports whether a result of monitoring kind and quantity (their
// codes) counts toward the limit code: Hp(10), E(50) and E for the effective
// dose (and the unborn child's), the results of extremity and lens dosimeters
// for theirs, and for the skin both skin dosimeters and the Hp(0.07) that a
// whole-body badge reports beside its Hp(10) (a whole-body Hp(0.07) never
// counts toward the effective dose). A skin dosimeter and a whole-body badge
// worn over the same period are summed, which can only overstate the skin
// dose. Operational dosimetry never counts: it is not a dose of record.
func CountsToward(code LimitCode, kind, quantity string) bool {
	if kind == string(KindOperational) {
		return false
	}
	switch code {
	case LimitEffective, LimitPregnancy:
		return quantity == string(QuantityHp10) || quantity == string(QuantityE50) || quantity == string(QuantityE)
	case LimitExtremity:
		return kind == string(KindExtremity)
	case LimitSkin:
		return kind == string(KindSkin) || (kind == string(KindWholeBody) && quantity == string(QuantityHp007))
	case LimitLens, LimitLensTransition:
		return kind == string(KindLens)
	}
	return false
}
