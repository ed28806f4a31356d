package audit

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/auditbatch"
	"github.com/siseri/siseri/ent/auditevent"
	"github.com/siseri/siseri/ent/auditsubject"
	"github.com/siseri/siseri/policy"
)

// DefaultGrace is how long an event may wait to be chained before Verify
// reports it: the sequencer runs every second, and a transaction that appended
// an event is visible to it only once committed.
const DefaultGrace = 10 * time.Minute

// Report is the outcome of a chain verification.
type Report struct {
	// Events is the number of events read, chained or pending.
	Events int
	// Pending is how many of them wait to be chained.
	Pending int
	// Batches is the number of batches read.
	Batches int
	// HeadNumber and HeadHash name the last batch: recorded elsewhere (a
	// signed note, another system), they let a later verification show that
	// the chain was not rewritten as a whole.
	HeadNumber int64
	HeadHash   string
	// Problems lists every break found, in French, first break first.
	Problems []string
}

// OK reports whether the chain is intact.
func (r Report) OK() bool { return len(r.Problems) == 0 }

const maxProblems = 100

func (r *Report) add(format string, args ...any) {
	if len(r.Problems) < maxProblems {
		r.Problems = append(r.Problems, fmt.Sprintf(format, args...))
	}
}

// Verify checks the whole log with DefaultGrace (see VerifyAt).
func Verify(ctx context.Context, client *ent.Client) (Report, error) {
	return VerifyAt(ctx, client, time.Now(), DefaultGrace)
}

// VerifyAt checks the whole log as of now: batches numbered 1..n, each
// following the previous one's hash, with an unchanged hash of its own, and
// covering the next run of event numbers; in each batch, events numbered
// without gap whose Merkle root is the batch's; each event's content matching
// its hash and its worker index matching its content; no numbered event
// outside every batch; no event pending for longer than grace. Events
// chained one by one before batches existed are checked as they were (seq and
// the previous hash). It stops collecting after 100 problems.
//
// It reads one snapshot of the log (a read-only repeatable-read transaction),
// so that a batch the sequencer seals meanwhile is seen whole or not at all.
func VerifyAt(ctx context.Context, client *ent.Client, now time.Time, grace time.Duration) (Report, error) {
	ctx = policy.SystemContext(ctx)
	tx, err := client.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		// A driver that refuses the options: a plain transaction (SQLite's
		// are serializable, a snapshot already).
		if tx, err = client.BeginTx(ctx, nil); err != nil {
			return Report{}, fmt.Errorf("audit: begin snapshot: %w", err)
		}
	}
	defer tx.Rollback() //nolint:errcheck // read-only: nothing to keep
	w := &walker{client: tx.Client(), nextNumber: 1, nextSeq: 1}
	if err := w.chained(ctx); err != nil {
		return w.rep, err
	}
	if err := w.pending(ctx, now, grace); err != nil {
		return w.rep, err
	}
	return w.rep, nil
}

// walker merges the events in seq order with the batches in number order.
type walker struct {
	client *ent.Client
	rep    Report

	batches []*ent.AuditBatch // read ahead, in number order
	cur     *ent.AuditBatch   // the batch the next events belong to
	leaves  []string          // hashes of cur's events read so far
	done    bool              // no batch left to read
	read    int64             // number of the last batch read
	opened  bool              // the first batch is open
	// legacyEnd is the last seq before the first batch: events chained one
	// by one before batches existed.
	legacyEnd int64

	nextNumber int64  // of the next batch
	nextSeq    int64  // of the next event
	prevHash   string // last legacy event's or batch's hash
}

const page = 5000

func (w *walker) chained(ctx context.Context) error {
	w.legacyEnd = math.MaxInt64
	first, err := w.client.AuditBatch.Query().Order(ent.Asc(auditbatch.FieldNumber)).First(ctx)
	if err != nil && !ent.IsNotFound(err) {
		return fmt.Errorf("audit: read batches: %w", err)
	}
	if first != nil {
		w.legacyEnd = first.FirstSeq - 1
	}
	for after := int64(0); ; {
		events, err := w.client.AuditEvent.Query().Where(auditevent.SeqGT(after)).
			Order(ent.Asc(auditevent.FieldSeq)).Limit(page).All(ctx)
		if err != nil {
			return fmt.Errorf("audit: read events: %w", err)
		}
		if len(events) == 0 {
			break
		}
		subjects, err := subjectsOf(ctx, w.client, events)
		if err != nil {
			return err
		}
		for _, e := range events {
			if err := w.event(ctx, e, subjects[e.ID]); err != nil {
				return err
			}
			after = *e.Seq
		}
	}
	if !w.opened {
		if err := w.open(ctx); err != nil {
			return err
		}
	}
	for w.cur != nil { // batches whose events are missing
		if err := w.close(ctx); err != nil {
			return err
		}
	}
	return nil
}

// event checks one numbered event against the batch that should hold it.
func (w *walker) event(ctx context.Context, e *ent.AuditEvent, subjects []int) error {
	w.rep.Events++
	seq := *e.Seq
	w.content(e, subjects, fmt.Sprintf("événement n° %d", seq))
	if !w.opened && seq > w.legacyEnd {
		if err := w.open(ctx); err != nil {
			return err
		}
	}
	for w.cur != nil && seq > w.cur.LastSeq {
		if err := w.close(ctx); err != nil {
			return err
		}
	}
	switch {
	case !w.opened && e.Salt == "":
		// Chained one by one before batches: seq and the previous hash.
		if seq != w.nextSeq {
			w.rep.add("événement n° %d : numéro attendu %d (événement supprimé ou inséré)", seq, w.nextSeq)
		}
		if e.PrevHash != w.prevHash {
			w.rep.add("événement n° %d : il ne suit pas l'empreinte de l'événement précédent", seq)
		}
		w.nextSeq, w.prevHash = seq+1, e.Hash
	case w.cur == nil || seq < w.cur.FirstSeq:
		w.rep.add("événement n° %d : numéroté hors de tout lot (inséré, ou son lot a été supprimé)", seq)
	default:
		if seq != w.nextSeq {
			w.rep.add("événement n° %d : numéro attendu %d (événement supprimé ou inséré)", seq, w.nextSeq)
		}
		w.leaves = append(w.leaves, e.Hash)
		w.nextSeq = seq + 1
	}
	return nil
}

// content checks an event's hash and worker index.
func (w *walker) content(e *ent.AuditEvent, subjects []int, name string) {
	if h, err := contentHash(e); err != nil || h != e.Hash {
		w.rep.add("%s : son contenu ne correspond plus à son empreinte (modifié)", name)
	}
	want := slices.Compact(slices.Sorted(slices.Values(e.WorkerIds)))
	slices.Sort(subjects)
	if !slices.Equal(want, subjects) {
		w.rep.add("%s : l'index des personnes concernées a été modifié", name)
	}
}

// close ends the current batch (its Merkle root over the events read) and
// opens the next one.
func (w *walker) close(ctx context.Context) error {
	b := w.cur
	if w.nextSeq <= b.LastSeq {
		w.rep.add("lot n° %d : numéro attendu %d, le lot va jusqu'au n° %d (événement supprimé ou renuméroté)", b.Number, w.nextSeq, b.LastSeq)
	}
	if merkleRoot(w.leaves) != b.Root {
		w.rep.add("lot n° %d : la racine de Merkle ne correspond plus à ses événements (événement supprimé, inséré, modifié ou déplacé)", b.Number)
	}
	w.nextSeq = b.LastSeq + 1
	return w.advance(ctx)
}

// open opens the first batch, after the events chained one by one if any.
func (w *walker) open(ctx context.Context) error {
	w.opened = true
	return w.advance(ctx)
}

// advance opens the next batch and checks its place in the chain.
func (w *walker) advance(ctx context.Context) error {
	w.cur, w.leaves = nil, nil
	if len(w.batches) == 0 && !w.done {
		var err error
		w.batches, err = w.client.AuditBatch.Query().Where(auditbatch.NumberGT(w.read)).
			Order(ent.Asc(auditbatch.FieldNumber)).Limit(page).All(ctx)
		if err != nil {
			return fmt.Errorf("audit: read batches: %w", err)
		}
		w.done = len(w.batches) < page
	}
	if len(w.batches) == 0 {
		return nil
	}
	b := w.batches[0]
	w.batches = w.batches[1:]
	w.read = b.Number
	w.rep.Batches++
	w.rep.HeadNumber, w.rep.HeadHash = b.Number, b.Hash
	if b.Number != w.nextNumber {
		w.rep.add("lot n° %d : numéro attendu %d (lot supprimé ou inséré)", b.Number, w.nextNumber)
	}
	if b.FirstSeq != w.nextSeq {
		w.rep.add("lot n° %d : il commence à l'événement n° %d, attendu n° %d (lot ou événements supprimés)", b.Number, b.FirstSeq, w.nextSeq)
	}
	if b.PrevHash != w.prevHash {
		w.rep.add("lot n° %d : il ne suit pas l'empreinte du lot précédent", b.Number)
	}
	sum, err := batch{Number: b.Number, FirstSeq: b.FirstSeq, LastSeq: b.LastSeq, Root: b.Root,
		PrevHash: b.PrevHash, SealedAt: b.SealedAt}.sum()
	if err != nil || sum != b.Hash {
		w.rep.add("lot n° %d : son contenu ne correspond plus à son empreinte (modifié)", b.Number)
	}
	w.cur, w.nextNumber, w.nextSeq, w.prevHash = b, b.Number+1, b.FirstSeq, b.Hash
	return nil
}

// pending checks the events not chained yet: their content, and that none has
// waited beyond grace (the sequencer stopped, or a row was slipped in with an
// old date).
func (w *walker) pending(ctx context.Context, now time.Time, grace time.Duration) error {
	for after := 0; ; {
		events, err := w.client.AuditEvent.Query().Where(auditevent.SeqIsNil(), auditevent.IDGT(after)).
			Order(ent.Asc(auditevent.FieldID)).Limit(page).All(ctx)
		if err != nil {
			return fmt.Errorf("audit: read pending events: %w", err)
		}
		if len(events) == 0 {
			return nil
		}
		subjects, err := subjectsOf(ctx, w.client, events)
		if err != nil {
			return err
		}
		for _, e := range events {
			w.rep.Events++
			w.rep.Pending++
			name := fmt.Sprintf("événement en attente (identifiant %d)", e.ID)
			w.content(e, subjects[e.ID], name)
			if now.Sub(e.At) > grace {
				w.rep.add("%s : non chaîné depuis le %s, au-delà du délai de %s (séquenceur arrêté, ou événement inséré)",
					name, e.At.UTC().Format("02/01/2006 15:04:05"), grace)
			}
			after = e.ID
		}
	}
}

func subjectsOf(ctx context.Context, client *ent.Client, events []*ent.AuditEvent) (map[int][]int, error) {
	ids := make([]int, len(events))
	for i, e := range events {
		ids[i] = e.ID
	}
	rows, err := client.AuditSubject.Query().Where(auditsubject.EventIDIn(ids...)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("audit: read subjects: %w", err)
	}
	out := map[int][]int{}
	for _, s := range rows {
		out[s.EventID] = append(out[s.EventID], s.WorkerID)
	}
	return out, nil
}
