package dosimetry_test

import (
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/siseri/siseri/backend/dosimetry"
)

func TestParseWorkerIdentifier(t *testing.T) {
	const nir, nia = "180017505600103", "780017505600191"
	tests := []struct {
		name, in string
		want     dosimetry.WorkerIdentifier
		key      string
		wantErr  error
		wantMsg  string
	}{
		{"OKNIR", nir, dosimetry.WorkerIdentifier{Kind: dosimetry.IdentifierNIR, Value: nir}, nir, nil, ""},
		{"OKNIRSpaced", " 1 80 01 75 056 001 03 ", dosimetry.WorkerIdentifier{Kind: dosimetry.IdentifierNIR, Value: nir}, nir, nil, ""},
		{"OKNIA", nia, dosimetry.WorkerIdentifier{Kind: dosimetry.IdentifierNIA, Value: nia}, nia, nil, ""},
		{"OKNTT", "NTT:ABC123", dosimetry.WorkerIdentifier{Kind: dosimetry.IdentifierNTT, Value: "ABC123"}, "NTT:ABC123", nil, ""},
		{"OKNTTLowerSpaced", " ntt : abc123 ", dosimetry.WorkerIdentifier{Kind: dosimetry.IdentifierNTT, Value: "ABC123"}, "NTT:ABC123", nil, ""},
		{"OKForeign", "DE:65180175M017", dosimetry.WorkerIdentifier{Kind: dosimetry.IdentifierForeign, Value: "65180175M017", Country: "DE"}, "DE:65180175M017", nil, ""},
		{"OKForeignLower", "be:85.07.30-033.61", dosimetry.WorkerIdentifier{Kind: dosimetry.IdentifierForeign, Value: "85.07.30-033.61", Country: "BE"}, "BE:85.07.30-033.61", nil, ""},
		{"OKForeignSlash", "IT: RSSMRA85T10/A562S ", dosimetry.WorkerIdentifier{Kind: dosimetry.IdentifierForeign, Value: "RSSMRA85T10/A562S", Country: "IT"}, "IT:RSSMRA85T10/A562S", nil, ""},
		{"OKForeignOneChar", "ZW:1", dosimetry.WorkerIdentifier{Kind: dosimetry.IdentifierForeign, Value: "1", Country: "ZW"}, "ZW:1", nil, ""},
		{"OKForeign40", "PT:" + strings.Repeat("9", 40), dosimetry.WorkerIdentifier{Kind: dosimetry.IdentifierForeign, Value: strings.Repeat("9", 40), Country: "PT"}, "PT:" + strings.Repeat("9", 40), nil, ""},
		{"ErrEmpty", "  ", dosimetry.WorkerIdentifier{}, "", dosimetry.ErrEmpty, "Le NIR est vide."},
		{"ErrNIRKey", "180017505600104", dosimetry.WorkerIdentifier{}, "", dosimetry.ErrChecksum, "clé de contrôle invalide"},
		{"ErrNIRLength", "ABC", dosimetry.WorkerIdentifier{}, "", dosimetry.ErrLength, "Le NIR ABC a une longueur de 3 caractères"},
		{"ErrNTTEmpty", "NTT:", dosimetry.WorkerIdentifier{}, "", dosimetry.ErrEmpty, "Le NTT est vide."},
		{"ErrNTTCharacter", "NTT:AB-12", dosimetry.WorkerIdentifier{}, "", dosimetry.ErrCharacter, "« - » en position 3"},
		{"ErrNTTLength", "NTT:" + strings.Repeat("A", 41), dosimetry.WorkerIdentifier{}, "", dosimetry.ErrLength, "41 caractères au lieu de 40 au plus"},
		{"ErrFrance", "FR:123", dosimetry.WorkerIdentifier{}, "", dosimetry.ErrCountry, "Le code pays FR désigne la France"},
		{"ErrFranceLower", "fr:123", dosimetry.WorkerIdentifier{}, "", dosimetry.ErrCountry, "désigne la France"},
		{"ErrUnknownCountry", "XX:123", dosimetry.WorkerIdentifier{}, "", dosimetry.ErrCountry, "Le code pays XX n'est pas un code de pays ISO 3166-1 à deux lettres"},
		{"ErrReservedCountry", "EU:123", dosimetry.WorkerIdentifier{}, "", dosimetry.ErrCountry, "n'est pas un code de pays"},
		{"ErrKosovoUserAssigned", "XK:123", dosimetry.WorkerIdentifier{}, "", dosimetry.ErrCountry, "n'est pas un code de pays"},
		{"ErrAlpha3", "DEU:123", dosimetry.WorkerIdentifier{}, "", dosimetry.ErrStructure, "L'identifiant « DEU:123 » n'est ni un NIR"},
		{"ErrDigitsPrefix", "12:345", dosimetry.WorkerIdentifier{}, "", dosimetry.ErrStructure, "ni un identifiant étranger"},
		{"ErrNoPrefix", ":123", dosimetry.WorkerIdentifier{}, "", dosimetry.ErrStructure, "ni un NTT"},
		{"ErrForeignEmpty", "DE:", dosimetry.WorkerIdentifier{}, "", dosimetry.ErrEmpty, "L'identifiant étranger est vide"},
		{"ErrForeignSpace", "DE:AB 12", dosimetry.WorkerIdentifier{}, "", dosimetry.ErrCharacter, "L'identifiant étranger « AB 12 » contient une espace en position 3."},
		{"ErrForeignAccent", "ES:ÑANDÚ1", dosimetry.WorkerIdentifier{}, "", dosimetry.ErrCharacter, "« Ñ » en position 1"},
		{"ErrForeignColon", "DE:A:B", dosimetry.WorkerIdentifier{}, "", dosimetry.ErrCharacter, "« : » en position 2"},
		{"ErrForeignEscape", "DE:A\x1bB", dosimetry.WorkerIdentifier{}, "", dosimetry.ErrCharacter, "« \uFFFD » en position 2"},
		{"ErrForeignPunctuationOnly", "DE:-/.", dosimetry.WorkerIdentifier{}, "", dosimetry.ErrCharacter, "ne contient ni lettre ni chiffre"},
		{"ErrForeignLength", "DE:" + strings.Repeat("A", 41), dosimetry.WorkerIdentifier{}, "", dosimetry.ErrLength, "41 caractères au lieu de 40 au plus"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := dosimetry.ParseWorkerIdentifier(tc.in)
			if !errors.Is(err, tc.wantErr) || got != tc.want {
				t.Fatalf("ParseWorkerIdentifier(%q) = %+v, %v, want %+v, %v", tc.in, got, err, tc.want, tc.wantErr)
			}
			if err != nil {
				var ie *dosimetry.IdentifierError
				if !errors.As(err, &ie) || !strings.Contains(err.Error(), tc.wantMsg) {
					t.Errorf("ParseWorkerIdentifier(%q) error = %q, want an *IdentifierError containing %q", tc.in, err, tc.wantMsg)
				}
				return
			}
			if got.String() != tc.key {
				t.Errorf("ParseWorkerIdentifier(%q).String() = %q, want %q", tc.in, got.String(), tc.key)
			}
		})
	}
}

func TestIsCountryCode(t *testing.T) {
	for _, c := range []string{"DE", "BE", "FR", "GB", "ZW", "AD", "SS", "BQ"} {
		if !dosimetry.IsCountryCode(c) {
			t.Errorf("IsCountryCode(%q) = false, want true", c)
		}
	}
	for _, c := range []string{"", "D", "de", "XX", "EU", "UK", "XK", "DEU", "ZZ", "AN", "YU"} {
		if dosimetry.IsCountryCode(c) {
			t.Errorf("IsCountryCode(%q) = true, want false", c)
		}
	}
}

// FuzzParseWorkerIdentifier: any input parses or fails with an
// *IdentifierError in French; what parses has a valid shape and its
// canonical spelling reads back to the same identifier.
func FuzzParseWorkerIdentifier(f *testing.F) {
	for _, s := range []string{"180017505600103", "780017505600191", "NTT:ABC123", "ntt:x", "DE:65180175M017",
		"be:85.07.30-033.61", "FR:1", "XX:1", "DE:", "DE:A B", ":", "NTT:", "2A0175056001", "DE:-", "IT:\u202eX"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := dosimetry.ParseWorkerIdentifier(s)
		if err != nil {
			var ie *dosimetry.IdentifierError
			if !errors.As(err, &ie) {
				t.Fatalf("ParseWorkerIdentifier(%q) error = %#v, want *IdentifierError", s, err)
			}
			msg := err.Error()
			first, _ := utf8.DecodeRuneInString(msg)
			if !utf8.ValidString(msg) || !unicode.IsUpper(first) || !strings.HasSuffix(msg, ".") {
				t.Fatalf("ParseWorkerIdentifier(%q) error %q is not a French sentence", s, msg)
			}
			if strings.ContainsFunc(msg, dosimetry.RefusedRune) {
				t.Fatalf("ParseWorkerIdentifier(%q) error %q quotes a control character", s, msg)
			}
			return
		}
		switch id.Kind {
		case dosimetry.IdentifierNIR, dosimetry.IdentifierNIA:
			if len(id.Value) != 15 || id.Country != "" {
				t.Fatalf("ParseWorkerIdentifier(%q) = %+v: not a NIR", s, id)
			}
		case dosimetry.IdentifierNTT:
			if n := len(id.Value); n < 1 || n > 40 || id.Country != "" {
				t.Fatalf("ParseWorkerIdentifier(%q) = %+v: not an NTT", s, id)
			}
		case dosimetry.IdentifierForeign:
			if n := len(id.Value); n < 1 || n > 40 || !dosimetry.IsCountryCode(id.Country) || id.Country == "FR" ||
				strings.Trim(id.Value, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-/.") != "" {
				t.Fatalf("ParseWorkerIdentifier(%q) = %+v: not a foreign identifier", s, id)
			}
		default:
			t.Fatalf("ParseWorkerIdentifier(%q) = %+v: unknown kind", s, id)
		}
		again, err := dosimetry.ParseWorkerIdentifier(id.String())
		if err != nil || again != id {
			t.Fatalf("ParseWorkerIdentifier(%q) = %+v, %v, want %+v", id.String(), again, err, id)
		}
	})
}
