package dosimetry_test

import (
	"errors"
	"testing"

	"github.com/siseri/siseri/backend/dosimetry"
)

func TestParseRPPS(t *testing.T) {
	tests := []struct {
		name, in, want string
		wantErr        error
		wantMsg        string
	}{
		{"OK", "10001234565", "10001234565", nil, ""},
		{"OKSpaces", " 100 0123 4565 ", "10001234565", nil, ""},
		{"ErrEmpty", "", "", dosimetry.ErrEmpty, "Le numéro RPPS est vide."},
		{"ErrLength", "1000123456", "", dosimetry.ErrLength, "Le numéro RPPS 1000123456 a une longueur de 10 chiffres au lieu de 11."},
		{"ErrCharacter", "1000123456X", "", dosimetry.ErrCharacter, "Le numéro RPPS 1000123456X contient un caractère non numérique « X » en position 11."},
		{"ErrChecksum", "10001234566", "", dosimetry.ErrChecksum, "Le numéro RPPS 10001234566 a un chiffre de contrôle invalide (algorithme de Luhn)."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := dosimetry.ParseRPPS(tc.in)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("ParseRPPS(%q) error = %v, want %v", tc.in, err, tc.wantErr)
			}
			if err != nil && err.Error() != tc.wantMsg {
				t.Errorf("ParseRPPS(%q) error = %q, want %q", tc.in, err, tc.wantMsg)
			}
			if got.String() != tc.want {
				t.Errorf("ParseRPPS(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}
