// Package alerts carries events (an anomaly raised or updated, a worker's
// exposure changed) from the transaction that caused them to the
// subscriptions of every server instance: in-process with one instance,
// through PostgreSQL LISTEN/NOTIFY across instances. The anomaly row is the
// durable log; an event carries only ids, and every subscriber re-reads the
// row under its own access scope before anything is delivered.
package alerts

import (
	"sync"
	"sync/atomic"
)

// Event types.
const (
	AnomalyRaised   = "anomaly.raised"
	AnomalyUpdated  = "anomaly.updated"
	ExposureChanged = "exposure.changed"
)

// Event says that something changed; subscribers re-read it.
type Event struct {
	Type string `json:"t"`
	// ID is the anomaly id (anomaly events) or the worker id (exposure).
	ID       int `json:"id"`
	WorkerID int `json:"w,omitempty"`
}

// Hub fans events out to the subscribers of this process. A subscriber whose
// buffer is full is dropped with a reason rather than blocking anyone.
type Hub struct {
	mu     sync.RWMutex
	subs   map[*Subscription]struct{}
	buffer int

	published, delivered, dropped atomic.Int64
}

// NewHub returns a hub whose subscribers buffer up to buffer events.
func NewHub(buffer int) *Hub {
	if buffer <= 0 {
		buffer = 256
	}
	return &Hub{subs: map[*Subscription]struct{}{}, buffer: buffer}
}

// Subscription is one subscriber's stream of events.
type Subscription struct {
	// C delivers the events; it is closed when the subscription ends.
	C     chan Event
	types map[string]bool
	once  sync.Once
	mu    sync.Mutex
	// reason says why the hub ended the subscription ("" when the
	// subscriber unsubscribed).
	reason string
}

// Reason returns why the hub dropped the subscription, or "".
func (s *Subscription) Reason() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reason
}

// Subscribe returns a subscription to events of the given types (all types
// when none is given).
func (h *Hub) Subscribe(types ...string) *Subscription {
	s := &Subscription{C: make(chan Event, h.buffer), types: map[string]bool{}}
	for _, t := range types {
		s.types[t] = true
	}
	h.mu.Lock()
	h.subs[s] = struct{}{}
	h.mu.Unlock()
	return s
}

// Unsubscribe ends s.
func (h *Hub) Unsubscribe(s *Subscription) { h.drop(s, "") }

func (h *Hub) drop(s *Subscription, reason string) {
	h.mu.Lock()
	_, ok := h.subs[s]
	delete(h.subs, s)
	h.mu.Unlock()
	if !ok {
		return
	}
	s.once.Do(func() {
		s.mu.Lock()
		s.reason = reason
		s.mu.Unlock()
		close(s.C)
	})
}

// Publish delivers e to every subscriber of its type without blocking; a
// subscriber whose buffer is full is dropped.
func (h *Hub) Publish(e Event) {
	h.published.Add(1)
	var slow []*Subscription
	h.mu.RLock()
	for s := range h.subs {
		if len(s.types) > 0 && !s.types[e.Type] {
			continue
		}
		select {
		case s.C <- e:
			h.delivered.Add(1)
		default:
			slow = append(slow, s)
		}
	}
	h.mu.RUnlock()
	for _, s := range slow {
		h.dropped.Add(1)
		h.drop(s, "abonné trop lent : la file d'attente des alertes est pleine")
	}
}

// Stats reports counts since start: events published, deliveries, subscribers dropped.
func (h *Hub) Stats() (published, delivered, dropped int64) {
	return h.published.Load(), h.delivered.Load(), h.dropped.Load()
}

// Subscribers returns the number of live subscriptions.
func (h *Hub) Subscribers() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.subs)
}

// Close ends every subscription (server shutdown).
func (h *Hub) Close() {
	h.mu.RLock()
	all := make([]*Subscription, 0, len(h.subs))
	for s := range h.subs {
		all = append(all, s)
	}
	h.mu.RUnlock()
	for _, s := range all {
		h.drop(s, "arrêt du serveur")
	}
}
