package alerts_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/siseri/siseri/backend/alerts"
	"github.com/siseri/siseri/backend/store/storetest"
	"github.com/siseri/siseri/policy"
)

func TestHub(t *testing.T) {
	t.Run("OKFilter", func(t *testing.T) {
		// Ensure a subscriber gets only the types it asked for.
		h := alerts.NewHub(4)
		s := h.Subscribe(alerts.AnomalyRaised)
		h.Publish(alerts.Event{Type: alerts.ExposureChanged, ID: 1})
		h.Publish(alerts.Event{Type: alerts.AnomalyRaised, ID: 2})
		if e := <-s.C; e.ID != 2 || len(s.C) != 0 {
			t.Fatalf("got %+v (%d more), want only event 2", e, len(s.C))
		}
	})
	t.Run("ErrSlowConsumer", func(t *testing.T) {
		// Ensure a full buffer drops the slow subscriber with a reason, without blocking others.
		h := alerts.NewHub(2)
		slow, fast := h.Subscribe(), h.Subscribe()
		done := make(chan int)
		go func() {
			n := 0
			for range fast.C {
				n++
			}
			done <- n
		}()
		for i := 1; i <= 5; i++ {
			h.Publish(alerts.Event{Type: alerts.AnomalyRaised, ID: i})
			time.Sleep(5 * time.Millisecond)
		}
		got := 0
		for range slow.C {
			got++
		}
		if got != 2 || slow.Reason() == "" {
			t.Errorf("slow subscriber got %d events, reason %q; want 2 and a reason", got, slow.Reason())
		}
		h.Close()
		if n := <-done; n != 5 {
			t.Errorf("fast subscriber got %d events, want 5", n)
		}
		if _, _, dropped := h.Stats(); dropped != 1 {
			t.Errorf("dropped = %d", dropped)
		}
	})
}

func TestBrokerAcrossInstances(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	a := alerts.NewBroker(alerts.NewHub(16), db.Dialect)
	b := alerts.NewBroker(alerts.NewHub(16), db.Dialect)
	sa, sb := a.Hub.Subscribe(), b.Hub.Subscribe()
	dsn := dsnOf(t, db)
	ra, rb := make(chan struct{}), make(chan struct{})
	go a.Listen(ctx, dsn, db.Client, log, ra)
	go b.Listen(ctx, dsn, db.Client, log, rb)
	<-ra
	<-rb

	// A rolled-back transaction announces nothing.
	sys := policy.SystemContext(ctx)
	tx, err := db.Client.Tx(sys)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Announce(sys, tx.Client(), alerts.Event{Type: alerts.AnomalyRaised, ID: 1}); err != nil {
		t.Fatal(err)
	}
	_ = tx.Rollback()
	// A committed one reaches both instances.
	tx, _ = db.Client.Tx(sys)
	if err := a.Announce(sys, tx.Client(), alerts.Event{Type: alerts.AnomalyRaised, ID: 2}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]*alerts.Subscription{"A": sa, "B": sb} {
		select {
		case e := <-s.C:
			if e.ID != 2 {
				t.Errorf("instance %s got event %d, want 2 (the rolled-back 1 must not arrive)", name, e.ID)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("instance %s got nothing", name)
		}
	}
}
