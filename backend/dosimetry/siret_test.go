package dosimetry_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/siseri/siseri/backend/dosimetry"
)

func TestLuhn(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"79927398713", true}, // the textbook example
		{"79927398710", false},
		{"732829320", true},
		{"732829321", false},
		{"73282932000074", true},
		{"35600000000048", true}, // La Poste head office
		{"35600000049837", false},
		{"0", true},
		{"", false},
		{"12a4", false},
		{"7992 7398 713", false}, // Luhn takes digits only; parsers strip spaces first
	}
	for _, tc := range tests {
		if got := dosimetry.Luhn(tc.in); got != tc.want {
			t.Errorf("Luhn(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestParseSIREN(t *testing.T) {
	tests := []struct {
		name, in, want string
		wantErr        error
	}{
		{"OK", "732829320", "732829320", nil},
		{"OKSpaces", "732 829 320", "732829320", nil},
		{"OKLaPoste", "356 000 000", "356000000", nil},
		{"ErrEmpty", "  ", "", dosimetry.ErrEmpty},
		{"ErrLength", "73282932", "", dosimetry.ErrLength},
		{"ErrCharacter", "73282932O", "", dosimetry.ErrCharacter},
		{"ErrChecksum", "732829321", "", dosimetry.ErrChecksum},
		{"ErrStructureZeros", "000000000", "", dosimetry.ErrStructure},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := dosimetry.ParseSIREN(tc.in)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("ParseSIREN(%q) error = %v, want %v", tc.in, err, tc.wantErr)
			}
			if got.String() != tc.want {
				t.Errorf("ParseSIREN(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestParseSIRET(t *testing.T) {
	tests := []struct {
		name, in, want string
		wantErr        error
		wantMsg        string
	}{
		{"OK", "73282932000074", "73282932000074", nil, ""},
		{"OKSpaces", "732 829 320 00074", "73282932000074", nil, ""},
		{"OKNoBreakSpaces", "552\u00a0100\u00a0554\u202f00013", "55210055400013", nil, ""},
		// Ensure La Poste's head office passes (by Luhn: its digit sum is 26).
		{"OKLaPosteHeadOffice", "35600000000048", "35600000000048", nil, ""},
		// Ensure a La Poste establishment that fails Luhn passes the sum rule
		// (3+5+6+4+9+8+3+7 = 45).
		{"OKLaPosteSumOfDigits", "356 000 000 49837", "35600000049837", nil, ""},
		{"OKLaPosteSum15", "35600000000001", "35600000000001", nil, ""},
		{"ErrEmpty", "", "", dosimetry.ErrEmpty, "Le SIRET est vide."},
		{"ErrLength", "7328293200007", "", dosimetry.ErrLength, "Le SIRET 7328293200007 a une longueur de 13 chiffres au lieu de 14."},
		{"ErrCharacter", "7328293200007A", "", dosimetry.ErrCharacter, "un caractère non numérique « A » en position 14"},
		{"ErrCharacterDot", "732.829.320.00", "", dosimetry.ErrCharacter, "« . » en position 4"},
		{"ErrChecksum", "73282932000075", "", dosimetry.ErrChecksum, "Le SIRET 73282932000075 a un chiffre de contrôle invalide (algorithme de Luhn)."},
		// Ensure a La Poste SIRET failing both rules is rejected (sum 46).
		{"ErrChecksumLaPoste", "35600000049838", "", dosimetry.ErrChecksum, "règle de contrôle de La Poste"},
		{"ErrChecksumLaPosteZeroNIC", "35600000000000", "", dosimetry.ErrChecksum, "somme des chiffres multiple de 5"},
		// Ensure the sum rule is reserved to La Poste's SIREN (sum 45, Luhn fails).
		{"ErrChecksumSumRuleNotLaPoste", "35600000149827", "", dosimetry.ErrChecksum, "algorithme de Luhn"},
		{"ErrStructureZeros", "00000000000000", "", dosimetry.ErrStructure, "uniquement de zéros"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := dosimetry.ParseSIRET(tc.in)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("ParseSIRET(%q) error = %v, want %v", tc.in, err, tc.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("ParseSIRET(%q) error = %q, want it to contain %q", tc.in, err, tc.wantMsg)
			}
			if got.String() != tc.want {
				t.Errorf("ParseSIRET(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestSIRETParts(t *testing.T) {
	s, err := dosimetry.ParseSIRET("35600000049837")
	if err != nil {
		t.Fatal(err)
	}
	if got := s.SIREN().String(); got != dosimetry.LaPosteSIREN {
		t.Errorf("SIRET(%q).SIREN() = %q, want %q", s, got, dosimetry.LaPosteSIREN)
	}
	if got := s.NIC(); got != "49837" {
		t.Errorf("SIRET(%q).NIC() = %q, want %q", s, got, "49837")
	}
	// Ensure the SIREN part of a Luhn-valid SIRET is itself a valid SIREN.
	s2, _ := dosimetry.ParseSIRET("73282932000074")
	if _, err := dosimetry.ParseSIREN(s2.SIREN().String()); err != nil {
		t.Errorf("ParseSIREN(%q) error: %v", s2.SIREN(), err)
	}
	var zero dosimetry.SIRET
	if !zero.IsZero() || !zero.SIREN().IsZero() || zero.NIC() != "" {
		t.Errorf("zero SIRET parts are not zero")
	}
}

func FuzzParseSIRET(f *testing.F) {
	for _, s := range []string{"73282932000074", "35600000000048", "35600000049837", "356 000 000 00001", "", "0000000000000a", "\u00a0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := dosimetry.ParseSIRET(s)
		if err != nil {
			var ie *dosimetry.IdentifierError
			if !errors.As(err, &ie) || ie.Field != "SIRET" {
				t.Fatalf("ParseSIRET(%q) error = %#v, want *IdentifierError", s, err)
			}
			return
		}
		if len(got.String()) != 14 {
			t.Fatalf("ParseSIRET(%q) = %q, want 14 digits", s, got)
		}
		again, err := dosimetry.ParseSIRET(got.String())
		if err != nil || again != got {
			t.Fatalf("ParseSIRET(%q) = %v, %v, want %v", got.String(), again, err, got)
		}
		if got.SIREN().String()+got.NIC() != got.String() {
			t.Fatalf("SIRET(%q): SIREN %q + NIC %q do not rebuild it", got, got.SIREN(), got.NIC())
		}
		if !dosimetry.Luhn(got.String()) && got.SIREN().String() != dosimetry.LaPosteSIREN {
			t.Fatalf("ParseSIRET(%q) accepted a non-Luhn SIRET outside La Poste", s)
		}
	})
}
