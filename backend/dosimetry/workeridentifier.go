package dosimetry

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// ErrCountry reports a country code that is not an ISO 3166-1 alpha-2 code
// of a country other than France.
var ErrCountry = errors.New("code pays invalide")

// WorkerIdentifier is the identifier that designates a worker in an exchange
// file: a NIR or NIA, a temporary technical number (NTT), or an identifier
// issued abroad with its country.
type WorkerIdentifier struct {
	// Kind is IdentifierNIR, IdentifierNIA, IdentifierNTT or
	// IdentifierForeign.
	Kind IdentifierKind
	// Value is the normalised identifier: the 15-character NIR or NIA, the
	// NTT, or the foreign identifier (ASCII letters upper-cased).
	Value string
	// Country is the ISO 3166-1 alpha-2 code of a foreign identifier's
	// issuing country; "" for the other kinds.
	Country string
}

// String returns the canonical spelling, which ParseWorkerIdentifier reads
// back unchanged: the NIR or NIA, "NTT:<ntt>" or "<country>:<identifier>".
// Two spellings of the same identifier give the same string, so it serves
// as a key.
func (w WorkerIdentifier) String() string {
	switch w.Kind {
	case IdentifierNTT:
		return "NTT:" + w.Value
	case IdentifierForeign:
		return w.Country + ":" + w.Value
	}
	return w.Value
}

// IsZero reports whether w is the zero (absent) identifier.
func (w WorkerIdentifier) IsZero() bool { return w.Value == "" }

// foreignIDMaxLen is the longest foreign identifier, as the Worker schema
// stores it.
const foreignIDMaxLen = 40

// ParseWorkerIdentifier reads the identifier column of the exchange formats
// (named nir for compatibility with v1 files). Surrounding spaces are
// ignored. It accepts:
//
//   - a NIR or NIA, with ParseNIR's rules (Kind NIR, or NIA for sex digits 7
//     and 8);
//   - "NTT:<ntt>", the prefix in any case, with ParseNTT's rules;
//   - "<CC>:<identifier>" for an identifier issued abroad: CC an ISO 3166-1
//     alpha-2 country code other than FR, in any case; the identifier 1 to
//     40 characters (spaces around it ignored) of ASCII letters, digits,
//     "-", "/" and ".", with at least one letter or digit; letters are
//     upper-cased.
//
// Errors are *IdentifierError values: ParseNIR's for a value without ":"
// (Field "NIR"), ParseNTT's for an NTT, ErrCountry for the country code,
// ErrEmpty, ErrLength or ErrCharacter for a foreign identifier, and
// ErrStructure for an unknown prefix.
func ParseWorkerIdentifier(s string) (WorkerIdentifier, error) {
	v := strings.TrimSpace(s)
	prefix, rest, ok := strings.Cut(v, ":")
	if !ok {
		n, err := ParseNIR(v)
		if err != nil {
			return WorkerIdentifier{}, err
		}
		return WorkerIdentifier{Kind: n.Kind(), Value: n.String()}, nil
	}
	p := strings.ToUpper(strings.TrimSpace(prefix))
	rest = strings.TrimSpace(rest)
	switch {
	case p == "NTT":
		n, err := ParseNTT(rest)
		if err != nil {
			return WorkerIdentifier{}, err
		}
		return WorkerIdentifier{Kind: IdentifierNTT, Value: n.String()}, nil
	case p == "FR":
		return WorkerIdentifier{}, &IdentifierError{Field: "code pays", Value: prefix, Err: ErrCountry,
			Reason: "désigne la France : un travailleur identifié en France l'est par son NIR, son NIA ou un NTT (« NTT:<numéro> »)"}
	case len(p) == 2 && isASCIILetters(p):
		if !IsCountryCode(p) {
			return WorkerIdentifier{}, &IdentifierError{Field: "code pays", Value: prefix, Err: ErrCountry,
				Reason: "n'est pas un code de pays ISO 3166-1 à deux lettres (exemples : DE, BE, ES, IT, PT)"}
		}
		id, err := parseForeignID(rest)
		if err != nil {
			return WorkerIdentifier{}, err
		}
		return WorkerIdentifier{Kind: IdentifierForeign, Value: id, Country: p}, nil
	}
	return WorkerIdentifier{}, &IdentifierError{Field: "identifiant", Value: s, Err: ErrStructure,
		Reason: "n'est ni un NIR ou un NIA, ni un NTT écrit « NTT:<numéro> », ni un identifiant étranger écrit « <code pays>:<identifiant> » avec un code pays ISO 3166-1 à deux lettres (ex. « DE:65180175M017 »)"}
}

// parseForeignID checks and normalises the identifier part of a foreign
// identifier (already trimmed).
func parseForeignID(v string) (string, error) {
	fail := func(reason string, err error) (string, error) {
		return "", &IdentifierError{Field: "identifiant étranger", Value: v, Reason: reason, Err: err}
	}
	if v == "" {
		return fail("est vide (attendu après le code pays : « <code pays>:<identifiant> »)", ErrEmpty)
	}
	if n := utf8.RuneCountInString(v); n > foreignIDMaxLen {
		return fail(plural(n, "a une longueur de %d caractère", "a une longueur de %d caractères")+" au lieu de 40 au plus", ErrLength)
	}
	var b strings.Builder
	pos, alnum := 0, false
	for _, r := range v {
		pos++
		switch {
		case '0' <= r && r <= '9', 'A' <= r && r <= 'Z':
			alnum = true
		case 'a' <= r && r <= 'z':
			alnum = true
			r -= 'a' - 'A'
		case r == '-', r == '/', r == '.':
		default:
			return fail(badChar("un caractère non admis (lettres non accentuées, chiffres, « - », « / » et « . »)", r, pos), ErrCharacter)
		}
		b.WriteRune(r)
	}
	if !alnum {
		return fail("ne contient ni lettre ni chiffre", ErrCharacter)
	}
	return b.String(), nil
}

func isASCIILetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 'A' || c > 'Z' {
			return false
		}
	}
	return true
}
