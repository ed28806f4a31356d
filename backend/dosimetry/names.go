package dosimetry

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// FoldName returns the comparison key of a person's name: accents removed,
// upper case, hyphens, apostrophes and runs of spaces collapsed to one space.
// « Lévêque-d'Arc » and « LEVEQUE D ARC » fold to the same key.
func FoldName(s string) string {
	folded := s
	if !isASCII(s) {
		t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
		if f, _, err := transform.String(t, s); err == nil {
			folded = f
		}
	}
	folded = strings.Map(func(r rune) rune {
		switch {
		case r == '-' || r == '\'' || r == '’' || r == '.' || unicode.IsSpace(r):
			return ' '
		case r == 'œ' || r == 'Œ':
			return 'Œ'
		}
		return unicode.ToUpper(r)
	}, folded)
	folded = strings.ReplaceAll(folded, "Œ", "OE")
	return strings.Join(strings.Fields(folded), " ")
}

// SameName reports whether two names are the same person's name, ignoring
// case, accents and punctuation.
func SameName(a, b string) bool { return FoldName(a) == FoldName(b) }

// isASCII reports whether s has no accent to remove (the common case, which
// skips the Unicode normalisation).
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
