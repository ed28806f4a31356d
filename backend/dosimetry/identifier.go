package dosimetry

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

// IdentifierKind tells which kind of personal identifier designates a worker.
type IdentifierKind string

// Worker identifier kinds. The string values are the exchange codes.
const (
	// IdentifierNIR is a certified NIR ("numéro de sécurité sociale").
	IdentifierNIR IdentifierKind = "NIR"
	// IdentifierNIA is a waiting number given by health insurance while the
	// NIR is being certified; it has the NIR shape.
	IdentifierNIA IdentifierKind = "NIA"
	// IdentifierNTT is a temporary technical number created by the employer
	// when neither a NIR nor a NIA exists (valid at most three months).
	IdentifierNTT IdentifierKind = "NTT"
	// IdentifierForeign is an identifier issued abroad, kept as opaque text.
	IdentifierForeign IdentifierKind = "FOREIGN"
)

var identifierKinds = []IdentifierKind{IdentifierNIR, IdentifierNIA, IdentifierNTT, IdentifierForeign}

// ParseIdentifierKind parses an identifier kind code (NIR, NIA, NTT,
// FOREIGN), ignoring case and surrounding spaces.
func ParseIdentifierKind(s string) (IdentifierKind, error) {
	code := strings.ToUpper(strings.TrimSpace(s))
	for _, k := range identifierKinds {
		if code == string(k) {
			return k, nil
		}
	}
	allowed := make([]string, len(identifierKinds))
	for i, k := range identifierKinds {
		allowed[i] = string(k)
	}
	return "", &CodeError{Field: "type d'identifiant", Value: s, Allowed: allowed}
}

// Sentinel errors wrapped by IdentifierError, for use with errors.Is.
var (
	// ErrEmpty reports an empty identifier.
	ErrEmpty = errors.New("identifiant vide")
	// ErrLength reports an identifier of the wrong length.
	ErrLength = errors.New("longueur incorrecte")
	// ErrCharacter reports a character not allowed at its position.
	ErrCharacter = errors.New("caractère non autorisé")
	// ErrChecksum reports a wrong check digit or control key.
	ErrChecksum = errors.New("clé de contrôle invalide")
	// ErrStructure reports a well-formed identifier whose parts are
	// impossible (sex digit, month, department, commune, order number).
	ErrStructure = errors.New("structure invalide")
)

// IdentifierError describes why an identifier was rejected. Field names the
// identifier (NIR, NIA, NTT, SIREN, SIRET, RPPS), Value is the input as
// received and Reason is the French end of the sentence built by Error.
// The identifiers of ParseWorkerIdentifier add the fields "identifiant",
// "identifiant étranger" and "code pays".
type IdentifierError struct {
	Field  string
	Value  string
	Reason string
	// Err is one of the sentinel errors (ErrLength, ErrChecksum, …).
	Err error
}

// Error returns a French sentence such as « Le NIR 184127645108912 a une clé
// de contrôle invalide (attendue 46, reçue 12). »
func (e *IdentifierError) Error() string {
	var b strings.Builder
	label := fieldLabel(e.Field)
	if strings.HasPrefix(label, "identifiant") {
		b.WriteString("L'")
	} else {
		b.WriteString("Le ")
	}
	b.WriteString(label)
	if v := displayValue(e.Value); v != "" {
		b.WriteString(" ")
		b.WriteString(v)
	}
	b.WriteString(" ")
	b.WriteString(e.Reason)
	b.WriteString(".")
	return b.String()
}

// Unwrap returns the sentinel error, so errors.Is(err, ErrChecksum) works.
func (e *IdentifierError) Unwrap() error { return e.Err }

func fieldLabel(field string) string {
	if field == "RPPS" {
		return "numéro RPPS"
	}
	return field
}

// displayValue keeps messages readable whatever the input: plain
// alphanumeric values are shown bare (as users type them), anything else is
// quoted, stripped of control characters and truncated.
func displayValue(v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	plain := true
	var b strings.Builder
	n := 0
	for _, r := range v {
		if n == 40 {
			b.WriteString("…")
			plain = false
			break
		}
		n++
		switch {
		case r == utf8.RuneError || RefusedRune(r):
			b.WriteRune('\uFFFD')
			plain = false
		default:
			b.WriteRune(r)
			if r > unicode.MaxASCII || !(unicode.IsLetter(r) || unicode.IsDigit(r)) {
				plain = false
			}
		}
	}
	if plain {
		return b.String()
	}
	return "« " + b.String() + " »"
}

// compact removes the separators people type inside identifiers (any
// Unicode space, and dots when dots is true) and upper-cases ASCII letters.
func compact(s string, dots bool) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case unicode.IsSpace(r), dots && r == '.':
			continue
		case 'a' <= r && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// firstNonDigit returns the 1-based rune position and the rune of the first
// non-digit in s, or 0 if s has only ASCII digits.
func firstNonDigit(s string) (int, rune) {
	pos := 0
	for _, r := range s {
		pos++
		if r < '0' || r > '9' {
			return pos, r
		}
	}
	return 0, 0
}

func isDigits(s string) bool {
	p, _ := firstNonDigit(s)
	return p == 0
}

// NTT is a temporary technical number (numéro technique temporaire).
//
// Assumption: the DSN field carrying the NTT is free text of 1 to 40
// characters; this package accepts 1 to 40 ASCII letters and digits after
// trimming surrounding spaces, and upper-cases letters. Confirm against the
// SISERI exchange format (CGU) before relying on it.
type NTT struct{ s string }

// ParseNTT parses and normalises a temporary technical number.
func ParseNTT(s string) (NTT, error) {
	v := strings.TrimSpace(s)
	fail := func(reason string, err error) (NTT, error) {
		return NTT{}, &IdentifierError{Field: "NTT", Value: s, Reason: reason, Err: err}
	}
	if v == "" {
		return fail("est vide", ErrEmpty)
	}
	if n := utf8.RuneCountInString(v); n > 40 {
		return fail(plural(n, "a une longueur de %d caractère", "a une longueur de %d caractères")+" au lieu de 40 au plus", ErrLength)
	}
	var b strings.Builder
	pos := 0
	for _, r := range v {
		pos++
		switch {
		case '0' <= r && r <= '9', 'A' <= r && r <= 'Z':
			b.WriteRune(r)
		case 'a' <= r && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		default:
			return fail(badChar("un caractère non alphanumérique", r, pos), ErrCharacter)
		}
	}
	return NTT{s: b.String()}, nil
}

// String returns the normalised NTT.
func (n NTT) String() string { return n.s }

// IsZero reports whether n is the zero NTT.
func (n NTT) IsZero() bool { return n.s == "" }
