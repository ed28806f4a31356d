// Package audit keeps SISERI's access log: one event per operation that read
// nominative data or wrote anything, naming who (account, role, grant, API
// key), what (operation, field paths, entities, the people concerned) and
// when. Events are append-only and hash-chained: each event's hash covers its
// content and the previous hash, and seq has no gap, so Verify detects an
// edited, inserted or deleted event.
package audit

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"entgo.io/ent/dialect"

	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/auditevent"
	"github.com/siseri/siseri/policy"
)

// Actions recorded in the log.
const (
	ActionRead   = "READ"
	ActionWrite  = "WRITE"
	ActionLogin  = "LOGIN"
	ActionExport = "EXPORT"
)

// Entry is what an operation did.
type Entry struct {
	Action     string
	Operation  string
	FieldPaths []string
	ObjectType string
	ObjectIDs  []int
	WorkerIDs  []int
	Details    map[string]any
}

// chainLock is the PostgreSQL advisory lock that serialises appends.
const chainLock = 0x5151_A0D1

// Log appends to the audit chain of one database.
type Log struct {
	Client *ent.Client
	// Dialect is the database's Ent dialect: PostgreSQL appends take an
	// advisory lock; SQLite transactions are serialised already.
	Dialect string
}

// chainHead is the last event of the chain as a transaction sees it.
type chainHead struct {
	seq  int64
	hash string
}

// Append writes e for viewer v (nil for the system) at the end of the chain.
// It runs in the transaction of ctx when there is one (a mutation's audit
// commits with the mutation), else in its own.
func (l *Log) Append(ctx context.Context, v *policy.Viewer, e Entry) error {
	sys := policy.SystemContext(ctx)
	if tx := ent.FromContext(ctx); tx != nil {
		return l.appendTx(sys, tx, v, e)
	}
	tx, err := l.Client.Tx(sys)
	if err != nil {
		return fmt.Errorf("audit: begin: %w", err)
	}
	if err := l.appendTx(sys, tx.Client(), v, e); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Pending is an entry waiting to be appended for a viewer.
type Pending struct {
	Viewer *policy.Viewer
	Entry  Entry
}

// AppendBatch appends entries in order in one transaction (one lock, one
// read of the chain head): subscriptions deliver many events and their audit
// trail is written in batches.
func (l *Log) AppendBatch(ctx context.Context, entries []Pending) error {
	if len(entries) == 0 {
		return nil
	}
	sys := policy.SystemContext(ctx)
	tx, err := l.Client.Tx(sys)
	if err != nil {
		return fmt.Errorf("audit: begin: %w", err)
	}
	head, err := l.lockHead(sys, tx.Client())
	if err != nil {
		_ = tx.Rollback()
		return err
	}
	for _, p := range entries {
		if head, err = l.write(sys, tx.Client(), head, p.Viewer, p.Entry); err != nil {
			_ = tx.Rollback()
			return err
		}
	}
	return tx.Commit()
}

func (l *Log) appendTx(ctx context.Context, c *ent.Client, v *policy.Viewer, e Entry) error {
	head, err := l.lockHead(ctx, c)
	if err != nil {
		return err
	}
	_, err = l.write(ctx, c, head, v, e)
	return err
}

// lockHead serialises appends (PostgreSQL advisory lock held until commit;
// SQLite write transactions are serialised already) and reads the head.
func (l *Log) lockHead(ctx context.Context, c *ent.Client) (chainHead, error) {
	if l.Dialect == dialect.Postgres {
		if _, err := c.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", chainLock); err != nil {
			return chainHead{}, fmt.Errorf("audit: lock chain: %w", err)
		}
	}
	last, err := c.AuditEvent.Query().Order(ent.Desc(auditevent.FieldSeq)).First(ctx)
	if err != nil && !ent.IsNotFound(err) {
		return chainHead{}, fmt.Errorf("audit: read chain head: %w", err)
	}
	if last == nil {
		return chainHead{}, nil
	}
	return chainHead{seq: last.Seq, hash: last.Hash}, nil
}

// write appends one event after head and returns the new head.
func (l *Log) write(ctx context.Context, c *ent.Client, head chainHead, v *policy.Viewer, e Entry) (chainHead, error) {
	ev := event{Seq: head.seq + 1, PrevHash: head.hash, At: time.Now().UTC().Truncate(time.Microsecond), Action: e.Action,
		Operation: e.Operation, FieldPaths: e.FieldPaths, ObjectType: e.ObjectType, ObjectIDs: e.ObjectIDs,
		WorkerIDs: e.WorkerIDs, Details: e.Details}
	if v != nil {
		ev.ActorAccountID = ptr(v.AccountID)
		if v.APIKeyID != 0 {
			ev.ActorAPIKeyID = ptr(v.APIKeyID)
		}
		ev.ActorRole = string(v.Role)
		ev.ActorLabel = Label(v)
		if scope := v.Scope(); len(scope) > 0 {
			ev.GrantID = ptr(scope[0].ID)
		}
	}
	slices.Sort(ev.WorkerIDs)
	ev.WorkerIDs = slices.Compact(ev.WorkerIDs)
	hash, err := ev.hash()
	if err != nil {
		return head, err
	}
	next := chainHead{seq: ev.Seq, hash: hash}
	saved, err := c.AuditEvent.Create().
		SetSeq(ev.Seq).SetAt(ev.At).SetNillableActorAccountID(ev.ActorAccountID).
		SetNillableActorAPIKeyID(ev.ActorAPIKeyID).SetActorLabel(ev.ActorLabel).SetActorRole(ev.ActorRole).
		SetNillableGrantID(ev.GrantID).SetAction(ev.Action).SetOperation(ev.Operation).
		SetFieldPaths(ev.FieldPaths).SetObjectType(ev.ObjectType).SetObjectIds(ev.ObjectIDs).
		SetWorkerIds(ev.WorkerIDs).SetDetails(ev.Details).SetPrevHash(ev.PrevHash).SetHash(hash).
		Save(ctx)
	if err != nil {
		return head, fmt.Errorf("audit: append: %w", err)
	}
	if len(ev.WorkerIDs) == 0 {
		return next, nil
	}
	subjects := make([]*ent.AuditSubjectCreate, len(ev.WorkerIDs))
	for i, w := range ev.WorkerIDs {
		subjects[i] = c.AuditSubject.Create().SetEventID(saved.ID).SetWorkerID(w).SetAt(ev.At)
	}
	for i := 0; i < len(subjects); i += 1000 {
		if err := c.AuditSubject.CreateBulk(subjects[i:min(i+1000, len(subjects))]...).Exec(ctx); err != nil {
			return head, fmt.Errorf("audit: index subjects: %w", err)
		}
	}
	return next, nil
}

// Label is how an actor is shown to the person whose data they accessed.
func Label(v *policy.Viewer) string {
	name := v.DisplayName
	if name == "" {
		name = v.Email
	}
	label := name + " (" + RoleLabel(v.Role) + ")"
	if v.APIKeyID != 0 {
		label += " — logiciel partenaire"
	}
	return label
}

// RoleLabel is the French name of a role.
func RoleLabel(r policy.Role) string {
	switch r {
	case policy.RoleWorker:
		return "travailleur"
	case policy.RolePhysician:
		return "médecin du travail"
	case policy.RoleDelegate:
		return "délégataire du médecin du travail"
	case policy.RoleRPA:
		return "conseiller en radioprotection"
	case policy.RoleEmployer:
		return "correspondant de l'employeur"
	case policy.RoleLaboratory:
		return "laboratoire de dosimétrie"
	case policy.RoleControlAgent:
		return "agent de contrôle"
	case policy.RoleAnalyst:
		return "analyste"
	case policy.RoleAdmin:
		return "administrateur"
	case policy.RoleLabourMinistry:
		return "inspection du travail (DGT)"
	}
	return string(r)
}

// event is the hashed content of an audit event, in a fixed field order.
type event struct {
	Seq            int64          `json:"seq"`
	At             time.Time      `json:"at"`
	ActorAccountID *int           `json:"actor_account_id"`
	ActorAPIKeyID  *int           `json:"actor_api_key_id"`
	ActorLabel     string         `json:"actor_label"`
	ActorRole      string         `json:"actor_role"`
	GrantID        *int           `json:"grant_id"`
	Action         string         `json:"action"`
	Operation      string         `json:"operation"`
	FieldPaths     []string       `json:"field_paths"`
	ObjectType     string         `json:"object_type"`
	ObjectIDs      []int          `json:"object_ids"`
	WorkerIDs      []int          `json:"worker_ids"`
	Details        map[string]any `json:"details"`
	PrevHash       string         `json:"prev_hash"`
}

// hash is SHA-256 over the canonical JSON of the event (fields in declaration
// order, map keys sorted, empty lists as null, instants in UTC to the
// microsecond as stored).
func (e event) hash() (string, error) {
	e.At = e.At.UTC().Truncate(time.Microsecond)
	if len(e.FieldPaths) == 0 {
		e.FieldPaths = nil
	}
	if len(e.ObjectIDs) == 0 {
		e.ObjectIDs = nil
	}
	if len(e.WorkerIDs) == 0 {
		e.WorkerIDs = nil
	}
	if len(e.Details) == 0 {
		e.Details = nil
	}
	b, err := json.Marshal(e)
	if err != nil {
		return "", fmt.Errorf("audit: encode event: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

func ptr[T any](v T) *T { return &v }
