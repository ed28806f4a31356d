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

func TestSealVerifies(t *testing.T) {
	k := certificate.Generate()
	file := issue(t, k, document())
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
}

func TestModifiedFileRefused(t *testing.T) {
	k := certificate.Generate()
	file := issue(t, k, document())
	flip := func(i int) []byte {
		out := bytes.Clone(file)
		out[i] ^= 0x01
		return out
	}
	seal := bytes.LastIndex(file, []byte("%SISERI-SEAL"))
	other := issue(t, certificate.Generate(), document())
	cases := map[string][]byte{
		"first byte":        flip(0),
		"middle byte":       flip(len(file) / 2),
		"last byte of body": flip(seal - 2),
		"signature":         flip(len(file) - 12),
		"truncated":         file[:len(file)-1],
		"appended":          append(bytes.Clone(file), '\n'),
		"no seal":           file[:seal],
		"other key":         other,
		"seal of another":   append(bytes.Clone(file[:seal]), other[bytes.LastIndex(other, []byte("%SISERI-SEAL")):]...),
		"empty":             nil,
	}
	for name, f := range cases {
		if _, err := k.VerifyFile(f); !errors.Is(err, certificate.ErrNotAuthentic) {
			t.Errorf("%s: err = %v, want ErrNotAuthentic", name, err)
		}
	}
}

func TestQueryVerifies(t *testing.T) {
	k := certificate.Generate()
	c := document().Claim()
	q := k.SignQuery(c)
	got, err := k.VerifyQuery(c.ID, q)
	if err != nil || got != c {
		t.Fatalf("VerifyQuery = %+v, %v; want %+v", got, err, c)
	}
	for _, tamper := range []func(){
		func() { q.Set("t", "X. Y.") },
		func() { q.Set("d", "2026-12-07") },
		func() { q.Set("c", strings.Repeat("0", 64)) },
		func() { q.Set("k", "unknown") },
	} {
		q = k.SignQuery(c)
		tamper()
		if _, err := k.VerifyQuery(c.ID, q); !errors.Is(err, certificate.ErrNotAuthentic) {
			t.Errorf("tampered query %v verified", q)
		}
	}
	if _, err := k.VerifyQuery("OTHERID", k.SignQuery(c)); err == nil {
		t.Error("a signature verified for another certificate id")
	}
}

func TestRotatedKeyStillVerifies(t *testing.T) {
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
	// Without the retired key published, the old certificate is refused.
	forgot, _ := certificate.ParseConfig(base64.StdEncoding.EncodeToString(newSeed), "2026", "")
	if _, err := forgot.VerifyFile(file); err == nil {
		t.Error("a certificate verified without its key")
	}
	// A new certificate is signed by the new key only.
	if _, err := old.VerifyFile(issue(t, rotated, document())); err == nil {
		t.Error("the old keyring verified a certificate of the new key")
	}
}

func TestParseConfigRefuses(t *testing.T) {
	seed := base64.StdEncoding.EncodeToString(make([]byte, 32))
	for name, args := range map[string][3]string{
		"short seed":    {base64.StdEncoding.EncodeToString(make([]byte, 16)), "", ""},
		"not base64":    {"%%%", "", ""},
		"bad id":        {seed, "a b", ""},
		"bad old key":   {seed, "", "x=AAAA"},
		"old key no id": {seed, "", base64.StdEncoding.EncodeToString(make([]byte, 32))},
	} {
		if _, err := certificate.ParseConfig(args[0], args[1], args[2]); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestMaskNIRAndInitials(t *testing.T) {
	if got := certificate.MaskNIR("2800375123456"); got != "*********3456" {
		t.Errorf("MaskNIR = %q", got)
	}
	if got := certificate.Initials(certificate.Holder{FirstNames: " jean-luc", LastName: "d'Arc"}); got != "J. D." {
		t.Errorf("Initials = %q", got)
	}
}
