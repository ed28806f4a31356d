package notify_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/notify"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/anomaly"
	"github.com/siseri/siseri/ent/outboxmessage"
	"github.com/siseri/siseri/policy"
)

// The worker's identity and a dose value: none of it may appear in an e-mail.
const (
	workerLast  = "Valbonnette"
	workerFirst = "Anouchka"
	workerNIR   = "280017505600150"
	doseValue   = "37,42"
)

// fixture is a hospital (CHU) with one worker and the people around them,
// and another establishment whose people must hear nothing of the CHU.
type fixture struct {
	db  *store.DB
	sys context.Context
	// accounts by name: physician, adviser, employer of the CHU; adviser and
	// physician of the other establishment; a laboratory.
	acc           map[string]*ent.Account
	chu, other    int
	worker, lab   int
	anomalySerial int
	mu            sync.Mutex
}

func mustFixture(t *testing.T, db *store.DB) *fixture {
	t.Helper()
	sys := policy.SystemContext(context.Background())
	c := db.Client
	f := &fixture{db: db, sys: sys, acc: map[string]*ent.Account{}}
	f.chu = c.Establishment.Create().SetSiret("73282932000074").SetName("CHU").SaveX(sys).ID
	f.other = c.Establishment.Create().SetSiret("35600000000048").SetName("Autre").SaveX(sys).ID
	f.lab = c.Laboratory.Create().SetCode("LAB1").SetName("Labo").SaveX(sys).ID
	f.worker = c.Worker.Create().SetNir(workerNIR).SetLastName(workerLast).SetFirstNames(workerFirst).
		SetBirthDate(time.Date(1980, 1, 15, 0, 0, 0, 0, time.UTC)).SetSex("F").SaveX(sys).ID
	c.Employment.Create().SetWorkerID(f.worker).SetEstablishmentID(f.chu).SetStartDate(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)).
		SetContractType("CDI").SetNomenclatureVersion("V").SetClassification("A").
		SetMonitoringKinds([]string{"PASSIVE_WHOLE_BODY"}).ExecX(sys)
	from := time.Now().AddDate(-1, 0, 0)
	for _, p := range []struct {
		name  string
		role  policy.Role
		estab int
		lab   int
	}{
		{"physician", policy.RolePhysician, f.chu, 0},
		{"adviser", policy.RoleRPA, f.chu, 0},
		{"employer", policy.RoleEmployer, f.chu, 0},
		{"otheradviser", policy.RoleRPA, f.other, 0},
		{"otherphysician", policy.RolePhysician, f.other, 0},
		{"lab", policy.RoleLaboratory, 0, f.lab},
	} {
		a := c.Account.Create().SetEmail(p.name + "@siseri.test").SetDisplayName(p.name).SaveX(sys)
		g := c.Grant.Create().SetAccountID(a.ID).SetRole(p.role).SetValidFrom(from)
		if p.estab != 0 {
			g.SetEstablishmentID(p.estab)
		}
		if p.lab != 0 {
			g.SetLaboratoryID(p.lab)
		}
		g.ExecX(sys)
		f.acc[p.name] = a
	}
	return f
}

// raise creates an anomaly of kind on the worker at the CHU in a transaction
// of its own, as detection does, and commits it.
func (f *fixture) raise(t *testing.T, kind string) int {
	t.Helper()
	f.mu.Lock()
	f.anomalySerial++
	n := f.anomalySerial
	f.mu.Unlock()
	ctx, tx, err := f.db.OpenTx(f.sys)
	if err != nil {
		t.Fatal(err)
	}
	layer := "CONTEXT"
	if kind == "LIMIT_EXCEEDED" {
		layer = "REGULATORY"
	}
	start := time.Now().AddDate(0, -2, 0)
	a, err := ent.FromContext(ctx).Anomaly.Create().SetWorkerID(f.worker).SetEstablishmentID(f.chu).
		SetLayer(anomaly.Layer(layer)).SetKind(kind).SetSeverity("HIGH").
		SetExplanation("La dose de " + doseValue + " mSv de " + workerFirst + " " + workerLast + " (" + workerNIR + ") est atypique.").
		SetFingerprint(kind + "-" + time.Now().Format(time.RFC3339Nano) + "-" + string(rune('a'+n%26))).
		SetPeriodStart(start).SetPeriodEnd(start.AddDate(0, 1, -1)).Save(ctx)
	if err != nil {
		_ = tx.Rollback()
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return a.ID
}

// outbox returns the outbox messages, by recipient e-mail.
func (f *fixture) outbox(t *testing.T) map[string][]*ent.OutboxMessage {
	t.Helper()
	rows, err := f.db.Client.OutboxMessage.Query().Order(ent.Asc(outboxmessage.FieldID)).All(f.sys)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]*ent.OutboxMessage{}
	for _, r := range rows {
		out[r.Email] = append(out[r.Email], r)
	}
	return out
}

func (f *fixture) sender(m *mailpit) *notify.Sender {
	s := &notify.Sender{Client: f.db.Client, Postgres: f.db.IsPostgres(), PublicURL: "https://siseri.example.fr",
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Every: 20 * time.Millisecond,
		MinBackoff: 20 * time.Millisecond, MaxBackoff: 160 * time.Millisecond}
	if m != nil {
		smtp, err := notify.ParseSMTPURL(m.SMTPURL())
		if err != nil {
			panic(err)
		}
		smtp.Timeout = 2 * time.Second
		s.SMTP = smtp
	}
	return s
}

// run starts s until the returned stop is called; stop waits for it to end.
func run(s *notify.Sender) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	return func() { cancel(); <-done }
}

// recipients counts received messages per address.
func recipients(msgs []received) map[string]int {
	out := map[string]int{}
	for _, m := range msgs {
		for _, to := range m.To {
			out[to.Address]++
		}
	}
	return out
}

// assertNoHealthData fails when a message names the worker, their NIR or a
// dose value.
func assertNoHealthData(t *testing.T, msgs []received) {
	t.Helper()
	for _, m := range msgs {
		for _, secret := range []string{workerLast, workerFirst, workerNIR, doseValue, "37.42", "mSv", "CHU"} {
			if strings.Contains(m.Subject, secret) || strings.Contains(m.Text, secret) {
				t.Errorf("e-mail to %v leaks %q:\n%s\n%s", m.To, secret, m.Subject, m.Text)
			}
		}
	}
}

func TestEventEmailsTheEntitledOnly(t *testing.T) {
	for name, open := range map[string]func(testing.TB, ...store.Option) *store.DB{
		"PostgreSQL": storetest.MustOpen, "SQLite": storetest.MustOpenSQLite,
	} {
		t.Run(name, func(t *testing.T) {
			f := mustFixture(t, open(t))
			mp := startMailpit(t)
			stop := run(f.sender(mp))
			defer func() { stop() }()

			// An atypical result: the adviser is told at once (default);
			// the physician reads it in their digest; the employer may not
			// read it; the other establishment's people may not either.
			f.raise(t, "CONTEXT_OUTLIER")
			// A limit exceeded: the physician has it to confirm (at once),
			// the adviser a new anomaly (at once), the employer in a digest.
			f.raise(t, "LIMIT_EXCEEDED")

			msgs := mp.WaitCount(3, 20*time.Second)
			got := recipients(msgs)
			want := map[string]int{"adviser@siseri.test": 2, "physician@siseri.test": 1}
			if len(got) != len(want) || got["adviser@siseri.test"] != 2 || got["physician@siseri.test"] != 1 {
				t.Fatalf("recipients = %v, want %v", got, want)
			}
			for _, m := range msgs {
				if m.To[0].Address == "physician@siseri.test" && !strings.Contains(m.Text, "attend votre confirmation") {
					t.Errorf("physician's e-mail is not an exceedance to confirm:\n%s", m.Text)
				}
				if !strings.Contains(m.Text, "https://siseri.example.fr/anomalies") {
					t.Errorf("e-mail has no link to the anomalies screen:\n%s", m.Text)
				}
				if !strings.HasPrefix(m.MessageID, "outbox-") || !strings.HasSuffix(m.MessageID, "@siseri.example.fr") {
					t.Errorf("Message-ID = %q, want outbox-<id>@siseri.example.fr", m.MessageID)
				}
			}
			assertNoHealthData(t, msgs)

			// The daily digest, the next day: one e-mail each to the
			// physician (the atypical result) and the employer (the limit).
			// The sender's loop writes it (its clock a day ahead).
			stop()
			next := f.sender(mp)
			next.Now = func() time.Time { return time.Now().Add(24 * time.Hour) }
			stop = run(next)
			msgs = mp.WaitCount(5, 20*time.Second)
			if n, err := notify.Digest(f.sys, f.db.Client, next.Now(), time.UTC); err != nil || n != 0 {
				t.Fatalf("second Digest the same day = %d, %v; want 0", n, err)
			}
			digests := map[string]string{}
			for _, m := range msgs {
				if strings.Contains(m.Subject, "récapitulatif") {
					digests[m.To[0].Address] = m.Text
				}
			}
			if len(digests) != 2 || !strings.Contains(digests["physician@siseri.test"], "Une anomalie vous attend") ||
				!strings.Contains(digests["employer@siseri.test"], "Une anomalie vous attend") {
				t.Fatalf("digests = %v", digests)
			}
			assertNoHealthData(t, msgs)

			// The adviser turns new anomalies off: the next one mails no one
			// at once (the physician's goes to their digest).
			adviser := &policy.Viewer{AccountID: f.acc["adviser"].ID, Role: policy.RoleRPA,
				Grants: []policy.Grant{{Role: policy.RoleRPA, EstablishmentID: f.chu, ValidFrom: time.Now().AddDate(-1, 0, 0)}}}
			actx := policy.NewContext(context.Background(), adviser)
			if err := notify.Set(actx, f.db.Client, notify.NewAnomaly, notify.Off); err != nil {
				t.Fatal(err)
			}
			settings, err := notify.Settings(actx, f.db.Client)
			if err != nil || settings[1].Kind != notify.NewAnomaly || settings[1].Mode != notify.Off || settings[1].Default {
				t.Fatalf("settings = %+v, %v", settings, err)
			}
			f.raise(t, "CONTEXT_OUTLIER")
			waitFor(t, 10*time.Second, "outbox sent", func() bool {
				n, err := f.db.Client.OutboxMessage.Query().Where(outboxmessage.SentAtIsNil()).Count(f.sys)
				return err == nil && n == 0
			})
			if n := len(mp.Messages()); n != 5 {
				t.Fatalf("%d e-mails after the adviser turned anomalies off, want still 5", n)
			}
		})
	}
}

// TestSettingsAreOwn: a person cannot write another's settings.
func TestSettingsAreOwn(t *testing.T) {
	f := mustFixture(t, storetest.MustOpenSQLite(t))
	other := f.acc["physician"].ID
	v := &policy.Viewer{AccountID: f.acc["adviser"].ID, Role: policy.RoleRPA}
	ctx := policy.NewContext(context.Background(), v)
	if err := f.db.Client.NotificationSubscription.Create().SetAccountID(other).SetKind(notify.Conflict).
		SetMode(notify.Off).Exec(ctx); err == nil {
		t.Fatal("an adviser wrote a physician's notification setting")
	}
	if err := notify.Set(ctx, f.db.Client, notify.Conflict, notify.Off); err != nil {
		t.Fatal(err)
	}
	n, err := f.db.Client.NotificationSubscription.Query().Count(policy.NewContext(context.Background(),
		&policy.Viewer{AccountID: other, Role: policy.RolePhysician}))
	if err != nil || n != 0 {
		t.Fatalf("the physician reads %d settings (%v), want none of the adviser's", n, err)
	}
}

func TestActivationLinkIsSentWhateverTheSettings(t *testing.T) {
	f := mustFixture(t, storetest.MustOpen(t))
	mp := startMailpit(t)
	ctx, tx, err := f.db.OpenTx(f.sys)
	if err != nil {
		t.Fatal(err)
	}
	link := "https://siseri.example.fr/activation/secret-token"
	if err := notify.ActivationLink(ctx, ent.FromContext(ctx), f.acc["lab"], link); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	stop := run(f.sender(mp))
	defer stop()
	msgs := mp.WaitCount(1, 20*time.Second)
	if len(msgs) != 1 || msgs[0].To[0].Address != "lab@siseri.test" || !strings.Contains(msgs[0].Text, link) {
		t.Fatalf("activation e-mails = %+v", msgs)
	}
	// Once sent, the outbox keeps no clear token.
	waitFor(t, 10*time.Second, "the activation e-mail marked sent", func() bool {
		r, err := f.db.Client.OutboxMessage.Query().Only(f.sys)
		return err == nil && r.SentAt != nil
	})
	if r := f.db.Client.OutboxMessage.Query().OnlyX(f.sys); r.Link != "" {
		t.Fatalf("the sent activation message keeps its link %q", r.Link)
	}
}

func TestBackoff(t *testing.T) {
	s := &notify.Sender{MinBackoff: time.Second, MaxBackoff: 10 * time.Second}
	for n, want := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 4: 8 * time.Second, 5: 10 * time.Second, 40: 10 * time.Second} {
		if got := s.Backoff(n); got != want {
			t.Errorf("Backoff(%d) = %s, want %s", n, got, want)
		}
	}
}
