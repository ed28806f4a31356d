package dosimetry

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Microsievert is a dose in microsieverts (µSv), the registry's storage
// unit: exact integers avoid float drift when doses are summed over years.
type Microsievert int64

// MaxPlausibleDose is the largest dose Plausible accepts: 10 Sv. Anything
// above is almost certainly a unit or typing mistake and needs a human.
const MaxPlausibleDose Microsievert = 10_000_000

// Sentinel errors wrapped by DoseError, for use with errors.Is.
var (
	// ErrDoseSyntax reports a value that is not a decimal number (or an
	// empty one).
	ErrDoseSyntax = errors.New("nombre décimal invalide")
	// ErrDoseNegative reports a well-formed number with a minus sign.
	ErrDoseNegative = errors.New("dose négative")
	// ErrDosePrecision reports a value finer than 1 µSv given to ParseDose.
	ErrDosePrecision = errors.New("précision plus fine que le µSv")
	// ErrDoseUnit reports a missing or unknown unit.
	ErrDoseUnit = errors.New("unité invalide")
	// ErrDoseRange reports a number too large to be stored.
	ErrDoseRange = errors.New("dose trop grande")
)

// DoseError reports a dose value that could not be parsed. Value and Unit
// are the inputs as received; Reason is the French end of the sentence and
// Err one of the sentinel errors (ErrDoseSyntax, ErrDoseNegative, …).
type DoseError struct {
	Value  string
	Unit   string
	Reason string
	Err    error
}

// Error returns a French sentence such as « La dose « 1,2345 mSv » est plus
// précise que le microsievert (…). »
func (e *DoseError) Error() string {
	v := strings.TrimSpace(strings.TrimSpace(e.Value) + " " + strings.TrimSpace(e.Unit))
	return fmt.Sprintf("La dose %s %s.", quote(v), e.Reason)
}

// Unwrap returns the sentinel error, so errors.Is(err, ErrDoseNegative) works.
func (e *DoseError) Unwrap() error { return e.Err }

// PrecisionRule is the French statement of the registry's dose precision,
// for messages that refuse or round a finer value.
const PrecisionRule = "le registre enregistre les doses au microsievert près (1 µSv = 0,001 mSv), soit au plus 3 décimales en mSv et aucune en µSv"

// ParseDose parses a dose written as a decimal number and a unit. Accepted
// units are "mSv", "µSv" (micro sign U+00B5), "μSv" (Greek mu U+03BC) and
// "uSv", case-sensitive because "MSv" would be megasieverts. The number is
// digits with at most one decimal separator, "." or ",", and digits on both
// sides of it; no sign, exponent, thousands separator, NaN or infinity.
//
// Precision finer than 1 µSv is rejected rather than rounded, so that the
// dose of record is never altered silently (ParseDoseRounded rounds and
// says so); trailing zeros are fine ("1,2000 mSv" is 1200 µSv). A minus
// sign before a well-formed number is ErrDoseNegative; anything else that
// is not a number ("-", "--1", "-.5", "1-2") is ErrDoseSyntax. Very large
// values parse; check them with Plausible. Errors are *DoseError values.
func ParseDose(value, unit string) (Microsievert, error) {
	d, _, err := parseDose(value, unit, false)
	return d, err
}

// ParseDoseRounded is ParseDose for values that may be finer than 1 µSv:
// such a value is rounded to the nearest µSv, half away from zero (0,5 µSv
// gives 1 µSv), and rounded reports it, so that the caller can tell the
// sender what was recorded. Every other rule is ParseDose's.
func ParseDoseRounded(value, unit string) (d Microsievert, rounded bool, err error) {
	return parseDose(value, unit, true)
}

func parseDose(value, unit string, round bool) (Microsievert, bool, error) {
	fail := func(err error, reason string) (Microsievert, bool, error) {
		return 0, false, &DoseError{Value: value, Unit: unit, Reason: reason, Err: err}
	}
	var decimals int
	switch strings.TrimSpace(unit) {
	case "mSv":
		decimals = 3
	case "µSv", "μSv", "uSv":
		decimals = 0
	case "":
		return fail(ErrDoseUnit, "n'a pas d'unité (unités admises : mSv, µSv)")
	default:
		return fail(ErrDoseUnit, "a une unité inconnue (unités admises : mSv, µSv)")
	}
	v := strings.TrimSpace(value)
	if v == "" {
		return fail(ErrDoseSyntax, "est vide")
	}
	negative := false
	if rest, ok := strings.CutPrefix(v, "-"); ok {
		negative, v = true, rest
	} else if rest, ok := strings.CutPrefix(v, "−"); ok { // U+2212 minus sign
		negative, v = true, rest
	}
	intPart, frac, hasSep := strings.Cut(strings.Replace(v, ",", ".", 1), ".")
	if intPart == "" || !isDigits(intPart) || (hasSep && (frac == "" || !isDigits(frac))) {
		return fail(ErrDoseSyntax, "n'est pas un nombre décimal valide (chiffres avec au plus une virgule ou un point, sans signe ni exposant ; exemples : 0,25 ou 1.5)")
	}
	if negative {
		return fail(ErrDoseNegative, "est négative : une dose est positive ou nulle")
	}
	roundUp, rounded := false, false
	if len(frac) > decimals {
		if extra := frac[decimals:]; strings.Trim(extra, "0") != "" {
			if !round {
				return fail(ErrDosePrecision, "est plus précise que le microsievert : "+PrecisionRule)
			}
			rounded, roundUp = true, extra[0] >= '5'
		}
		frac = frac[:decimals]
	}
	digits := intPart + frac + strings.Repeat("0", decimals-len(frac))
	digits = strings.TrimLeft(digits, "0")
	var n int64
	if digits != "" {
		var err error
		if n, err = strconv.ParseInt(digits, 10, 64); err != nil {
			return fail(ErrDoseRange, "est trop grande pour être enregistrée")
		}
	}
	if roundUp {
		if n == math.MaxInt64 {
			return fail(ErrDoseRange, "est trop grande pour être enregistrée")
		}
		n++
	}
	return Microsievert(n), rounded, nil
}

// Plausible reports whether d is between 0 and MaxPlausibleDose (10 Sv)
// inclusive. ParseDose accepts larger values so that they can be stored and
// flagged for review instead of being lost.
func (d Microsievert) Plausible() bool {
	return 0 <= d && d <= MaxPlausibleDose
}

// MilliSievert returns d in millisieverts.
func (d Microsievert) MilliSievert() float64 {
	return float64(d) / 1000
}

// String returns d in microsieverts, e.g. "2400 µSv".
func (d Microsievert) String() string {
	return strconv.FormatInt(int64(d), 10) + " µSv"
}

// FormatMSv formats d in millisieverts the French way, with a decimal
// comma and at least two decimals: "2,40 mSv", "0,00 mSv". A third decimal
// is shown only when needed, so the output is exact ("0,055 mSv"). There is
// no thousands separator, so ParseDose reads the number back unchanged.
func (d Microsievert) FormatMSv() string {
	sign := ""
	u := uint64(d)
	if d < 0 {
		sign = "-"
		u = uint64(-(d + 1)) + 1 // safe for math.MinInt64
	}
	whole, frac := u/1000, u%1000
	if frac%10 == 0 {
		return fmt.Sprintf("%s%d,%02d mSv", sign, whole, frac/10)
	}
	return fmt.Sprintf("%s%d,%03d mSv", sign, whole, frac)
}
