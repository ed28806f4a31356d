// Package registry records doses: the one write path of the dose tables,
// whatever the source (a laboratory file or rows, a history import,
// operational dosimetry, a physician's correction or addition, a conflict
// resolution). In the caller's transaction it writes the Doses once (COPY
// on PostgreSQL, ids drawn first; a multi-row INSERT on SQLite), judges the Doses it holds in memory (anomaly.Engine.Judge:
// nothing is read back), brings the standings of the touched workers current
// (exposure.Recompute, set-based on PostgreSQL) and announces the news, which
// leave only once the transaction commits (alerts.Broker.Announce). Its
// Importer records the exchange files and rows that backend/ingest parses:
// resolver → ingest (parse) → registry (check, write, judge, standings) →
// alerts.
package registry

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/siseri/siseri/backend/alerts"
	"github.com/siseri/siseri/backend/anomaly"
	"github.com/siseri/siseri/backend/exposure"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/ent"
	entanomaly "github.com/siseri/siseri/ent/anomaly"
	"github.com/siseri/siseri/policy"
)

// ExposureFunc brings the exposure summaries of workers up to date in the
// transaction of client and returns the workers whose standing changed.
type ExposureFunc func(ctx context.Context, client *ent.Client, workerIDs []int, asOf time.Time) ([]int, error)

// Registry records doses. Its zero value writes and judges nothing else: set
// Engine for detection and Exposure for standings (New sets both).
type Registry struct {
	// Engine judges new doses of record; nil turns detection off. It is the
	// only detection configuration: every source is judged by it.
	Engine *anomaly.Engine
	// Exposure keeps the workers' standings current; nil leaves them.
	Exposure ExposureFunc
	// Broker announces anomalies and standing changes after commit.
	Broker *alerts.Broker
	// Postgres is set on PostgreSQL (COPY).
	Postgres bool
	// Now is the instant of the writes (tests set it).
	Now func() time.Time
}

// New returns the registry of db: detection on, standings kept current, news
// announced through broker.
func New(db *store.DB, broker *alerts.Broker) *Registry {
	e := anomaly.NewEngine()
	e.Postgres = db.IsPostgres()
	return &Registry{Engine: e, Exposure: exposure.Recompute, Broker: broker, Postgres: db.IsPostgres()}
}

func (r *Registry) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// Options shape a session.
type Options struct {
	// History judges as a history import: regulatory findings only, no
	// timeliness, validity or statistical finding on the past.
	History bool
	// AnnounceTouched announces a standing change for every touched worker,
	// changed or not (a physician's act, whose page refreshes either way);
	// otherwise only the workers whose standing changed.
	AnnounceTouched bool
	// Now is the instant of the session's writes (zero: Registry.Now).
	Now time.Time
	// Timed, when set, receives the time of each phase (write, detect,
	// statistics, exposure, announce).
	Timed func(phase string, start time.Time)
}

// Session is one recording in one transaction: doses written chunk by chunk,
// each chunk judged as written, then the standings and the news once.
type Session struct {
	reg     *Registry
	opts    Options
	client  *ent.Client
	sys     context.Context
	copier  store.Copier
	now     time.Time
	engine  *anomaly.Engine
	touched map[int]struct{}
	events  []alerts.Event
	// Raised counts the anomalies raised so far; Notices the notices of dose
	// constraints crossed (layer CONSTRAINT), counted apart.
	Raised, Notices int
	// LastID is the id of the last dose record written.
	LastID int
}

// Open starts a session in the transaction carried by ctx (ent.TxFromContext;
// on PostgreSQL store.CopierFromContext for COPY).
func (r *Registry) Open(ctx context.Context, opts Options) (*Session, error) {
	tx := ent.TxFromContext(ctx)
	if tx == nil {
		return nil, errors.New("registry: no transaction in context")
	}
	now := opts.Now
	if now.IsZero() {
		now = r.now()
	}
	s := &Session{reg: r, opts: opts, client: tx.Client(), sys: policy.SystemContext(ctx),
		copier: store.CopierFromContext(ctx), now: now.UTC(), touched: map[int]struct{}{}}
	if !r.Postgres {
		s.copier = nil
	}
	if r.Engine != nil {
		// This session's own engine: the context statistics of its doses are
		// written once, when it settles, and every chunk is judged against
		// the statistics as they were before.
		e := *r.Engine
		e.Stats = anomaly.NewStatsBuffer()
		e.History = opts.History
		s.engine = &e
	}
	return s, nil
}

// Now is the instant of the session's writes.
func (s *Session) Now() time.Time { return s.now }

func (s *Session) timed(phase string, start time.Time) {
	if s.opts.Timed != nil {
		s.opts.Timed(phase, start)
	}
}

// Touch marks workers whose standings the session brings current.
func (s *Session) Touch(workerIDs ...int) {
	for _, id := range workerIDs {
		s.touched[id] = struct{}{}
	}
}

// Judge runs detection on dose records written in the session's transaction
// and held in memory, and keeps the anomalies it raises for the news.
func (s *Session) Judge(recs []*ent.DoseRecord) error {
	if s.engine == nil || len(recs) == 0 {
		return nil
	}
	res, err := s.engine.Judge(s.sys, s.client, recs)
	if err != nil {
		return fmt.Errorf("detect anomalies: %w", err)
	}
	for _, a := range res.Created {
		if a.Layer == entanomaly.LayerConstraint {
			s.Notices++
		} else {
			s.Raised++
		}
		s.events = append(s.events, alerts.Event{Type: alerts.AnomalyRaised, ID: a.ID, WorkerID: a.WorkerID})
	}
	return nil
}

// RaisedIDs returns the ids of the anomalies raised so far, to be announced.
func (s *Session) RaisedIDs() []int {
	var ids []int
	for _, e := range s.events {
		if e.Type == alerts.AnomalyRaised {
			ids = append(ids, e.ID)
		}
	}
	return ids
}

// Forget withdraws raised anomalies from the news: those a laboratory batch
// finding explains are read with it, not announced one by one. ids are sorted.
func (s *Session) Forget(ids []int) {
	if len(ids) == 0 {
		return
	}
	kept := s.events[:0]
	for _, e := range s.events {
		if _, found := slices.BinarySearch(ids, e.ID); !found || e.Type != alerts.AnomalyRaised {
			kept = append(kept, e)
		}
	}
	s.events = kept
}

// Settle writes the context statistics of the judged doses and brings the
// standings of the touched workers current, in set-based SQL.
func (s *Session) Settle() error {
	if s.engine != nil && s.engine.Stats != nil {
		t0 := time.Now()
		if err := s.engine.Stats.Flush(s.sys, s.client); err != nil {
			return fmt.Errorf("context statistics: %w", err)
		}
		s.timed("statistics", t0)
	}
	defer s.timed("exposure", time.Now())
	if s.reg.Exposure == nil || len(s.touched) == 0 {
		return nil
	}
	workers := make([]int, 0, len(s.touched))
	for id := range s.touched {
		workers = append(workers, id)
	}
	slices.Sort(workers)
	changed, err := s.reg.Exposure(s.sys, s.client, workers, s.now)
	if err != nil {
		return fmt.Errorf("update exposure: %w", err)
	}
	if s.opts.AnnounceTouched {
		changed = workers
	}
	for _, id := range changed {
		s.events = append(s.events, alerts.Event{Type: alerts.ExposureChanged, ID: id, WorkerID: id})
	}
	return nil
}

// Announce hands the session's news to the broker: delivered when the
// transaction commits, never if it rolls back.
func (s *Session) Announce(ctx context.Context) error {
	defer s.timed("announce", time.Now())
	return s.reg.Broker.Announce(ctx, s.client, s.events...)
}

// Finish settles the session and announces its news.
func (s *Session) Finish(ctx context.Context) error {
	if err := s.Settle(); err != nil {
		return err
	}
	return s.Announce(ctx)
}
