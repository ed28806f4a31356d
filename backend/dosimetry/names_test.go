package dosimetry

import (
	"strings"
	"testing"
)

func TestFoldName(t *testing.T) {
	tests := []struct {
		a, b string
		same bool
	}{
		{"Lévêque", "LEVEQUE", true},
		{"Jean-Éric", "jean eric", true},
		{"d'Arc", "D ARC", true},
		{"Cœur", "COEUR", true},
		{"  Martin  ", "martin", true},
		{"Martin", "Martine", false},
		{"Müller", "Muller", true},
		{"Dupont", "Dupond", false},
	}
	for _, tc := range tests {
		if got := SameName(tc.a, tc.b); got != tc.same {
			t.Errorf("SameName(%q, %q) = %v, want %v (keys %q, %q)", tc.a, tc.b, got, tc.same, FoldName(tc.a), FoldName(tc.b))
		}
	}
}

func TestCheckText(t *testing.T) {
	tests := []struct {
		name, in string
		want     string // the French description, "" when the text is accepted
	}{
		{"OKAccents", "Lévêque-d'Arc", ""},
		{"OKNoBreakSpace", "Jean\u00a0Paul", ""},
		{"OKApostrophe", "N’Diaye", ""},
		{"OKCJK", "王", ""},
		{"OKArabic", "عبد الله", ""},
		{"OKEmpty", "", ""},
		{"ErrEscape", "DU\x1bPRÉ", "le caractère de contrôle U+001B (échappement) en position 3"},
		{"ErrBell", "\aMartin", "le caractère de contrôle U+0007 (sonnerie) en position 1"},
		{"ErrNUL", "a\x00", "le caractère de contrôle U+0000 (caractère nul) en position 2"},
		{"ErrTab", "Jean\tPaul", "le caractère de contrôle U+0009 (tabulation) en position 5"},
		{"ErrNewline", "Jean\nPaul", "le caractère de contrôle U+000A (saut de ligne) en position 5"},
		{"ErrDelete", "Paul\x7f", "le caractère de contrôle U+007F (suppression) en position 5"},
		{"ErrC1", "Paul\u0085", "le caractère de contrôle U+0085 (passage à la ligne suivante) en position 5"},
		{"ErrC1CSI", "é\u009b", "le caractère de contrôle U+009B en position 2"},
		{"ErrZeroWidthSpace", "Mar\u200btin", "le caractère invisible de mise en forme U+200B (espace sans chasse) en position 4"},
		{"ErrZeroWidthNonJoiner", "Mar\u200ctin", "U+200C (antiliant sans chasse) en position 4"},
		{"ErrZeroWidthJoiner", "Mar\u200dtin", "U+200D (liant sans chasse) en position 4"},
		{"ErrWordJoiner", "Mar\u2060tin", "U+2060 (gluon de mots) en position 4"},
		{"ErrBOM", "\ufeffMartin", "le caractère invisible de mise en forme U+FEFF (indicateur d'ordre des octets) en position 1"},
		{"ErrSoftHyphen", "Mar\u00adtin", "U+00AD (trait d'union conditionnel) en position 4"},
		{"ErrLRM", "Martin\u200e", "le caractère de contrôle bidirectionnel U+200E (marque gauche-à-droite) en position 7"},
		{"ErrRLM", "\u200fMartin", "le caractère de contrôle bidirectionnel U+200F (marque droite-à-gauche) en position 1"},
		{"ErrRLO", "Martin\u202eNIRTRAM", "le caractère de contrôle bidirectionnel U+202E (forçage droite-à-gauche) en position 7"},
		{"ErrLRE", "\u202aA", "U+202A (enchâssement gauche-à-droite) en position 1"},
		{"ErrPDF", "A\u202c", "U+202C (fin d'enchâssement ou de forçage) en position 2"},
		{"ErrLRI", "A\u2066B", "le caractère de contrôle bidirectionnel U+2066 (isolat gauche-à-droite) en position 2"},
		{"ErrPDI", "A\u2069", "U+2069 (fin d'isolat) en position 2"},
		{"ErrArabicLetterMark", "A\u061c", "le caractère de contrôle bidirectionnel U+061C en position 2"},
		{"ErrOtherFormat", "A\U000e0001", "le caractère invisible de mise en forme U+E0001 en position 2"},
		{"ErrLineSeparator", "A\u2028B", "le caractère U+2028 (séparateur de ligne) en position 2"},
		{"ErrFirstOfTwo", "é\x1b\u200b", "U+001B (échappement) en position 2"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := CheckText(tc.in)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("CheckText(%q) = %v, want nil", tc.in, err)
				}
				return
			}
			te, ok := err.(*TextError)
			if !ok || !strings.Contains(te.Describe(), tc.want) {
				t.Fatalf("CheckText(%q) = %v, want a *TextError describing %q", tc.in, err, tc.want)
			}
			if !strings.HasPrefix(err.Error(), "Le texte contient ") {
				t.Errorf("CheckText(%q).Error() = %q, want a French sentence", tc.in, err)
			}
		})
	}
}

func TestVisible(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Dupré", "Dupré"},
		{"DU\x1bPRÉ", "DU\uFFFDPRÉ"},
		{"a\u202eb\u200bc", "a\uFFFDb\uFFFDc"},
		{"d\xe9j\xe0", "d\uFFFDj\uFFFD"},
		{"a\x00b", "a\uFFFDb"},
	}
	for _, tc := range tests {
		if got := Visible(tc.in); got != tc.want {
			t.Errorf("Visible(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
