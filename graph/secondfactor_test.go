package graph_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/siseri/siseri/backend/audit"
	"github.com/siseri/siseri/backend/auth"
	"github.com/siseri/siseri/backend/server"
	"github.com/siseri/siseri/backend/server/servertest"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/auditevent"
	"github.com/siseri/siseri/ent/totpcredential"
	"github.com/siseri/siseri/policy"
)

// code returns the TOTP code of secret at t, as an authenticator app shows it.
func code(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCode(secret, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

type secondFactorMe struct {
	Me struct {
		SecondFactor      *string
		Roles             []string
		TotpEnabled       bool
		RecoveryCodesLeft int
	}
}

func meOf(t *testing.T, c *servertest.Client) secondFactorMe {
	t.Helper()
	var me secondFactorMe
	c.MustDo(`{ me { secondFactor roles activeRole totpEnabled recoveryCodesLeft grants { role validFrom } account { id email displayName } } }`, nil, &me)
	return me
}

func secondFactorOf(t *testing.T, c *servertest.Client) string {
	t.Helper()
	if sf := meOf(t, c).Me.SecondFactor; sf != nil {
		return *sf
	}
	return ""
}

// enrol enrols the pending session of c and returns the secret and the
// recovery codes.
func enrol(t *testing.T, c *servertest.Client) (string, []string) {
	t.Helper()
	var begun struct {
		BeginTotpEnrolment struct{ OtpauthURL, QrCode, Secret string }
	}
	c.MustDo(`mutation { beginTotpEnrolment { otpauthURL qrCode secret } }`, nil, &begun)
	e := begun.BeginTotpEnrolment
	if !strings.HasPrefix(e.OtpauthURL, "otpauth://totp/SISERI:") || !strings.Contains(e.OtpauthURL, "secret="+e.Secret) ||
		!strings.HasPrefix(e.QrCode, "data:image/png;base64,") || len(e.Secret) < 32 {
		t.Fatalf("enrolment = %+v", e)
	}
	var confirmed struct{ ConfirmTotpEnrolment []string }
	c.MustDo(`mutation($c: String!) { confirmTotpEnrolment(code: $c) }`, map[string]any{"c": code(t, e.Secret, time.Now())}, &confirmed)
	return e.Secret, confirmed.ConfirmTotpEnrolment
}

func verify(c *servertest.Client, code string) *servertest.Response {
	return c.Do(`mutation($c: String!) { verifySecondFactor(code: $c) { secondFactor roles } }`, map[string]any{"c": code})
}

func TestSecondFactor(t *testing.T) {
	db := storetest.MustOpen(t)
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	srv := servertest.MustStartWith(t, db, func(c *server.Config) { c.SecretKey = key })
	ctx := policy.SystemContext(context.Background())
	est := mustPopulate(t, db.Client, 3)
	at := func(g *ent.GrantCreate) { g.SetEstablishmentID(est.ID) }
	phys := servertest.MustCreateAccount(t, db.Client, "mdt@test.fr", policy.RolePhysician, at)
	phys2 := servertest.MustCreateAccount(t, db.Client, "mdt2@test.fr", policy.RolePhysician, at)
	servertest.MustCreateAccount(t, db.Client, "rh@test.fr", policy.RoleEmployer, at)
	w := db.Client.Worker.Query().FirstX(ctx)
	servertest.MustCreateAccount(t, db.Client, "moi@test.fr", policy.RoleWorker, func(g *ent.GrantCreate) { g.SetWorkerID(w.ID) })
	servertest.MustCreateAccount(t, db.Client, "admin@test.fr", policy.RoleAdmin, nil)
	demo := db.Client.Account.Create().SetEmail("admin@demo.test.fr").SetDisplayName("Démo").
		SetPasswordHash(db.Client.Account.GetX(ctx, phys.ID).PasswordHash).SetDemo(true).SaveX(ctx)
	db.Client.Grant.Create().SetAccountID(demo.ID).SetRole(policy.RoleAdmin).SetValidFrom(time.Now().Add(-time.Hour)).SaveX(ctx)

	const doses = `{ doseRecords(first: 5) { totalCount edges { node { valueUsv } } } }`
	var secret string
	var recovery []string

	t.Run("ErrPendingReadsNothing", func(t *testing.T) {
		// Ensure a physician's password session waits for enrolment and can
		// neither read doses nor act, whatever it asks.
		c := srv.NewClient(t)
		c.MustLoginPending("mdt@test.fr", servertest.Password)
		me := meOf(t, c)
		if me.Me.SecondFactor == nil || *me.Me.SecondFactor != "ENROLMENT_REQUIRED" || len(me.Me.Roles) != 0 || me.Me.TotpEnabled {
			t.Fatalf("pending me = %+v, want ENROLMENT_REQUIRED and no role", me.Me)
		}
		for _, q := range []string{
			doses,
			`{ me { roles } workers(first: 1) { totalCount } }`,
			`mutation { switchRole(role: OCCUPATIONAL_PHYSICIAN) { roles } }`,
			`mutation { regenerateRecoveryCodes(code: "123456") }`,
			`subscription { anomalyRaised { cursor } }`,
		} {
			res := c.Do(q, nil)
			if res.Code() != "SECOND_FACTOR_REQUIRED" || (res.Data != nil && string(res.Data) != "null") {
				t.Errorf("%s: code %q data %s, want SECOND_FACTOR_REQUIRED and no data", q, res.Code(), res.Data)
			}
		}
		// Nor upload a file (GraphQL multipart).
		if _, raw := upload(t, c, srv.URL, "2FA-1", "x", true); !strings.Contains(string(raw), "SECOND_FACTOR_REQUIRED") {
			t.Errorf("pending upload: %s, want SECOND_FACTOR_REQUIRED", raw)
		}
		// Nor over a websocket: the subscription is answered with the error.
		sub := mustSubscribe(t, srv, c.Token, "")
		m := sub.next(5 * time.Second)
		if payload, _ := m["payload"].(map[string]any); payload == nil || payload["data"] != nil ||
			!strings.Contains(fmt.Sprint(payload["errors"]), "SECOND_FACTOR_REQUIRED") {
			t.Errorf("pending subscription over a websocket: %v, want SECOND_FACTOR_REQUIRED and no data", m)
		}
		// Only the person's own account shows while pending.
		if res := c.Do(`{ me { account { rpps grants(first: 1) { totalCount } } } }`, nil); res.Code() != "FORBIDDEN_FIELD" {
			t.Errorf("pending me.account.grants: code %q, want FORBIDDEN_FIELD", res.Code())
		}
	})

	t.Run("OKEnrol", func(t *testing.T) {
		// Ensure enrolment by a code of the app opens the session and returns 10
		// one-time recovery codes; a wrong code is refused first.
		c := srv.NewClient(t)
		c.MustLoginPending("mdt@test.fr", servertest.Password)
		var begun struct{ BeginTotpEnrolment struct{ Secret string } }
		c.MustDo(`mutation { beginTotpEnrolment { secret } }`, nil, &begun)
		wrong := code(t, begun.BeginTotpEnrolment.Secret, time.Now().Add(-time.Hour))
		if res := c.Do(`mutation($c: String!) { confirmTotpEnrolment(code: $c) }`, map[string]any{"c": wrong}); res.Code() != "SECOND_FACTOR_INVALID" {
			t.Fatalf("wrong confirmation code: %q, want SECOND_FACTOR_INVALID", res.Code())
		}
		secret, recovery = enrol(t, c) // a new enrolment replaces the unconfirmed one
		if len(recovery) != auth.RecoveryCodeCount {
			t.Fatalf("recovery codes = %v", recovery)
		}
		me := meOf(t, c)
		if me.Me.SecondFactor != nil || !me.Me.TotpEnabled || me.Me.RecoveryCodesLeft != 10 || len(me.Me.Roles) != 1 {
			t.Fatalf("after enrolment me = %+v", me.Me)
		}
		c.MustDo(doses, nil, nil)
		cred := db.Client.TotpCredential.Query().Where(totpcredential.AccountID(phys.ID), totpcredential.ConfirmedAtNotNil()).OnlyX(ctx)
		if strings.Contains(string(cred.Secret), secret) {
			t.Error("the TOTP secret is stored in clear under a server key")
		}
		if res := c.Do(`mutation { beginTotpEnrolment { secret } }`, nil); res.Code() != "CONFLICT" {
			t.Errorf("second enrolment: %q, want CONFLICT", res.Code())
		}
	})

	var nextCode string
	t.Run("OKCode", func(t *testing.T) {
		// Ensure a code of the app (here the next step's, within the skew)
		// opens a new session, and the sign-in is audited.
		c := srv.NewClient(t)
		c.MustLoginPending("mdt@test.fr", servertest.Password)
		if got := secondFactorOf(t, c); got != "REQUIRED" {
			t.Fatalf("secondFactor = %q, want REQUIRED", got)
		}
		nextCode = code(t, secret, time.Now().Add(30*time.Second))
		res := verify(c, nextCode)
		if len(res.Errors) > 0 {
			t.Fatalf("verify: %+v", res.Errors)
		}
		c.MustDo(doses, nil, nil)
		ev := db.Client.AuditEvent.Query().Where(auditevent.Operation("verifySecondFactor"), auditevent.Action(audit.ActionLogin)).OnlyX(ctx)
		if ev.ActorAccountID == nil || *ev.ActorAccountID != phys.ID || ev.Details["method"] != "otp" {
			t.Errorf("audit event = %+v", ev)
		}
	})

	// Sign-ins are limited to 5 per account per 15 minutes and wrong codes to
	// 5: the cases below share sessions to stay under both.
	var opened *servertest.Client
	t.Run("ErrReplay", func(t *testing.T) {
		// Ensure a code already used (or one of an earlier step) is refused.
		c := srv.NewClient(t)
		c.MustLoginPending("mdt@test.fr", servertest.Password)
		res := verify(c, nextCode)
		if res.Code() != "SECOND_FACTOR_INVALID" || !strings.Contains(res.Errors[0].Message, "déjà servi") {
			t.Errorf("replayed code: %+v, want SECOND_FACTOR_INVALID « déjà servi »", res.Errors)
		}
		if got := secondFactorOf(t, c); got != "REQUIRED" {
			t.Errorf("after a replay secondFactor = %q, want REQUIRED", got)
		}
		// A recovery code opens the session.
		if res := verify(c, recovery[0]); len(res.Errors) > 0 {
			t.Fatalf("recovery code: %+v", res.Errors)
		}
		c.MustDo(doses, nil, nil)
	})

	t.Run("OKRecoveryCodeOnce", func(t *testing.T) {
		// Ensure a recovery code serves once, and is accepted however typed.
		b := srv.NewClient(t)
		b.MustLoginPending("mdt@test.fr", servertest.Password)
		if res := verify(b, recovery[0]); res.Code() != "SECOND_FACTOR_INVALID" {
			t.Fatalf("used recovery code again: %q, want SECOND_FACTOR_INVALID", res.Code())
		}
		if res := verify(b, strings.ToLower(strings.ReplaceAll(recovery[1], "-", " "))); len(res.Errors) > 0 {
			t.Fatalf("second recovery code: %+v", res.Errors)
		}
		if left := meOf(t, b).Me.RecoveryCodesLeft; left != 8 {
			t.Errorf("recovery codes left = %d, want 8", left)
		}
		opened = b
	})

	t.Run("OKRegenerate", func(t *testing.T) {
		// Ensure the person replaces their recovery codes after a valid code,
		// and the old ones stop working.
		c := opened
		if res := c.Do(`mutation { regenerateRecoveryCodes(code: "AAAAA-AAAAA") }`, nil); res.Code() != "SECOND_FACTOR_INVALID" {
			t.Fatalf("regenerate with a wrong code: %q", res.Code())
		}
		var out struct{ RegenerateRecoveryCodes []string }
		c.MustDo(`mutation($c: String!) { regenerateRecoveryCodes(code: $c) }`, map[string]any{"c": recovery[2]}, &out)
		if len(out.RegenerateRecoveryCodes) != 10 || out.RegenerateRecoveryCodes[0] == recovery[0] {
			t.Fatalf("new codes = %v", out.RegenerateRecoveryCodes)
		}
		if left := meOf(t, c).Me.RecoveryCodesLeft; left != 10 {
			t.Errorf("recovery codes left = %d, want 10", left)
		}
		if res := c.Do(`mutation($c: String!) { regenerateRecoveryCodes(code: $c) }`, map[string]any{"c": recovery[3]}); res.Code() != "SECOND_FACTOR_INVALID" {
			t.Errorf("old recovery code after regeneration: %q", res.Code())
		}
	})

	t.Run("ErrRateLimited", func(t *testing.T) {
		// Ensure the 6th code after 5 wrong ones is refused, even a right one.
		c := srv.NewClient(t)
		c.MustLoginPending("mdt2@test.fr", servertest.Password)
		sec, _ := enrol(t, c)
		p := srv.NewClient(t)
		p.MustLoginPending("mdt2@test.fr", servertest.Password)
		for i := 0; i < 5; i++ {
			if res := verify(p, "ZZZZZ-ZZZZZ"); res.Code() != "SECOND_FACTOR_INVALID" {
				t.Fatalf("wrong code %d: %q", i+1, res.Code())
			}
		}
		res := verify(p, code(t, sec, time.Now().Add(30*time.Second)))
		if res.Code() != "TOO_MANY_REQUESTS" {
			t.Fatalf("right code after 5 wrong ones: %q, want TOO_MANY_REQUESTS", res.Code())
		}
	})

	t.Run("OKNotAsked", func(t *testing.T) {
		// Ensure a demo administrator, an employer and a worker sign in with a
		// password alone and read at once.
		for _, email := range []string{"admin@demo.test.fr", "rh@test.fr", "moi@test.fr"} {
			c := srv.NewClient(t)
			c.MustLoginPending(email, servertest.Password)
			me := meOf(t, c)
			if me.Me.SecondFactor != nil || len(me.Me.Roles) != 1 {
				t.Errorf("%s: me = %+v, want no second factor and its role", email, me.Me)
			}
			c.MustDo(`{ establishments(first: 1) { totalCount } }`, nil, nil)
		}
	})

	t.Run("OKAdminReset", func(t *testing.T) {
		// Ensure only an administrator resets a person's second factor, which
		// ends their sessions and asks them to enrol again.
		person := srv.NewClient(t)
		person.MustLogin("mdt2@test.fr", servertest.Password)
		if res := person.Do(`mutation($id: ID!) { resetSecondFactor(accountID: $id) }`, map[string]any{"id": phys2.ID}); res.Code() != "FORBIDDEN_FIELD" {
			t.Fatalf("physician resets: %q, want FORBIDDEN_FIELD", res.Code())
		}
		admin := srv.NewClient(t)
		admin.MustLogin("admin@test.fr", servertest.Password)
		var out struct{ ResetSecondFactor bool }
		admin.MustDo(`mutation($id: ID!) { resetSecondFactor(accountID: $id) }`, map[string]any{"id": phys2.ID}, &out)
		if !out.ResetSecondFactor {
			t.Fatal("reset = false")
		}
		if res := person.Do(`{ me { roles } }`, nil); res.Code() != "UNAUTHENTICATED" {
			t.Errorf("after reset, the person's session: %q, want UNAUTHENTICATED", res.Code())
		}
		again := srv.NewClient(t)
		again.MustLoginPending("mdt2@test.fr", servertest.Password)
		if got := secondFactorOf(t, again); got != "ENROLMENT_REQUIRED" {
			t.Errorf("after reset secondFactor = %q, want ENROLMENT_REQUIRED", got)
		}
	})
}
