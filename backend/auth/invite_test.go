package auth

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/policy"
)

// Guessing activation tokens is rate-limited per address as failed sign-ins
// are: after the address's allowance, even a valid link is refused from it
// (TOO_MANY_REQUESTS) while another address still uses it.
func TestActivationRateLimitedPerAddress(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx := policy.SystemContext(context.Background())
	acc := db.Client.Account.Create().SetEmail("invite@example.fr").SetDisplayName("Invitée").SaveX(ctx)
	s := NewService(db.Client)
	s.PublicURL = "https://siseri.example.fr/"
	clock := time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return clock }
	inv, err := s.Invite(ctx, acc, nil)
	if err != nil {
		t.Fatal(err)
	}
	token, ok := strings.CutPrefix(inv.Link, "https://siseri.example.fr/activation/")
	if !ok {
		t.Fatalf("link %q is not on the public URL", inv.Link)
	}
	for i := range 30 {
		if _, err := s.PeekActivation(ctx, fmt.Sprintf("act_guess%d", i), "203.0.113.9"); apperr.CodeOf(err) != apperr.TokenInvalid {
			t.Fatalf("guess %d: %v, want TOKEN_INVALID", i, err)
		}
	}
	if _, err := s.PeekActivation(ctx, token, "203.0.113.9"); apperr.CodeOf(err) != apperr.TooManyRequests {
		t.Fatalf("valid link from the guessing address: %v, want TOO_MANY_REQUESTS", err)
	}
	if _, err := s.ActivateFrom(ctx, token, "un mot de passe solide", "203.0.113.9"); apperr.CodeOf(err) != apperr.TooManyRequests {
		t.Fatalf("activation from the guessing address: %v, want TOO_MANY_REQUESTS", err)
	}
	if a, err := s.ActivateFrom(ctx, token, "un mot de passe solide", "198.51.100.4"); err != nil || a.ID != acc.ID {
		t.Fatalf("activation from another address: %v", err)
	}
	clock = clock.Add(time.Hour)
	if _, err := s.PeekActivation(ctx, token, "203.0.113.9"); apperr.CodeOf(err) != apperr.TokenInvalid {
		t.Fatalf("used link an hour later: %v, want TOKEN_INVALID (the address is allowed again)", err)
	}
}
