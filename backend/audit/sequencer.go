package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"entgo.io/ent/dialect"

	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/auditbatch"
	"github.com/siseri/siseri/ent/auditevent"
	"github.com/siseri/siseri/policy"
)

// sequencerLock is the PostgreSQL advisory lock a sealing transaction holds:
// two processes never chain at the same time (the second skips its turn).
const sequencerLock = 0x5151_A0D2

// DefaultMaxBatch is the most events one batch seals.
const DefaultMaxBatch = 10_000

// Sequencer numbers the committed events that are not chained yet and seals
// them in batches. Any number of processes may run one: on PostgreSQL a
// transaction-scoped advisory lock lets one seal at a time; on SQLite write
// transactions are serialised already. In both, the unique batch number and
// event seq refuse a second chain.
//
// Pending events are found by "seq IS NULL", never by an id watermark: a
// transaction that appended early and commits late (its id below events
// already chained) is chained by the next seal after its commit, and an
// uncommitted one is simply not seen yet. No event is skipped.
type Sequencer struct {
	Client *ent.Client
	// Dialect is the database's Ent dialect.
	Dialect string
	// MaxBatch caps the events of one batch (DefaultMaxBatch when 0).
	MaxBatch int
}

// ErrSealing is returned when another process is sealing (PostgreSQL).
var ErrSealing = errors.New("audit: another sequencer is sealing")

// Seal chains the pending events (up to MaxBatch, in id order) as one batch
// and returns how many it chained: 0 when none is pending. It returns
// ErrSealing when another process holds the sequencer's lock.
func (s *Sequencer) Seal(ctx context.Context) (int, error) {
	ctx = policy.SystemContext(ctx)
	tx, err := s.Client.Tx(ctx)
	if err != nil {
		return 0, fmt.Errorf("audit: sequencer: begin: %w", err)
	}
	n, err := s.seal(ctx, tx.Client())
	if err != nil || n == 0 {
		_ = tx.Rollback()
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("audit: sequencer: commit: %w", err)
	}
	return n, nil
}

// Drain seals until no event is pending and returns how many events it
// chained (ErrSealing when another process took over).
func (s *Sequencer) Drain(ctx context.Context) (int, error) {
	total := 0
	for {
		n, err := s.Seal(ctx)
		total += n
		if err != nil || n == 0 {
			return total, err
		}
	}
}

// Run drains every interval until ctx ends, logging failures (the events
// stay pending and are chained by a later turn) to log, or slog's default.
func (s *Sequencer) Run(ctx context.Context, every time.Duration, log *slog.Logger) {
	if log == nil {
		log = slog.Default()
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if _, err := s.Drain(ctx); err != nil && !errors.Is(err, ErrSealing) && ctx.Err() == nil {
			log.Error("audit sequencer: events left pending", "err", err)
		}
	}
}

// head is where the next batch continues the chain.
type head struct {
	number  int64 // of the next batch
	nextSeq int64
	hash    string
}

func (s *Sequencer) seal(ctx context.Context, c *ent.Client) (int, error) {
	if s.Dialect == dialect.Postgres {
		var locked bool
		if err := queryRow(ctx, c, "SELECT pg_try_advisory_xact_lock($1)", []any{sequencerLock}, &locked); err != nil {
			return 0, fmt.Errorf("audit: sequencer: lock: %w", err)
		}
		if !locked {
			return 0, ErrSealing
		}
	}
	h, err := chainHead(ctx, c)
	if err != nil {
		return 0, err
	}
	limit := s.MaxBatch
	if limit <= 0 {
		limit = DefaultMaxBatch
	}
	pending, err := c.AuditEvent.Query().Where(auditevent.SeqIsNil()).Order(ent.Asc(auditevent.FieldID)).
		Limit(limit).Select(auditevent.FieldID, auditevent.FieldHash).All(ctx)
	if err != nil {
		return 0, fmt.Errorf("audit: sequencer: read pending events: %w", err)
	}
	if len(pending) == 0 {
		return 0, nil
	}
	type number struct {
		ID  int   `json:"id"`
		Seq int64 `json:"seq"`
	}
	numbers := make([]number, len(pending))
	leaves := make([]string, len(pending))
	for i, e := range pending {
		numbers[i] = number{ID: e.ID, Seq: h.nextSeq + int64(i)}
		leaves[i] = e.Hash
	}
	arg, err := json.Marshal(numbers)
	if err != nil {
		return 0, err
	}
	// One statement numbers the whole batch; "seq IS NULL" again, so that a
	// second sequencer slipping past the lock changes nothing.
	q := `UPDATE audit_events AS e SET seq = v.seq FROM jsonb_to_recordset($1::jsonb) AS v(id bigint, seq bigint)
		WHERE e.id = v.id AND e.seq IS NULL`
	if s.Dialect != dialect.Postgres {
		q = `UPDATE audit_events SET seq = json_extract(v.value, '$.seq') FROM json_each(?) AS v
		WHERE audit_events.id = json_extract(v.value, '$.id') AND audit_events.seq IS NULL`
	}
	res, err := c.ExecContext(ctx, q, string(arg))
	if err != nil {
		return 0, fmt.Errorf("audit: sequencer: number events: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != int64(len(pending)) {
		return 0, fmt.Errorf("audit: sequencer: numbered %d events of %d (%v)", n, len(pending), err)
	}
	b := batch{Number: h.number, FirstSeq: h.nextSeq, LastSeq: h.nextSeq + int64(len(pending)) - 1,
		Root: merkleRoot(leaves), PrevHash: h.hash, SealedAt: time.Now().UTC().Truncate(time.Microsecond)}
	sum, err := b.sum()
	if err != nil {
		return 0, err
	}
	err = c.AuditBatch.Create().SetNumber(b.Number).SetFirstSeq(b.FirstSeq).SetLastSeq(b.LastSeq).
		SetRoot(b.Root).SetPrevHash(b.PrevHash).SetSealedAt(b.SealedAt).SetHash(sum).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("audit: sequencer: seal batch %d: %w", b.Number, err)
	}
	return len(pending), nil
}

// chainHead reads the last batch, or, before the first, the last event
// chained one by one (databases that predate batches).
func chainHead(ctx context.Context, c *ent.Client) (head, error) {
	last, err := c.AuditBatch.Query().Order(ent.Desc(auditbatch.FieldNumber)).First(ctx)
	if err == nil {
		return head{number: last.Number + 1, nextSeq: last.LastSeq + 1, hash: last.Hash}, nil
	}
	if !ent.IsNotFound(err) {
		return head{}, fmt.Errorf("audit: sequencer: read last batch: %w", err)
	}
	legacy, err := c.AuditEvent.Query().Where(auditevent.SeqNotNil()).Order(ent.Desc(auditevent.FieldSeq)).First(ctx)
	if ent.IsNotFound(err) {
		return head{number: 1, nextSeq: 1}, nil
	}
	if err != nil {
		return head{}, fmt.Errorf("audit: sequencer: read chain head: %w", err)
	}
	return head{number: 1, nextSeq: *legacy.Seq + 1, hash: legacy.Hash}, nil
}

// batch is the hashed content of a batch, in a fixed field order.
type batch struct {
	Number   int64     `json:"number"`
	FirstSeq int64     `json:"first_seq"`
	LastSeq  int64     `json:"last_seq"`
	Root     string    `json:"root"`
	PrevHash string    `json:"prev_hash"`
	SealedAt time.Time `json:"sealed_at"`
}

func (b batch) sum() (string, error) {
	b.SealedAt = b.SealedAt.UTC().Truncate(time.Microsecond)
	return sumJSON(b)
}

// merkleRoot is the RFC 6962 Merkle tree hash of the events' hashes, in
// order: a leaf is SHA-256(0x00 ‖ hash), a node SHA-256(0x01 ‖ left ‖ right),
// split at the largest power of two below the count. Any deleted, inserted,
// changed or reordered leaf changes it.
func merkleRoot(leaves []string) string {
	if len(leaves) == 0 {
		sum := sha256.Sum256(nil)
		return hex.EncodeToString(sum[:])
	}
	sum := mth(leaves)
	return hex.EncodeToString(sum[:])
}

func mth(leaves []string) [32]byte {
	if len(leaves) == 1 {
		b, err := hex.DecodeString(leaves[0])
		if err != nil {
			b = []byte(leaves[0])
		}
		return sha256.Sum256(append([]byte{0}, b...))
	}
	k := 1
	for k*2 < len(leaves) {
		k *= 2
	}
	l, r := mth(leaves[:k]), mth(leaves[k:])
	return sha256.Sum256(append(append([]byte{1}, l[:]...), r[:]...))
}

func queryRow(ctx context.Context, c *ent.Client, q string, args []any, dest ...any) error {
	rows, err := c.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return err
		}
		return fmt.Errorf("no row")
	}
	if err := rows.Scan(dest...); err != nil {
		return err
	}
	return rows.Close()
}
