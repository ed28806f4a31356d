package certificate_test

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/certificate"
)

func document() certificate.Document {
	day := func(m int) time.Time { return time.Date(2025, time.Month(m), 1, 0, 0, 0, 0, time.UTC) }
	return certificate.Document{
		ID: "ABCDEFGH2345", Issued: time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC),
		Holder:      certificate.Holder{LastName: "Dupont", FirstNames: "Élise Marie", BirthDate: time.Date(1980, 3, 4, 0, 0, 0, 0, time.UTC), NIR: "2800375123456"},
		Employments: []certificate.Employment{{Establishment: "CHU de Brest", SIRET: "73282932000074", Start: day(1)}},
		Results: []certificate.Result{
			{PeriodStart: day(2), PeriodEnd: day(3).AddDate(0, 0, -1), MonitoringKind: "PASSIVE_WHOLE_BODY", Quantity: "HP10", Status: "MEASURED", ValueUsv: 120, Establishment: "CHU de Brest"},
			{PeriodStart: day(1), PeriodEnd: day(2).AddDate(0, 0, -1), MonitoringKind: "PASSIVE_WHOLE_BODY", Quantity: "HP10", Status: "BELOW_THRESHOLD", ValueUsv: 0, Establishment: "CHU de Brest"},
		},
		Standings: []certificate.Standing{{Label: "Dose efficace (12 mois glissants)", SumUsv: 120, LimitUsv: 20000, WindowStart: day(1), WindowEnd: day(12)}},
	}
}

// issue renders and seals d as the server does.
func issue(t *testing.T, k *certificate.Keyring, d certificate.Document) []byte {
	t.Helper()
	c := d.Claim()
	pdf, err := certificate.Render(d, "https://siseri.example/verification/"+c.ID+"?"+k.SignQuery(c).Encode(), "SISERI "+c.ID)
	if err != nil {
		t.Fatal(err)
	}
	return k.Seal(pdf, c)
}

func TestSeal(t *testing.T) {
	k := certificate.Generate()
	file := issue(t, k, document())
	t.Run("OK", func(t *testing.T) {
		// Ensure a sealed PDF verifies and tells its number, date and holder's initials.
		if !bytes.HasPrefix(file, []byte("%PDF-")) || !bytes.HasSuffix(file, []byte("%%EOF\n")) {
			t.Fatalf("not a PDF: %q … %q", file[:8], file[len(file)-8:])
		}
		c, err := k.VerifyFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if c.ID != "ABCDEFGH2345" || c.Holder != "É. D." || c.Issued != "2026-12-06" {
			t.Errorf("claim = %+v", c)
		}
	})
	t.Run("ErrModified", func(t *testing.T) {
		// Ensure any change to the file, its seal included, makes it not authentic.
		flip := func(i int) []byte {
			out := bytes.Clone(file)
			out[i] ^= 0x01
			return out
		}
		seal := bytes.LastIndex(file, []byte("%SISERI-SEAL"))
		other := issue(t, certificate.Generate(), document())
		tests := []struct {
			name string
			file []byte
		}{
			{"first byte", flip(0)},
			{"middle byte", flip(len(file) / 2)},
			{"last byte of the body", flip(seal - 2)},
			{"signature", flip(len(file) - 12)},
			{"truncated", file[:len(file)-1]},
			{"appended", append(bytes.Clone(file), '\n')},
			{"no seal", file[:seal]},
			{"another key", other},
			{"seal of another file", append(bytes.Clone(file[:seal]), other[bytes.LastIndex(other, []byte("%SISERI-SEAL")):]...)},
			{"empty", nil},
		}
		for _, tc := range tests {
			if _, err := k.VerifyFile(tc.file); !errors.Is(err, certificate.ErrNotAuthentic) {
				t.Errorf("%s: err = %v, want ErrNotAuthentic", tc.name, err)
			}
		}
	})
}

func TestQuery(t *testing.T) {
	k := certificate.Generate()
	c := document().Claim()
	t.Run("OK", func(t *testing.T) {
		// Ensure the signed query of the QR code verifies to its claim.
		got, err := k.VerifyQuery(c.ID, k.SignQuery(c))
		if err != nil || got != c {
			t.Fatalf("VerifyQuery = %+v, %v; want %+v", got, err, c)
		}
	})
	t.Run("ErrTampered", func(t *testing.T) {
		// Ensure a query with any field changed, or for another certificate, is not authentic.
		tests := []struct{ name, id, key, value string }{
			{"initials", c.ID, "t", "X. Y."},
			{"date", c.ID, "d", "2026-12-07"},
			{"content", c.ID, "c", strings.Repeat("0", 64)},
			{"key id", c.ID, "k", "unknown"},
			{"signature", c.ID, "s", "AAAA"},
			{"certificate id", "OTHERID", "", ""},
		}
		for _, tc := range tests {
			q := k.SignQuery(c)
			if tc.key != "" {
				q.Set(tc.key, tc.value)
			}
			if _, err := k.VerifyQuery(tc.id, q); !errors.Is(err, certificate.ErrNotAuthentic) {
				t.Errorf("%s: err = %v, want ErrNotAuthentic", tc.name, err)
			}
		}
	})
}

func TestRotation(t *testing.T) {
	oldSeed := bytes.Repeat([]byte{1}, ed25519.SeedSize)
	newSeed := bytes.Repeat([]byte{2}, ed25519.SeedSize)
	old, err := certificate.ParseConfig(base64.StdEncoding.EncodeToString(oldSeed), "2025", "")
	if err != nil {
		t.Fatal(err)
	}
	file := issue(t, old, document())
	q := old.SignQuery(document().Claim())
	oldPub := base64.StdEncoding.EncodeToString(ed25519.NewKeyFromSeed(oldSeed).Public().(ed25519.PublicKey))
	rotated, err := certificate.ParseConfig(base64.StdEncoding.EncodeToString(newSeed), "2026", "2025="+oldPub)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("OK", func(t *testing.T) {
		// Ensure a certificate and a QR code of the retired key still verify after the rotation, and both keys are published.
		if _, err := rotated.VerifyFile(file); err != nil {
			t.Errorf("a certificate of the retired key no longer verifies: %v", err)
		}
		if _, err := rotated.VerifyQuery(document().ID, q); err != nil {
			t.Errorf("a QR code of the retired key no longer verifies: %v", err)
		}
		keys := rotated.Keys()
		if len(keys) != 2 || keys[0].ID != "2026" || !keys[0].Current || keys[1].ID != "2025" || keys[1].Current {
			t.Errorf("published keys = %+v", keys)
		}
	})
	t.Run("ErrKeyDropped", func(t *testing.T) {
		// Ensure a certificate does not verify once its key is no longer published.
		forgot, _ := certificate.ParseConfig(base64.StdEncoding.EncodeToString(newSeed), "2026", "")
		if _, err := forgot.VerifyFile(file); err == nil {
			t.Error("a certificate verified without its key")
		}
	})
	t.Run("ErrNewKeyUnknownToOld", func(t *testing.T) {
		// Ensure new certificates are signed by the new key, not the retired one.
		if _, err := old.VerifyFile(issue(t, rotated, document())); err == nil {
			t.Error("the old keyring verified a certificate of the new key")
		}
	})
}

func TestParseConfig(t *testing.T) {
	seed := base64.StdEncoding.EncodeToString(make([]byte, 32))
	tests := []struct {
		name, seed, id, old string
		wantErr             bool
	}{
		{"OK", seed, "", "", false},
		{"OKWithOldKey", seed, "k2", "k1=" + base64.StdEncoding.EncodeToString(make([]byte, 32)), false},
		{"ErrShortSeed", base64.StdEncoding.EncodeToString(make([]byte, 16)), "", "", true},
		{"ErrNotBase64", "%%%", "", "", true},
		{"ErrBadID", seed, "a b", "", true},
		{"ErrBadOldKey", seed, "", "x=AAAA", true},
		{"ErrOldKeyWithoutID", seed, "", base64.StdEncoding.EncodeToString(make([]byte, 32)), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := certificate.ParseConfig(tc.seed, tc.id, tc.old)
			if (err != nil) != tc.wantErr {
				t.Errorf("ParseConfig(%q, %q, %q) err = %v, wantErr %v", tc.seed, tc.id, tc.old, err, tc.wantErr)
			}
		})
	}
}

func TestMaskNIRAndInitials(t *testing.T) {
	tests := []struct{ name, got, want string }{
		{"MaskNIR", certificate.MaskNIR("2800375123456"), "*********3456"},
		{"MaskNIRShort", certificate.MaskNIR("123"), "***"},
		{"Initials", certificate.Initials(certificate.Holder{FirstNames: " jean-luc", LastName: "d'Arc"}), "J. D."},
		{"InitialsAccent", certificate.Initials(certificate.Holder{FirstNames: "Élise Marie", LastName: "Ölund"}), "É. Ö."},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s = %q, want %q", tc.name, tc.got, tc.want)
		}
	}
}
