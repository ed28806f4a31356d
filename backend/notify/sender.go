package notify

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/outboxmessage"
	"github.com/siseri/siseri/policy"
)

// Sender delivers the outbox: it claims the due messages, sends them over
// SMTP, marks them sent, and pushes failed ones back with an exponential
// backoff. Several instances may run one each: on PostgreSQL a message is
// claimed with FOR UPDATE SKIP LOCKED, SQLite has a single writer.
type Sender struct {
	Client   *ent.Client
	Postgres bool
	// SMTP is nil when no server is configured: nothing is sent and the
	// messages wait in the outbox.
	SMTP *SMTP
	// PublicURL prefixes the links (and names the Message-ID's host).
	PublicURL string
	Log       *slog.Logger
	// Every is how often the outbox is polled (default 5 s).
	Every time.Duration
	// Batch is how many messages one claim takes (default 50).
	Batch int
	// MinBackoff and MaxBackoff bound the wait after a failure: it doubles
	// from MinBackoff at each attempt, up to MaxBackoff (defaults 30 s, 1 h).
	MinBackoff, MaxBackoff time.Duration
	// Zone is where days start for the daily digest (default UTC).
	Zone *time.Location
	// Now is the clock (default time.Now).
	Now func() time.Time
}

func (s *Sender) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Sender) zone() *time.Location {
	if s.Zone != nil {
		return s.Zone
	}
	return time.UTC
}

// Backoff is the wait before attempt n+1 after n failed attempts.
func (s *Sender) Backoff(n int) time.Duration {
	lo, hi := s.MinBackoff, s.MaxBackoff
	if lo <= 0 {
		lo = 30 * time.Second
	}
	if hi <= 0 {
		hi = time.Hour
	}
	d := lo
	for i := 1; i < n && d < hi; i++ {
		d *= 2
	}
	return min(d, hi)
}

// Run polls the outbox until ctx ends. A batch being sent when ctx ends is
// finished and recorded first, so that a restart sends nothing twice.
func (s *Sender) Run(ctx context.Context) {
	every := s.Every
	if every <= 0 {
		every = 5 * time.Second
	}
	if s.SMTP == nil {
		s.Log.Warn("SISERI_SMTP_URL is not set: e-mail notifications wait in the outbox")
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := Digest(ctx, s.Client, s.now(), s.zone()); err != nil && ctx.Err() == nil {
			s.Log.Error("daily digest", "err", err)
		}
		for s.SMTP != nil && ctx.Err() == nil {
			n, err := s.SendDue(ctx)
			if err != nil {
				if ctx.Err() == nil {
					s.Log.Error("outbox", "err", err)
				}
				break
			}
			if n == 0 {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// SendDue claims one batch of due messages, tries to send them and records
// the outcome; it returns how many it claimed.
func (s *Sender) SendDue(ctx context.Context) (int, error) {
	if s.SMTP == nil {
		return 0, nil
	}
	// Once claimed, the batch is sent and recorded even if ctx ends.
	work := policy.SystemContext(context.WithoutCancel(ctx))
	tx, err := s.Client.Tx(work)
	if err != nil {
		return 0, fmt.Errorf("claim outbox: %w", err)
	}
	now := s.now()
	batch := s.Batch
	if batch <= 0 {
		batch = 50
	}
	q := tx.OutboxMessage.Query().
		Where(outboxmessage.SentAtIsNil(), outboxmessage.NextAttemptAtLTE(now)).
		Order(ent.Asc(outboxmessage.FieldNextAttemptAt), ent.Asc(outboxmessage.FieldID)).Limit(batch)
	if s.Postgres {
		q.ForUpdate(sql.WithLockAction(sql.SkipLocked))
	}
	rows, err := q.All(work)
	if err != nil {
		_ = tx.Rollback()
		return 0, fmt.Errorf("claim outbox: %w", err)
	}
	if len(rows) == 0 {
		return 0, tx.Rollback()
	}
	host := "siseri"
	if u, err := url.Parse(s.PublicURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	msgs := make([]Message, 0, len(rows))
	errs := make([]error, len(rows))
	var sendable []int
	for i, r := range rows {
		m, err := Render(r.Template, r.Link, r.Counts, s.PublicURL)
		if err != nil {
			errs[i] = err
			continue
		}
		sendable = append(sendable, i)
		msgs = append(msgs, Message{To: r.Email, MessageID: fmt.Sprintf("outbox-%d@%s", r.ID, host), Mail: m})
	}
	if len(msgs) > 0 {
		for j, err := range s.SMTP.Send(work, msgs) {
			errs[sendable[j]] = err
		}
	}
	sent := 0
	for i, r := range rows {
		u := tx.OutboxMessage.UpdateOne(r).AddAttempts(1)
		if errs[i] == nil {
			u.SetSentAt(s.now()).SetLastError("")
			if r.Template == TemplateActivation {
				u.SetLink("") // the token is stored hashed only (AccountToken)
			}
			sent++
		} else {
			msg := errs[i].Error()
			if len(msg) > 1000 {
				msg = msg[:1000]
			}
			u.SetLastError(msg).SetNextAttemptAt(now.Add(s.Backoff(r.Attempts + 1)))
		}
		if err := u.Exec(work); err != nil {
			_ = tx.Rollback()
			return 0, fmt.Errorf("record outbox message %d: %w", r.ID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("record outbox: %w", err)
	}
	if sent < len(rows) {
		s.Log.Warn("e-mails not sent, will retry", "failed", len(rows)-sent, "sent", sent, "err", errs[firstErr(errs)])
		return 0, nil // the rest waits for its next attempt
	}
	return len(rows), nil
}

func firstErr(errs []error) int {
	for i, e := range errs {
		if e != nil {
			return i
		}
	}
	return 0
}
