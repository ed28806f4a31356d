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
}
