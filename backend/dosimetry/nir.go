package dosimetry

import (
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"
)

// NIR is a validated French personal identification number ("numéro
// d'inscription au répertoire", the social security number), or a waiting
// number (NIA) of the same shape. The zero value is the absent NIR.
//
// What ParseNIR accepts, position by position (1-based, separators removed):
//
//	1      sex: 1 male, 2 female; 7 male, 8 female for provisional numbers
//	       (reported by IsProvisional and Kind = IdentifierNIA)
//	2–3    year of birth, any two digits (the century is not encoded)
//	4–5    month: 01–12, or the INSEE pseudo-months 20–42 and 50–99 used
//	       when the civil status is incomplete (BirthMonth then returns 0)
//	6–7    department 01–95 (20 is pre-1976 Corsica), 2A or 2B (Corsica),
//	       then commune 8–10 (not 000); or 97x/98x (overseas: three-digit
//	       department 6–8, two-digit commune 9–10, not 00); or 99 (born
//	       abroad: 8–10 is the INSEE country code, not 000)
//	11–13  order number of the birth certificate, not 000
//	14–15  key: 97 − (first 13 digits mod 97), with 2A read as 19 and 2B as 18
//
// Not accepted, although seen in some validators: sex digits 3 and 4, and
// department 96 (these need a source before being allowed).
type NIR struct {
	s    string
	kind IdentifierKind
}

// Sex is the sex encoded in the first digit of a NIR.
type Sex string

// Sex values.
const (
	SexMale   Sex = "MALE"
	SexFemale Sex = "FEMALE"
)

// ParseNIR validates a NIR. Spaces and dots are ignored and 2a/2b may be
// lower case; the result is normalised to 15 upper-case characters.
// A NIR whose sex digit is 7 or 8 is accepted with Kind IdentifierNIA.
// Errors are *IdentifierError values.
func ParseNIR(s string) (NIR, error) {
	return parseNIR("NIR", s)
}

// ParseNIA validates a NIA (numéro d'identification d'attente). A NIA has
// the NIR shape and key; its sex digit may be 1, 2 (as for a NIR) or 7, 8.
// The result has Kind IdentifierNIA whatever the sex digit.
func ParseNIA(s string) (NIR, error) {
	n, err := parseNIR("NIA", s)
	if err != nil {
		return NIR{}, err
	}
	n.kind = IdentifierNIA
	return n, nil
}

// NIRKey returns the control key of the first 13 characters of a NIR
// (spaces and dots ignored, 2A/2B allowed). It checks characters only, not
// the structure.
func NIRKey(first13 string) (int, error) {
	s := compact(first13, true)
	fail := func(reason string, err error) (int, error) {
		return 0, &IdentifierError{Field: "NIR", Value: first13, Reason: reason, Err: err}
	}
	if s == "" {
		return fail("est vide", ErrEmpty)
	}
	if n := utf8.RuneCountInString(s); n != 13 {
		return fail(plural(n, "a une longueur de %d caractère", "a une longueur de %d caractères")+" au lieu de 13 (sans la clé)", ErrLength)
	}
	if reason := nirChars(s); reason != "" {
		return fail(reason, ErrCharacter)
	}
	return nirKey(s), nil
}

func parseNIR(field, raw string) (NIR, error) {
	fail := func(reason string, err error) (NIR, error) {
		return NIR{}, &IdentifierError{Field: field, Value: raw, Reason: reason, Err: err}
	}
	s := compact(raw, true)
	if s == "" {
		return fail("est vide", ErrEmpty)
	}
	if n := utf8.RuneCountInString(s); n != 15 {
		return fail(plural(n, "a une longueur de %d caractère", "a une longueur de %d caractères")+" au lieu de 15", ErrLength)
	}
	if reason := nirChars(s); reason != "" {
		return fail(reason, ErrCharacter)
	}
	if reason := nirStructure(s); reason != "" {
		return fail(reason, ErrStructure)
	}
	want := nirKey(s[:13])
	if got, _ := strconv.Atoi(s[13:]); got != want {
		return fail(fmt.Sprintf("a une clé de contrôle invalide (attendue %02d, reçue %s)", want, s[13:]), ErrChecksum)
	}
	kind := IdentifierNIR
	if s[0] == '7' || s[0] == '8' {
		kind = IdentifierNIA
	}
	return NIR{s: s, kind: kind}, nil
}

// nirChars checks that s has digits everywhere except 2A/2B at positions
// 6–7. It returns a French reason, or "" when s is fine.
func nirChars(s string) string {
	pos := 0
	for _, r := range s {
		pos++
		if '0' <= r && r <= '9' {
			continue
		}
		// Positions 1–6 are ASCII digits here, so s[5] is the sixth rune.
		if pos == 7 && s[5] == '2' && (r == 'A' || r == 'B') {
			continue
		}
		return badChar("un caractère non numérique", r, pos)
	}
	return ""
}

// nirStructure checks the sex digit, month, place of birth and order number
// of an ASCII NIR of at least 13 characters.
func nirStructure(s string) string {
	switch s[0] {
	case '1', '2', '7', '8':
	default:
		return fmt.Sprintf("a un premier chiffre (sexe) invalide « %c » : 1 ou 2 attendu, 7 ou 8 pour un numéro provisoire", s[0])
	}
	if m, _ := strconv.Atoi(s[3:5]); !validNIRMonth(m) {
		return fmt.Sprintf("a un mois de naissance invalide « %s »", s[3:5])
	}
	dept, place := nirPlace(s)
	switch {
	case dept == "":
		return fmt.Sprintf("a un département de naissance invalide « %s »", s[5:7])
	case dept == "99" && place == "000":
		return "a un code pays de naissance invalide « 000 »"
	case place == "000" || place == "00":
		return fmt.Sprintf("a un code commune de naissance invalide « %s »", place)
	}
	if s[10:13] == "000" {
		return "a un numéro d'ordre invalide « 000 »"
	}
	return ""
}

func validNIRMonth(m int) bool {
	return (1 <= m && m <= 12) || (20 <= m && m <= 42) || (50 <= m && m <= 99)
}

// nirPlace splits positions 6–10 into department and commune (or country
// code when the department is 99). dept is "" for an invalid department.
func nirPlace(s string) (dept, place string) {
	d := s[5:7]
	switch d {
	case "2A", "2B", "99":
		return d, s[7:10]
	case "97", "98":
		return s[5:8], s[8:10]
	}
	if n, err := strconv.Atoi(d); err == nil && 1 <= n && n <= 95 {
		return d, s[7:10]
	}
	return "", ""
}

// nirKey computes 97 − (n mod 97) for 13 ASCII characters, digits or 2A/2B.
func nirKey(s string) int {
	b := []byte(s[:13])
	switch b[6] {
	case 'A':
		b[5], b[6] = '1', '9'
	case 'B':
		b[5], b[6] = '1', '8'
	}
	rem := 0
	for _, c := range b {
		rem = (rem*10 + int(c-'0')) % 97
	}
	return 97 - rem
}

// String returns the normalised 15-character NIR, or "" for the zero NIR.
func (n NIR) String() string { return n.s }

// IsZero reports whether n is the zero (absent) NIR.
func (n NIR) IsZero() bool { return n.s == "" }

// Kind returns IdentifierNIA for a provisional number or one parsed with
// ParseNIA, IdentifierNIR otherwise.
func (n NIR) Kind() IdentifierKind { return n.kind }

// Formatted returns the NIR grouped as usually printed, e.g.
// "1 84 12 76 451 089 46" (or "2 90 03 971 12 005 34" for overseas).
func (n NIR) Formatted() string {
	if n.s == "" {
		return ""
	}
	s := n.s
	dl := len(n.Department())
	return s[0:1] + " " + s[1:3] + " " + s[3:5] + " " + s[5:5+dl] + " " + s[5+dl:10] + " " + s[10:13] + " " + s[13:15]
}

// Masked returns the NIR with everything after the month hidden, e.g.
// "1 84 12 ** *** *** **", for display where the full number is not needed.
func (n NIR) Masked() string {
	if n.s == "" {
		return ""
	}
	return n.s[0:1] + " " + n.s[1:3] + " " + n.s[3:5] + " ** *** *** **"
}

// Sex returns the sex encoded in the first digit (7 reads as male and 8 as
// female, as 1 and 2 do).
func (n NIR) Sex() Sex {
	switch {
	case n.s == "":
		return ""
	case n.s[0] == '1' || n.s[0] == '7':
		return SexMale
	default:
		return SexFemale
	}
}

// BirthYear2 returns the two-digit year of birth (0–99); the century is not
// encoded in a NIR.
func (n NIR) BirthYear2() int {
	if n.s == "" {
		return 0
	}
	y, _ := strconv.Atoi(n.s[1:3])
	return y
}

// BirthMonth returns the month of birth, or 0 when the NIR carries an INSEE
// pseudo-month (20–42, 50–99) because the month is unknown.
func (n NIR) BirthMonth() time.Month {
	if n.s == "" {
		return 0
	}
	m, _ := strconv.Atoi(n.s[3:5])
	if m > 12 {
		return 0
	}
	return time.Month(m)
}

// Department returns the department of birth: two characters ("76", "2A",
// "99" for born abroad) or three for overseas ("971", "987").
func (n NIR) Department() string {
	if n.s == "" {
		return ""
	}
	d, _ := nirPlace(n.s)
	return d
}

// Commune returns the commune part of the place of birth (three digits, two
// overseas), or "" when the person was born abroad.
func (n NIR) Commune() string {
	if n.s == "" || n.BornAbroad() {
		return ""
	}
	_, c := nirPlace(n.s)
	return c
}

// BirthPlace returns positions 6–10: the INSEE code of the commune of birth,
// or "99" followed by the INSEE country code for people born abroad.
func (n NIR) BirthPlace() string {
	if n.s == "" {
		return ""
	}
	return n.s[5:10]
}

// BornAbroad reports whether the department of birth is 99.
func (n NIR) BornAbroad() bool { return n.s != "" && n.s[5:7] == "99" }

// Key returns the two-digit control key as an integer (1–97).
func (n NIR) Key() int {
	if n.s == "" {
		return 0
	}
	k, _ := strconv.Atoi(n.s[13:15])
	return k
}

// IsProvisional reports whether the sex digit is 7 or 8, which marks a
// provisional (waiting) number rather than a certified NIR.
func (n NIR) IsProvisional() bool {
	return n.s != "" && (n.s[0] == '7' || n.s[0] == '8')
}
