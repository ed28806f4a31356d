package auth

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/policy"
)

// A TOTP code is accepted one step either side of now, never two, and once.
func TestTOTPWindowAndReplay(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx := policy.SystemContext(context.Background())
	acc := db.Client.Account.Create().SetEmail("mdt@example.fr").SetDisplayName("MDT").SaveX(ctx)
	ses := db.Client.Session.Create().SetAccountID(acc.ID).SetTokenHash([]byte("h")).SetExpiresAt(time.Now().Add(time.Hour)).SaveX(ctx)
	s := NewService(db.Client)
	s.SecretKey = make([]byte, 32)
	if _, err := rand.Read(s.SecretKey); err != nil {
		t.Fatal(err)
	}
	clock := time.Date(2026, 12, 6, 9, 0, 10, 0, time.UTC)
	s.now = func() time.Time { return clock }
	v := &policy.Viewer{AccountID: acc.ID, Email: acc.Email, SessionID: ses.ID, SecondFactorPending: true}

	e, err := s.BeginTotpEnrolment(ctx, v)
	if err != nil {
		t.Fatal(err)
	}
	at := func(d time.Duration) string {
		c, err := totp.GenerateCodeCustom(e.Secret, clock.Add(d), totpOpts)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if _, err := s.ConfirmTotpEnrolment(ctx, v, at(0)); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(10 * time.Minute)
	for _, tc := range []struct {
		name string
		code string
		want apperr.Code
	}{
		{"TwoStepsAhead", at(60 * time.Second), apperr.SecondFactorInvalid},
		{"TwoStepsBehind", at(-60 * time.Second), apperr.SecondFactorInvalid},
		{"OneStepBehind", at(-30 * time.Second), ""},
		{"Now", at(0), ""},
		{"NowAgain", at(0), apperr.SecondFactorInvalid},
		{"OneStepBehindAfterNow", at(-30 * time.Second), apperr.SecondFactorInvalid},
		{"OneStepAhead", at(30 * time.Second), ""},
	} {
		_, err := s.VerifySecondFactor(ctx, v, tc.code)
		if apperr.CodeOf(err) != tc.want && !(tc.want == "" && err == nil) {
			t.Errorf("%s: err %v, want code %q", tc.name, err, tc.want)
		}
	}
}

// Secrets are sealed under the server key, bound to their account, and
// unreadable under another key.
func TestSealedSecret(t *testing.T) {
	s := &Service{SecretKey: bytes.Repeat([]byte{7}, 32)}
	sealed, err := s.seal([]byte("JBSWY3DPEHPK3PXP"), 1)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("JBSWY3DPEHPK3PXP")) || sealed[0] != sealedAESGCM {
		t.Fatalf("sealed = %q", sealed)
	}
	if got, err := s.open(sealed, 1); err != nil || string(got) != "JBSWY3DPEHPK3PXP" {
		t.Fatalf("open = %q, %v", got, err)
	}
	if _, err := s.open(sealed, 2); err == nil {
		t.Error("a secret opened under another account")
	}
	other := &Service{SecretKey: bytes.Repeat([]byte{8}, 32)}
	if _, err := other.open(sealed, 1); err == nil {
		t.Error("a secret opened under another key")
	}
	if _, err := (&Service{}).open(sealed, 1); err == nil {
		t.Error("a sealed secret opened without a key")
	}
	for _, in := range []string{base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{1}, 32)), base64.RawURLEncoding.EncodeToString(bytes.Repeat([]byte{1}, 32))} {
		if k, err := ParseSecretKey(in); err != nil || len(k) != 32 {
			t.Errorf("ParseSecretKey(%q) = %d bytes, %v", in, len(k), err)
		}
	}
	for _, in := range []string{"", "court", base64.StdEncoding.EncodeToString([]byte("16 octets exacts"))} {
		if _, err := ParseSecretKey(in); err == nil {
			t.Errorf("ParseSecretKey(%q) accepted", in)
		}
	}
}
