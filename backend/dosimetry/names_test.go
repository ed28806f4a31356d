package dosimetry

import "testing"

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
