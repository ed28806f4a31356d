package dosimetry

// RPPS is a validated RPPS number (Répertoire partagé des professionnels de
// santé), recorded for the occupational physician since the 2023 arrêté.
//
// Assumption (unverified, see DOMAIN.md §4.3): an RPPS number is 11 digits
// whose last digit is a Luhn check digit.
type RPPS struct{ s string }

// ParseRPPS validates an RPPS number: 11 digits passing Luhn, spaces
// ignored. Errors are *IdentifierError values.
func ParseRPPS(s string) (RPPS, error) {
	v, err := parseDigits("RPPS", s, 11)
	if err != nil {
		return RPPS{}, err
	}
	if !Luhn(v) {
		return RPPS{}, luhnError("RPPS", s)
	}
	return RPPS{s: v}, nil
}

// String returns the 11 digits, or "" for the zero RPPS.
func (r RPPS) String() string { return r.s }

// IsZero reports whether r is the zero RPPS.
func (r RPPS) IsZero() bool { return r.s == "" }
