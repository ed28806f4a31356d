package dosimetry_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/siseri/siseri/backend/dosimetry"
)

func TestParseNTT(t *testing.T) {
	tests := []struct {
		name, in, want string
		wantErr        error
		wantMsg        string
	}{
		{"OK", "ABC123", "ABC123", nil, ""},
		{"OKLowercaseTrimmed", "  ntt0042 ", "NTT0042", nil, ""},
		{"OKOneChar", "1", "1", nil, ""},
		{"OKFortyChars", strings.Repeat("A", 40), strings.Repeat("A", 40), nil, ""},
		{"ErrEmpty", " ", "", dosimetry.ErrEmpty, "Le NTT est vide."},
		{"ErrLength", strings.Repeat("A", 41), "", dosimetry.ErrLength, "a une longueur de 41 caractères au lieu de 40 au plus."},
		{"ErrCharacterSpace", "AB 12", "", dosimetry.ErrCharacter, "Le NTT « AB 12 » contient une espace en position 3."},
		{"ErrCharacterDash", "AB-12", "", dosimetry.ErrCharacter, "contient un caractère non alphanumérique « - » en position 3."},
		{"ErrCharacterAccent", "ÉTÉ", "", dosimetry.ErrCharacter, "« É » en position 1."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := dosimetry.ParseNTT(tc.in)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("ParseNTT(%q) error = %v, want %v", tc.in, err, tc.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), tc.wantMsg) {
				t.Errorf("ParseNTT(%q) error = %q, want it to contain %q", tc.in, err, tc.wantMsg)
			}
			if got.String() != tc.want {
				t.Errorf("ParseNTT(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestParseIdentifierKind(t *testing.T) {
	tests := []struct {
		in      string
		want    dosimetry.IdentifierKind
		wantErr bool
	}{
		{"NIR", dosimetry.IdentifierNIR, false},
		{" nia ", dosimetry.IdentifierNIA, false},
		{"NTT", dosimetry.IdentifierNTT, false},
		{"Foreign", dosimetry.IdentifierForeign, false},
		{"SSN", "", true},
		{"", "", true},
	}
	for _, tc := range tests {
		got, err := dosimetry.ParseIdentifierKind(tc.in)
		if got != tc.want || (err != nil) != tc.wantErr {
			t.Errorf("ParseIdentifierKind(%q) = %v, %v, want %v (error %v)", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}

func TestIdentifierErrorMessage(t *testing.T) {
	tests := []struct {
		name string
		err  *dosimetry.IdentifierError
		want string
	}{
		{"OKPlainValue", &dosimetry.IdentifierError{Field: "NIR", Value: "184127645108912", Reason: "a une clé de contrôle invalide (attendue 46, reçue 12)"},
			"Le NIR 184127645108912 a une clé de contrôle invalide (attendue 46, reçue 12)."},
		{"OKQuotedValue", &dosimetry.IdentifierError{Field: "SIRET", Value: "732 829", Reason: "est trop court"},
			"Le SIRET « 732 829 » est trop court."},
		{"OKControlCharacters", &dosimetry.IdentifierError{Field: "NTT", Value: "A\x00B", Reason: "est invalide"},
			"Le NTT « A\uFFFDB » est invalide."},
		{"OKTruncated", &dosimetry.IdentifierError{Field: "NTT", Value: strings.Repeat("9", 50), Reason: "est trop long"},
			"Le NTT « " + strings.Repeat("9", 40) + "… » est trop long."},
		{"OKNoValue", &dosimetry.IdentifierError{Field: "RPPS", Reason: "est vide"},
			"Le numéro RPPS est vide."},
	}
	for _, tc := range tests {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("%s: Error() = %q, want %q", tc.name, got, tc.want)
		}
	}
}
