package dosimetry_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/dosimetry"
)

// MustParseNIR parses s or fails the test.
func MustParseNIR(tb testing.TB, s string) dosimetry.NIR {
	tb.Helper()
	n, err := dosimetry.ParseNIR(s)
	if err != nil {
		tb.Fatalf("ParseNIR(%q) error: %v", s, err)
	}
	return n
}

// Keys below were computed by hand (and with a calculator), not with the
// code under test: key = 97 − (first 13 digits mod 97), 2A read as 19 and
// 2B as 18. The known example 1 84 12 76 451 089: 1841276451089 mod 97 = 51,
// so the key is 97 − 51 = 46.
func TestParseNIR(t *testing.T) {
	// Ensure valid NIRs, typed in the usual ways, are accepted and normalised.
	t.Run("OK", func(t *testing.T) {
		tests := []struct {
			name, in, want string
			kind           dosimetry.IdentifierKind
		}{
			{"KnownExample", "1 84 12 76 451 089 46", "184127645108946", dosimetry.IdentifierNIR},
			{"Compact", "184127645108946", "184127645108946", dosimetry.IdentifierNIR},
			{"Dots", "1.84.12.76.451.089.46", "184127645108946", dosimetry.IdentifierNIR},
			{"Tabs and no-break spaces", "\t1 84\u00a012 76\u202f451 089 46 ", "184127645108946", dosimetry.IdentifierNIR},
			{"BornAbroad", "2 69 05 99 350 001 12", "269059935000112", dosimetry.IdentifierNIR},
			{"Corsica2A", "1 85 01 2A 123 456 66", "185012A12345666", dosimetry.IdentifierNIR},
			{"Corsica2ALowercase", "1 85 01 2a 123 456 66", "185012A12345666", dosimetry.IdentifierNIR},
			{"Corsica2B", "290032b05000249", "290032B05000249", dosimetry.IdentifierNIR},
			{"CorsicaBefore1976", "1 60 05 20 004 123 90", "160052000412390", dosimetry.IdentifierNIR},
			{"Overseas974", "2 84 12 974 11 054 82", "284129741105482", dosimetry.IdentifierNIR},
			{"Overseas987", "2 01 01 987 35 001 02", "201019873500102", dosimetry.IdentifierNIR},
			{"PseudoMonth20", "1 80 20 75 116 001 59", "180207511600159", dosimetry.IdentifierNIR},
			{"PseudoMonth35", "2 75 35 13 055 001 21", "275351305500121", dosimetry.IdentifierNIR},
			{"PseudoMonth55", "1 99 55 99 135 002 21", "199559913500221", dosimetry.IdentifierNIR},
			{"PseudoMonth42", "2 80 42 75 056 003 25", "280427505600325", dosimetry.IdentifierNIR},
			{"PseudoMonth99", "1 75 99 99 135 002 58", "175999913500258", dosimetry.IdentifierNIR},
			{"ProvisionalMale", "7 85 05 99 123 456 95", "785059912345695", dosimetry.IdentifierNIA},
			{"ProvisionalFemale", "8 91 03 99 350 012 46", "891039935001246", dosimetry.IdentifierNIA},
			{"Year00", "1 00 01 01 001 001 05", "100010100100105", dosimetry.IdentifierNIR},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				n, err := dosimetry.ParseNIR(tc.in)
				if err != nil {
					t.Fatalf("ParseNIR(%q) error: %v", tc.in, err)
				}
				if got := n.String(); got != tc.want {
					t.Errorf("ParseNIR(%q) = %q, want %q", tc.in, got, tc.want)
				}
				if got := n.Kind(); got != tc.kind {
					t.Errorf("ParseNIR(%q).Kind() = %v, want %v", tc.in, got, tc.kind)
				}
			})
		}
	})

	// Ensure invalid NIRs are rejected with the right sentinel and a French
	// message that says what is wrong.
	t.Run("Err", func(t *testing.T) {
		tests := []struct {
			name, in string
			wantErr  error
			wantMsg  string
		}{
			{"ErrEmpty", "", dosimetry.ErrEmpty, "Le NIR est vide."},
			{"ErrEmptySeparators", " . ", dosimetry.ErrEmpty, "Le NIR « . » est vide."},
			{"ErrLengthNoKey", "1 84 12 76 451 089", dosimetry.ErrLength, "a une longueur de 13 caractères au lieu de 15."},
			{"ErrLengthTooLong", "1841276451089461", dosimetry.ErrLength, "a une longueur de 16 caractères au lieu de 15."},
			{"ErrLengthOne", "1", dosimetry.ErrLength, "a une longueur de 1 caractère au lieu de 15."},
			{"ErrCharacterLetter", "1841X7645108946", dosimetry.ErrCharacter, "un caractère non numérique « X » en position 5."},
			{"ErrCharacterDash", "1-84-12-76-451-089-46", dosimetry.ErrLength, "longueur de 21"},
			{"ErrCharacterUnicode", "18412764510894é", dosimetry.ErrCharacter, "« é » en position 15."},
			{"ErrCharacter3A", "185013A12345666", dosimetry.ErrCharacter, "« A » en position 7."},
			{"ErrCharacterA2", "18501A212345666", dosimetry.ErrCharacter, "« A » en position 6."},
			{"ErrChecksum", "184127645108912", dosimetry.ErrChecksum, "Le NIR 184127645108912 a une clé de contrôle invalide (attendue 46, reçue 12)."},
			{"ErrChecksumCorsicaAsDigits", "185012012345666", dosimetry.ErrChecksum, "attendue"},
			{"ErrChecksumLeadingZero", "201019873500120", dosimetry.ErrChecksum, "(attendue 02, reçue 20)"},
			{"ErrChecksumKey98", "184127645108998", dosimetry.ErrChecksum, "reçue 98"},
			{"ErrSex3", "384127645108943", dosimetry.ErrStructure, "premier chiffre (sexe) invalide « 3 »"},
			{"ErrSex0", "084127645108946", dosimetry.ErrStructure, "sexe"},
			{"ErrMonth00", "184007645108946", dosimetry.ErrStructure, "mois de naissance invalide « 00 »"},
			{"ErrMonth13", "184137645108946", dosimetry.ErrStructure, "mois de naissance invalide « 13 »"},
			{"ErrMonth19", "184197645108946", dosimetry.ErrStructure, "« 19 »"},
			{"ErrMonth43", "184437645108946", dosimetry.ErrStructure, "« 43 »"},
			{"ErrMonth49", "184497645108946", dosimetry.ErrStructure, "« 49 »"},
			{"ErrDepartment00", "184120045108946", dosimetry.ErrStructure, "département de naissance invalide « 00 »"},
			{"ErrDepartment96", "184129645108946", dosimetry.ErrStructure, "département de naissance invalide « 96 »"},
			{"ErrCommune000", "184127600008946", dosimetry.ErrStructure, "code commune de naissance invalide « 000 »"},
			{"ErrCommuneOverseas00", "184129710008946", dosimetry.ErrStructure, "code commune de naissance invalide « 00 »"},
			{"ErrCountry000", "184129900008946", dosimetry.ErrStructure, "code pays de naissance invalide « 000 »"},
			{"ErrOrder000", "184127645100046", dosimetry.ErrStructure, "numéro d'ordre invalide « 000 »"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				n, err := dosimetry.ParseNIR(tc.in)
				if err == nil {
					t.Fatalf("ParseNIR(%q) = %v, want error %v", tc.in, n, tc.wantErr)
				}
				if !errors.Is(err, tc.wantErr) {
					t.Errorf("ParseNIR(%q) error = %v, want %v", tc.in, err, tc.wantErr)
				}
				var ie *dosimetry.IdentifierError
				if !errors.As(err, &ie) || ie.Field != "NIR" || ie.Value != tc.in {
					t.Errorf("ParseNIR(%q) error = %#v, want *IdentifierError for NIR with the input", tc.in, err)
				}
				if !strings.Contains(err.Error(), tc.wantMsg) {
					t.Errorf("ParseNIR(%q) error = %q, want it to contain %q", tc.in, err.Error(), tc.wantMsg)
				}
			})
		}
	})
}

func TestNIRMethods(t *testing.T) {
	tests := []struct {
		in                   string
		sex                  dosimetry.Sex
		year                 int
		month                time.Month
		dept, commune, place string
		abroad, provisional  bool
		key                  int
		formatted, masked    string
	}{
		{"184127645108946", dosimetry.SexMale, 84, time.December, "76", "451", "76451", false, false, 46,
			"1 84 12 76 451 089 46", "1 84 12 ** *** *** **"},
		{"269059935000112", dosimetry.SexFemale, 69, time.May, "99", "", "99350", true, false, 12,
			"2 69 05 99 350 001 12", "2 69 05 ** *** *** **"},
		{"185012A12345666", dosimetry.SexMale, 85, time.January, "2A", "123", "2A123", false, false, 66,
			"1 85 01 2A 123 456 66", "1 85 01 ** *** *** **"},
		{"284129741105482", dosimetry.SexFemale, 84, time.December, "974", "11", "97411", false, false, 82,
			"2 84 12 974 11 054 82", "2 84 12 ** *** *** **"},
		{"785059912345695", dosimetry.SexMale, 85, time.May, "99", "", "99123", true, true, 95,
			"7 85 05 99 123 456 95", "7 85 05 ** *** *** **"},
		{"891039935001246", dosimetry.SexFemale, 91, time.March, "99", "", "99350", true, true, 46,
			"8 91 03 99 350 012 46", "8 91 03 ** *** *** **"},
		{"180207511600159", dosimetry.SexMale, 80, 0, "75", "116", "75116", false, false, 59,
			"1 80 20 75 116 001 59", "1 80 20 ** *** *** **"},
		{"100010100100105", dosimetry.SexMale, 0, time.January, "01", "001", "01001", false, false, 5,
			"1 00 01 01 001 001 05", "1 00 01 ** *** *** **"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			n := MustParseNIR(t, tc.in)
			check := func(name string, got, want any) {
				t.Helper()
				if got != want {
					t.Errorf("NIR(%q).%s() = %v, want %v", tc.in, name, got, want)
				}
			}
			check("Sex", n.Sex(), tc.sex)
			check("BirthYear2", n.BirthYear2(), tc.year)
			check("BirthMonth", n.BirthMonth(), tc.month)
			check("Department", n.Department(), tc.dept)
			check("Commune", n.Commune(), tc.commune)
			check("BirthPlace", n.BirthPlace(), tc.place)
			check("BornAbroad", n.BornAbroad(), tc.abroad)
			check("IsProvisional", n.IsProvisional(), tc.provisional)
			check("Key", n.Key(), tc.key)
			check("Formatted", n.Formatted(), tc.formatted)
			check("Masked", n.Masked(), tc.masked)
		})
	}

	// Ensure the zero NIR answers without panicking.
	t.Run("OKZero", func(t *testing.T) {
		var n dosimetry.NIR
		if !n.IsZero() || n.String() != "" || n.Masked() != "" || n.Formatted() != "" || n.Department() != "" ||
			n.Key() != 0 || n.Sex() != "" || n.BirthMonth() != 0 || n.IsProvisional() || n.BornAbroad() {
			t.Errorf("zero NIR methods returned non-zero values")
		}
	})
}

func TestNIRKey(t *testing.T) {
	tests := []struct {
		name, in string
		want     int
		wantErr  error
	}{
		{"OKKnownExample", "1 84 12 76 451 089", 46, nil},
		{"OKCorsica2A", "185012A123456", 66, nil},
		{"OKCorsica2BLower", "290032b050002", 49, nil},
		{"OKLeadingZeroKey", "2010198735001", 2, nil},
		{"OKKey97", "2991231234999", 62, nil},
		{"ErrEmpty", "", 0, dosimetry.ErrEmpty},
		{"ErrLength", "184127645108946", 0, dosimetry.ErrLength},
		{"ErrCharacter", "18412764510X9", 0, dosimetry.ErrCharacter},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := dosimetry.NIRKey(tc.in)
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("NIRKey(%q) error = %v, want %v", tc.in, err, tc.wantErr)
			}
			if got != tc.want {
				t.Errorf("NIRKey(%q) = %v, want %v", tc.in, got, tc.want)
			}
		})
	}
}

func TestParseNIA(t *testing.T) {
	// Ensure a NIA may carry sex digit 1/2 or 7/8 and is always of kind NIA.
	t.Run("OK", func(t *testing.T) {
		for _, in := range []string{"184127645108946", "7 85 05 99 123 456 95"} {
			n, err := dosimetry.ParseNIA(in)
			if err != nil {
				t.Fatalf("ParseNIA(%q) error: %v", in, err)
			}
			if n.Kind() != dosimetry.IdentifierNIA {
				t.Errorf("ParseNIA(%q).Kind() = %v, want %v", in, n.Kind(), dosimetry.IdentifierNIA)
			}
		}
	})

	// Ensure a NIA with a wrong key is rejected and the message names the NIA.
	t.Run("ErrChecksum", func(t *testing.T) {
		_, err := dosimetry.ParseNIA("785059912345690")
		want := "Le NIA 785059912345690 a une clé de contrôle invalide (attendue 95, reçue 90)."
		if err == nil || err.Error() != want {
			t.Errorf("ParseNIA(%q) error = %v, want %q", "785059912345690", err, want)
		}
	})
}

func FuzzParseNIR(f *testing.F) {
	for _, s := range []string{
		"184127645108946", "1 84 12 76 451 089 46", "185012a12345666", "290032B05000249",
		"284129741105482", "269059935000112", "785059912345695", "184127645108912",
		"", "2A", "1.84.12.76.451.089.46", "18412764510894é", "\x00\xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := dosimetry.ParseNIR(s)
		if err != nil {
			var ie *dosimetry.IdentifierError
			if !errors.As(err, &ie) || !strings.HasSuffix(err.Error(), ".") {
				t.Fatalf("ParseNIR(%q) error = %#v, want *IdentifierError with a sentence", s, err)
			}
			return
		}
		if got := len(n.String()); got != 15 {
			t.Fatalf("ParseNIR(%q) = %q, want 15 characters, got %d", s, n, got)
		}
		for _, again := range []string{n.String(), n.Formatted(), strings.ToLower(n.String())} {
			m, err := dosimetry.ParseNIR(again)
			if err != nil || m != n {
				t.Fatalf("ParseNIR(%q) = %v, %v, want %v", again, m, err, n)
			}
		}
		if k, err := dosimetry.NIRKey(n.String()[:13]); err != nil || k != n.Key() {
			t.Fatalf("NIRKey(%q) = %v, %v, want %v", n.String()[:13], k, err, n.Key())
		}
		if got := len(n.Masked()); got != 21 {
			t.Fatalf("NIR(%q).Masked() = %q, want 21 bytes", n, n.Masked())
		}
	})
}
