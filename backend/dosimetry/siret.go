package dosimetry

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// LaPosteSIREN is the SIREN shared by all establishments of La Poste, whose
// SIRETs do not follow the Luhn rule (see ParseSIRET).
const LaPosteSIREN = "356000000"

// SIREN is a validated 9-digit company number. The zero value is absent.
type SIREN struct{ s string }

// SIRET is a validated 14-digit establishment number: the SIREN followed by
// the 5-digit NIC. The zero value is absent.
type SIRET struct{ s string }

// Luhn reports whether s is a non-empty string of ASCII digits whose Luhn
// sum (every second digit from the right doubled) is a multiple of 10.
func Luhn(s string) bool {
	if s == "" || !isDigits(s) {
		return false
	}
	sum := 0
	for i := 0; i < len(s); i++ {
		d := int(s[len(s)-1-i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// ParseSIREN validates a SIREN: 9 digits passing Luhn, spaces ignored.
// Errors are *IdentifierError values.
func ParseSIREN(s string) (SIREN, error) {
	v, err := parseDigits("SIREN", s, 9)
	if err != nil {
		return SIREN{}, err
	}
	if !Luhn(v) {
		return SIREN{}, luhnError("SIREN", s)
	}
	return SIREN{s: v}, nil
}

// ParseSIRET validates a SIRET: 14 digits, spaces ignored, passing Luhn.
// La Poste exception: when the SIREN is 356000000, a SIRET is also valid
// when the sum of its 14 digits is a multiple of 5 (its head office,
// 35600000000048, passes Luhn and not this rule, so both are accepted).
// Identifiers with letters (Monaco) and Registre des métiers numbers are
// not SIRETs and are rejected. Errors are *IdentifierError values.
func ParseSIRET(s string) (SIRET, error) {
	v, err := parseDigits("SIRET", s, 14)
	if err != nil {
		return SIRET{}, err
	}
	if Luhn(v) {
		return SIRET{s: v}, nil
	}
	if v[:9] != LaPosteSIREN {
		return SIRET{}, luhnError("SIRET", s)
	}
	sum := 0
	for i := 0; i < len(v); i++ {
		sum += int(v[i] - '0')
	}
	if sum%5 != 0 {
		return SIRET{}, &IdentifierError{Field: "SIRET", Value: s, Err: ErrChecksum,
			Reason: "ne respecte pas la règle de contrôle de La Poste (somme des chiffres multiple de 5)"}
	}
	return SIRET{s: v}, nil
}

// parseDigits removes spaces and checks length and digits; all-zero values
// pass Luhn but are not real numbers, so they are rejected too.
func parseDigits(field, raw string, length int) (string, error) {
	fail := func(reason string, err error) (string, error) {
		return "", &IdentifierError{Field: field, Value: raw, Reason: reason, Err: err}
	}
	v := compact(raw, false)
	if v == "" {
		return fail("est vide", ErrEmpty)
	}
	if n := utf8.RuneCountInString(v); n != length {
		return fail(plural(n, "a une longueur de %d chiffre", "a une longueur de %d chiffres")+" au lieu de "+strconv.Itoa(length), ErrLength)
	}
	if pos, r := firstNonDigit(v); pos != 0 {
		return fail(badChar("un caractère non numérique", r, pos), ErrCharacter)
	}
	if strings.Trim(v, "0") == "" {
		return fail("ne peut pas être composé uniquement de zéros", ErrStructure)
	}
	return v, nil
}

func luhnError(field, raw string) error {
	return &IdentifierError{Field: field, Value: raw, Err: ErrChecksum,
		Reason: "a un chiffre de contrôle invalide (algorithme de Luhn)"}
}

// String returns the 9 digits of the SIREN, or "" for the zero SIREN.
func (s SIREN) String() string { return s.s }

// IsZero reports whether s is the zero SIREN.
func (s SIREN) IsZero() bool { return s.s == "" }

// String returns the 14 digits of the SIRET, or "" for the zero SIRET.
func (s SIRET) String() string { return s.s }

// IsZero reports whether s is the zero SIRET.
func (s SIRET) IsZero() bool { return s.s == "" }

// SIREN returns the company part (first 9 digits) of the SIRET. It is not
// re-validated: for La Poste it is LaPosteSIREN, which passes Luhn.
func (s SIRET) SIREN() SIREN {
	if s.s == "" {
		return SIREN{}
	}
	return SIREN{s: s.s[:9]}
}

// NIC returns the establishment part (last 5 digits) of the SIRET.
func (s SIRET) NIC() string {
	if s.s == "" {
		return ""
	}
	return s.s[9:]
}
