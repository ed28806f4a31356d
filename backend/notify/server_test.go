package notify_test

import (
	"strings"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/notify"
	"github.com/siseri/siseri/backend/server"
	"github.com/siseri/siseri/backend/server/servertest"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/outboxmessage"
	"github.com/siseri/siseri/policy"
)

// TestServerSendsAsChosen: through GraphQL a physician reads the defaults of
// their role and asks for new anomalies at once; the server's own sender
// (started with it) then mails them the next anomaly, with the public URL.
func TestServerSendsAsChosen(t *testing.T) {
	db := storetest.MustOpen(t)
	f := mustFixture(t, db)
	mp := startMailpit(t)
	smtp, err := notify.ParseSMTPURL(mp.SMTPURL())
	if err != nil {
		t.Fatal(err)
	}
	srv := servertest.MustStartWith(t, db, func(c *server.Config) {
		c.SMTP, c.PublicURL, c.OutboxEvery = smtp, "https://registre.example.fr", 20*time.Millisecond
	})
	servertest.MustCreateAccount(t, db.Client, "dr.martin@siseri.test", policy.RolePhysician,
		func(g *ent.GrantCreate) { g.SetEstablishmentID(f.chu) })
	mdt := srv.NewClient(t)
	mdt.MustLogin("dr.martin@siseri.test", servertest.Password)

	type setting struct {
		Kind, Mode string
		IsDefault  bool
	}
	var got struct{ NotificationSettings []setting }
	mdt.MustDo(`{ notificationSettings { kind mode isDefault } }`, nil, &got)
	want := []setting{{"EXCEEDANCE_TO_CONFIRM", "IMMEDIATE", true}, {"NEW_ANOMALY", "DAILY_DIGEST", true},
		{"CONFLICT", "IMMEDIATE", true}, {"BATCH_REJECTED", "OFF", true}}
	if len(got.NotificationSettings) != len(want) {
		t.Fatalf("settings = %+v, want %+v", got.NotificationSettings, want)
	}
	for i := range want {
		if got.NotificationSettings[i] != want[i] {
			t.Fatalf("settings = %+v, want %+v", got.NotificationSettings, want)
		}
	}
	var set struct{ SetNotificationSetting []setting }
	mdt.MustDo(`mutation { setNotificationSetting(kind: NEW_ANOMALY, mode: IMMEDIATE) { kind mode isDefault } }`, nil, &set)
	if s := set.SetNotificationSetting[1]; s != (setting{"NEW_ANOMALY", "IMMEDIATE", false}) {
		t.Fatalf("after setting, NEW_ANOMALY = %+v", s)
	}

	f.raise(t, "CONTEXT_OUTLIER")
	// The CHU's adviser (default) and Dr Martin (chosen) at once; the
	// fixture's physician keeps the digest.
	msgs := mp.WaitCount(2, 20*time.Second)
	to := recipients(msgs)
	if len(msgs) != 2 || to["dr.martin@siseri.test"] != 1 || to["adviser@siseri.test"] != 1 {
		t.Fatalf("recipients = %v", to)
	}
	for _, m := range msgs {
		if !strings.Contains(m.Text, "https://registre.example.fr/anomalies") {
			t.Errorf("link missing from:\n%s", m.Text)
		}
	}
	assertNoHealthData(t, msgs)

	// A laboratory's batch refused in full: the submitter and the other
	// account of the laboratory are told (once, even when it is sent again);
	// nobody else.
	servertest.MustCreateAccount(t, db.Client, "labo.depot@siseri.test", policy.RoleLaboratory,
		func(g *ent.GrantCreate) { g.SetLaboratoryID(f.lab) })
	labo := srv.NewClient(t)
	labo.MustLogin("labo.depot@siseri.test", servertest.Password)
	for range 2 {
		var rep struct{ SubmitLabResults struct{ Status string } }
		labo.MustDo(`mutation { submitLabResults(reference: "LOT-VIDE", rows: []) { status } }`, nil, &rep)
		if rep.SubmitLabResults.Status != "REJECTED" {
			t.Fatalf("empty batch: %+v", rep)
		}
	}
	msgs = mp.WaitCount(4, 20*time.Second)
	waitFor(t, 10*time.Second, "the outbox sent", func() bool {
		n, err := db.Client.OutboxMessage.Query().Where(outboxmessage.SentAtIsNil()).Count(f.sys)
		return err == nil && n == 0
	})
	msgs = mp.Messages()
	to = recipients(msgs)
	if len(msgs) != 4 || to["labo.depot@siseri.test"] != 1 || to["lab@siseri.test"] != 1 {
		t.Fatalf("recipients after a rejected batch = %v", to)
	}
	for _, m := range msgs {
		if strings.HasPrefix(m.To[0].Address, "lab") && (!strings.Contains(m.Text, "a été refusé") ||
			!strings.Contains(m.Text, "https://registre.example.fr/lots")) {
			t.Errorf("rejected batch e-mail:\n%s", m.Text)
		}
	}
}
