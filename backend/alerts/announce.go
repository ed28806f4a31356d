package alerts

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"entgo.io/ent/dialect"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgxlisten"

	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/anomaly"
	"github.com/siseri/siseri/policy"
)

// Channel is the PostgreSQL notification channel.
const Channel = "siseri_events"

// Broker announces events after commit and feeds this instance's hub.
type Broker struct {
	Hub *Hub
	// Postgres is set for a PostgreSQL database: events go through NOTIFY,
	// issued inside the transaction, so they are delivered only if and when
	// it commits, to every instance.
	Postgres bool
}

// NewBroker returns the broker for a database of the given dialect.
func NewBroker(hub *Hub, dia string) *Broker {
	return &Broker{Hub: hub, Postgres: dia == dialect.Postgres}
}

// Announce announces events caused by the transaction of ctx (or of client):
// only after commit, and never when it rolls back. Without a transaction the
// events are published at once.
func (b *Broker) Announce(ctx context.Context, client *ent.Client, events ...Event) error {
	if b == nil || len(events) == 0 {
		return nil
	}
	if b.Postgres {
		// One statement per 5,000 events, not one per event: a batch that
		// changes the standings of 25,000 workers announces them in five
		// round trips. Notifications keep the order they are sent in.
		for i := 0; i < len(events); i += 5000 {
			part := events[i:min(i+5000, len(events))]
			payloads := make([]string, len(part))
			for j, e := range part {
				raw, _ := json.Marshal(e)
				payloads[j] = string(raw)
			}
			if _, err := client.ExecContext(policy.SystemContext(ctx),
				"SELECT pg_notify($1, p) FROM unnest($2::text[]) WITH ORDINALITY AS t(p, n) ORDER BY n", Channel, payloads); err != nil {
				return fmt.Errorf("announce %d events: %w", len(part), err)
			}
		}
		return nil
	}
	if tx := ent.TxFromContext(ctx); tx != nil {
		tx.OnCommit(func(next ent.Committer) ent.Committer {
			return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
				if err := next.Commit(ctx, tx); err != nil {
					return err
				}
				for _, e := range events {
					b.Hub.Publish(e)
				}
				return nil
			})
		})
		return nil
	}
	for _, e := range events {
		b.Hub.Publish(e)
	}
	return nil
}

// Listen runs the instance's one listener connection until ctx ends: it
// LISTENs, then replays the anomalies raised since the last one seen (so none
// is missed across a reconnection), then dispatches notifications to the hub.
// ready, when not nil, is closed once the first LISTEN is in place.
func (b *Broker) Listen(ctx context.Context, databaseURL string, client *ent.Client, log *slog.Logger, ready chan<- struct{}) error {
	l := &pgxlisten.Listener{
		Connect:        func(ctx context.Context) (*pgx.Conn, error) { return pgx.Connect(ctx, databaseURL) },
		LogError:       func(ctx context.Context, err error) { log.WarnContext(ctx, "alerts listener", "err", err) },
		ReconnectDelay: 2 * time.Second,
	}
	h := &listenHandler{hub: b.Hub, client: client, ready: ready}
	l.Handle(Channel, h)
	return l.Listen(ctx)
}

type listenHandler struct {
	hub    *Hub
	client *ent.Client
	// last is the highest anomaly id dispatched (0 before the first backlog).
	last  int
	init  bool
	ready chan<- struct{}
}

func (h *listenHandler) HandleNotification(_ context.Context, n *pgconn.Notification, _ *pgx.Conn) error {
	var e Event
	if err := json.Unmarshal([]byte(n.Payload), &e); err != nil {
		return fmt.Errorf("decode notification: %w", err)
	}
	if e.Type == AnomalyRaised {
		if e.ID <= h.last {
			return nil // already replayed from the backlog
		}
		h.last = e.ID
	}
	h.hub.Publish(e)
	return nil
}

// HandleBacklog replays anomalies raised while the listener was not listening
// (after a reconnection); on the first connection it only records where the
// log stands.
func (h *listenHandler) HandleBacklog(ctx context.Context, _ string, _ *pgx.Conn) error {
	ctx = policy.SystemContext(ctx)
	if !h.init {
		h.init = true
		if h.ready != nil {
			close(h.ready)
		}
		last, err := h.client.Anomaly.Query().Order(ent.Desc(anomaly.FieldID)).FirstID(ctx)
		if err != nil && !ent.IsNotFound(err) {
			return err
		}
		h.last = last
		return nil
	}
	missed, err := h.client.Anomaly.Query().Where(anomaly.IDGT(h.last)).Order(ent.Asc(anomaly.FieldID)).All(ctx)
	if err != nil {
		return err
	}
	for _, a := range missed {
		h.last = a.ID
		h.hub.Publish(Event{Type: AnomalyRaised, ID: a.ID, WorkerID: a.WorkerID})
	}
	return nil
}
