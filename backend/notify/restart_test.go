package notify_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/ent/outboxmessage"
)

// TestRestart: with the SMTP server down, events pile up and are retried with
// a growing delay; the sender is stopped and restarted while the server is
// down and again while it sends; in the end every e-mail arrives exactly
// once, also with two senders at work together.
func TestRestart(t *testing.T) {
	f := mustFixture(t, storetest.MustOpen(t))
	mp := newMailpit(t) // ports reserved, server down

	const events = 12 // one e-mail each, to the adviser
	s := f.sender(mp)
	s.Batch = 5
	stop := run(s)
	for range events {
		f.raise(t, "CONTEXT_OUTLIER")
	}
	// Every message fails at least three times, and the delay grows.
	waitFor(t, 20*time.Second, "three failed attempts of every message", func() bool {
		n, err := f.db.Client.OutboxMessage.Query().Where(outboxmessage.AttemptsLT(3)).Count(f.sys)
		return err == nil && n == 0
	})
	stop()
	rows, err := f.db.Client.OutboxMessage.Query().All(f.sys)
	if err != nil || len(rows) != events {
		t.Fatalf("outbox = %d rows (%v), want %d", len(rows), err, events)
	}
	for _, r := range rows {
		if r.SentAt != nil || r.LastError == "" {
			t.Fatalf("message %d: sent %v, last error %q while the server was down", r.ID, r.SentAt, r.LastError)
		}
		// The last wait is the backoff of its attempts, capped.
		wait := r.NextAttemptAt.Sub(r.CreatedAt)
		if wait < s.Backoff(r.Attempts) {
			t.Errorf("message %d: next attempt %s after its creation, want at least the backoff %s of %d attempts",
				r.ID, wait, s.Backoff(r.Attempts), r.Attempts)
		}
	}

	// A sender restarted while the server is still down sends nothing.
	stop = run(f.sender(mp))
	stop()

	// The server comes back; a sender starts, and is replaced by another
	// while it sends (one message per claim).
	mp.Start()
	s = f.sender(mp)
	s.Batch = 1
	for range 3 {
		// Not due yet: wait for the backoff of each message to pass.
		waitFor(t, 10*time.Second, "a due message sent", func() bool {
			n, err := s.SendDue(t.Context())
			return err == nil && n == 1
		})
	}
	if n := len(mp.WaitCount(3, 10*time.Second)); n != 3 {
		t.Fatalf("%d e-mails after three claims of one, want 3", n)
	}
	stop = run(s)
	mp.WaitCount(4, 20*time.Second)
	stop()
	// Two instances finish the work side by side: a message claimed by one
	// is skipped by the other (FOR UPDATE SKIP LOCKED).
	s, s2 := f.sender(mp), f.sender(mp)
	s.Batch, s2.Batch = 1, 1
	stop, stop2 := run(s), run(s2)
	defer stop()
	defer stop2()
	waitFor(t, 30*time.Second, "the outbox sent", func() bool {
		n, err := f.db.Client.OutboxMessage.Query().Where(outboxmessage.SentAtIsNil()).Count(f.sys)
		return err == nil && n == 0
	})
	msgs := mp.Messages()
	byID := map[string]int{}
	for _, m := range msgs {
		byID[m.MessageID]++
		if m.To[0].Address != "adviser@siseri.test" {
			t.Errorf("e-mail to %s, want the adviser only", m.To[0].Address)
		}
	}
	if len(msgs) != events || len(byID) != events {
		t.Fatalf("%d e-mails with %d Message-IDs, want %d each exactly once: %v", len(msgs), len(byID), events, byID)
	}
	for _, r := range rows {
		if byID["outbox-"+strconv.Itoa(r.ID)+"@siseri.example.fr"] != 1 {
			t.Errorf("message %d (%s) arrived %d times", r.ID, r.DedupKey, byID["outbox-"+strconv.Itoa(r.ID)+"@siseri.example.fr"])
		}
	}
	assertNoHealthData(t, msgs)
}
