package dosimetry

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

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

// RefusedRune reports whether r may not appear in a person's name, a place
// or free text: control characters (C0, DEL, C1: ESC, BEL, tab, line
// breaks…), format characters (Unicode category Cf: zero-width spaces and
// joiners, the byte order mark, soft hyphen, bidirectional marks, embeddings,
// overrides and isolates) and the line and paragraph separators. They are
// invisible or move the text around, so that what a person reads is not
// what is stored, compared or printed.
func RefusedRune(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
}

// TextError reports a refused character (see RefusedRune) in a name or a
// text: the character and its 1-based position in the value as received.
type TextError struct {
	Rune rune
	Pos  int
}

// Describe names the character in French, by kind, code point and
// position, e.g. « le caractère de contrôle U+001B (échappement) en
// position 4 ».
func (e *TextError) Describe() string {
	kind := "le caractère invisible de mise en forme"
	switch {
	case unicode.IsControl(e.Rune):
		kind = "le caractère de contrôle"
	case isBidiControl(e.Rune):
		kind = "le caractère de contrôle bidirectionnel"
	case e.Rune == '\u2028' || e.Rune == '\u2029':
		kind = "le caractère"
	}
	name := ""
	if n, ok := runeNames[e.Rune]; ok {
		name = " (" + n + ")"
	}
	return fmt.Sprintf("%s U+%04X%s en position %d", kind, e.Rune, name, e.Pos)
}

// Error returns a French sentence such as « Le texte contient le caractère
// de contrôle U+001B (échappement) en position 4. »
func (e *TextError) Error() string {
	return "Le texte contient " + e.Describe() + "."
}

// CheckText returns a *TextError for the first refused character of s (see
// RefusedRune), or nil. It is the one rule for people's names (birth name,
// usage name, first names), places of birth and free text, applied by the
// exchange-file import and by the Worker schema alike.
func CheckText(s string) error {
	pos := 0
	for _, r := range s {
		pos++
		if RefusedRune(r) {
			return &TextError{Rune: r, Pos: pos}
		}
	}
	return nil
}

func isBidiControl(r rune) bool {
	return r == '\u061C' || r == '\u200E' || r == '\u200F' || ('\u202A' <= r && r <= '\u202E') || ('\u2066' <= r && r <= '\u2069')
}

// runeNames are the French names of the refused characters most often met.
var runeNames = map[rune]string{
	0x00: "caractère nul", 0x07: "sonnerie", 0x08: "retour arrière", 0x09: "tabulation",
	0x0A: "saut de ligne", 0x0B: "tabulation verticale", 0x0C: "saut de page", 0x0D: "retour chariot",
	0x1B: "échappement", 0x7F: "suppression", 0x85: "passage à la ligne suivante", 0xAD: "trait d'union conditionnel",
	0x200B: "espace sans chasse", 0x200C: "antiliant sans chasse", 0x200D: "liant sans chasse",
	0x200E: "marque gauche-à-droite", 0x200F: "marque droite-à-gauche",
	0x202A: "enchâssement gauche-à-droite", 0x202B: "enchâssement droite-à-gauche",
	0x202C: "fin d'enchâssement ou de forçage", 0x202D: "forçage gauche-à-droite", 0x202E: "forçage droite-à-gauche",
	0x2028: "séparateur de ligne", 0x2029: "séparateur de paragraphe", 0x2060: "gluon de mots",
	0x2066: "isolat gauche-à-droite", 0x2067: "isolat droite-à-gauche", 0x2068: "isolat de direction détectée",
	0x2069: "fin d'isolat", 0xFEFF: "indicateur d'ordre des octets",
}

// Visible returns s with invalid UTF-8 and every refused character (see
// RefusedRune) replaced by U+FFFD « � », so that a value can be quoted in a
// report or a message without hiding part of it or reordering the text
// around it.
func Visible(s string) string {
	clean := utf8.ValidString(s)
	for _, r := range s {
		if RefusedRune(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if r == utf8.RuneError || RefusedRune(r) {
			r = '\uFFFD'
		}
		b.WriteRune(r)
	}
	return b.String()
}
