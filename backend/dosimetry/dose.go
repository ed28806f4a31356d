package dosimetry

import (
	"fmt"
	"strconv"
	"strings"
)

// Microsievert is a dose in microsieverts (µSv), the registry's storage
// unit: exact integers avoid float drift when doses are summed over years.
type Microsievert int64

// MaxPlausibleDose is the largest dose Plausible accepts: 10 Sv. Anything
// above is almost certainly a unit or typing mistake and needs a human.
const MaxPlausibleDose Microsievert = 10_000_000

// DoseError reports a dose value that could not be parsed. Value and Unit
// are the inputs as received; Reason is the French end of the sentence.
type DoseError struct {
	Value  string
	Unit   string
	Reason string
}

// Error returns a French sentence such as « La dose « 1,2345 mSv » a une
// précision supérieure au microsievert. »
func (e *DoseError) Error() string {
	v := strings.TrimSpace(strings.TrimSpace(e.Value) + " " + strings.TrimSpace(e.Unit))
	return fmt.Sprintf("La dose %s %s.", quote(v), e.Reason)
}

// ParseDose parses a dose written as a decimal number and a unit. Accepted
// units are "mSv", "µSv" (micro sign U+00B5), "μSv" (Greek mu U+03BC) and
// "uSv", case-sensitive because "MSv" would be megasieverts. The number is
// digits with at most one decimal separator, "." or ",", and digits on both
// sides of it; no sign, exponent, thousands separator, NaN or infinity.
//
// Precision finer than 1 µSv is rejected rather than rounded, so that the
// dose of record is never altered silently; trailing zeros are fine
// ("1,2000 mSv" is 1200 µSv). Negative values are rejected. Very large
// values parse; check them with Plausible. Errors are *DoseError values.
func ParseDose(value, unit string) (Microsievert, error) {
	fail := func(reason string) (Microsievert, error) {
		return 0, &DoseError{Value: value, Unit: unit, Reason: reason}
	}
	var decimals int
	switch strings.TrimSpace(unit) {
	case "mSv":
		decimals = 3
	case "µSv", "μSv", "uSv":
		decimals = 0
	case "":
		return fail("n'a pas d'unité (unités admises : mSv, µSv)")
	default:
		return fail("a une unité inconnue (unités admises : mSv, µSv)")
	}
	v := strings.TrimSpace(value)
	if v == "" {
		return fail("est vide")
	}
	if v[0] == '-' || strings.HasPrefix(v, "−") {
		return fail("est négative")
	}
	intPart, frac, hasSep := strings.Cut(strings.Replace(v, ",", ".", 1), ".")
	if intPart == "" || !isDigits(intPart) || (hasSep && (frac == "" || !isDigits(frac))) {
		return fail("n'est pas un nombre décimal valide (exemples : 0,25 ou 1.5)")
	}
	if len(frac) > decimals {
		if strings.Trim(frac[decimals:], "0") != "" {
			return fail("a une précision supérieure au microsievert (au plus 3 décimales en mSv, aucune en µSv)")
		}
		frac = frac[:decimals]
	}
	digits := intPart + frac + strings.Repeat("0", decimals-len(frac))
	digits = strings.TrimLeft(digits, "0")
	if digits == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil {
		return fail("est trop grande pour être enregistrée")
	}
	return Microsievert(n), nil
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
