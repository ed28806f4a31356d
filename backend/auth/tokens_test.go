package auth

import (
	"context"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/policy"
)

// An activation link works once, within 24 hours, and a newer one replaces it.
func TestActivationLinkIsOneTimeAndExpires(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx := policy.SystemContext(context.Background())
	acc, err := db.Client.Account.Create().SetEmail("new.admin@example.fr").SetDisplayName("Admin").Save(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s := NewService(db.Client)
	clock := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return clock }

	first, _, err := s.IssueActivation(ctx, acc.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	second, expires, err := s.IssueActivation(ctx, acc.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := clock.Add(24 * time.Hour); !expires.Equal(want) {
		t.Fatalf("expires %v, want %v", expires, want)
	}
	if _, err := s.Activate(ctx, first, "un mot de passe long"); apperr.CodeOf(err) != apperr.TokenInvalid {
		t.Fatalf("replaced link: got %v, want TOKEN_INVALID", err)
	}
	if _, err := s.Activate(ctx, second, "court"); apperr.CodeOf(err) != apperr.BadUserInput {
		t.Fatalf("short password: got %v, want BAD_USER_INPUT", err)
	}
	if got, err := s.ActivationAccount(ctx, second); err != nil || got.ID != acc.ID {
		t.Fatalf("peek: %v %v", got, err)
	}
	if _, err := s.Activate(ctx, second, "un mot de passe long"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Activate(ctx, second, "un mot de passe long"); apperr.CodeOf(err) != apperr.TokenInvalid {
		t.Fatalf("second use: got %v, want TOKEN_INVALID", err)
	}
	if sess, err := s.Login(ctx, "new.admin@example.fr", "un mot de passe long", "127.0.0.1", "test"); err != nil || sess.Token == "" {
		t.Fatalf("login after activation: %v", err)
	}

	late, _, err := s.IssueActivation(ctx, acc.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(24 * time.Hour)
	if _, err := s.ActivationAccount(ctx, late); apperr.CodeOf(err) != apperr.TokenInvalid {
		t.Fatalf("expired link: got %v, want TOKEN_INVALID", err)
	}
}
