// Package audit keeps SISERI's access log: one event per operation that read
// nominative data or wrote anything, naming who (account, role, grant, API
// key), what (operation, field paths, entities, the people concerned) and
// when.
//
// Appending never serialises readers: an event is a plain row, written in the
// reader's transaction with the hash of its content (salted). A Sequencer
// (one at a time across processes) then numbers the committed rows and seals
// them in batches, as transparency logs do: each batch stores the Merkle root
// of its events' hashes and the hash of the previous batch. Verify detects an
// edited, inserted, deleted or reordered event, an edited or deleted batch,
// and events left unchained beyond a grace period.
package audit

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/siseri/siseri/ent"
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

// Log appends to the audit log of one database. Appending takes no lock and
// reads nothing: the event is a plain row carrying the hash of its content,
// and the Sequencer chains committed rows later, in batches.
type Log struct {
	Client *ent.Client
	// Dialect is the database's Ent dialect.
	Dialect string
}

// Append writes e for viewer v (nil for the system). It runs in the
// transaction of ctx when there is one (a read or a mutation is audited in
// its own transaction, and commits with it), else in its own.
func (l *Log) Append(ctx context.Context, v *policy.Viewer, e Entry) error {
	sys := policy.SystemContext(ctx)
	if tx := ent.FromContext(ctx); tx != nil {
		return write(sys, tx, []Pending{{Viewer: v, Entry: e}})
	}
	return l.inTx(sys, []Pending{{Viewer: v, Entry: e}})
}

// Pending is an entry waiting to be appended for a viewer.
type Pending struct {
	Viewer *policy.Viewer
	Entry  Entry
}

// AppendBatch appends entries in one transaction of its own, with one
// multi-row INSERT for the events and one for their worker index (chunked
// under the database's parameter limit): subscriptions deliver many events
// and their audit trail is written in batches.
func (l *Log) AppendBatch(ctx context.Context, entries []Pending) error {
	if len(entries) == 0 {
		return nil
	}
	return l.inTx(policy.SystemContext(ctx), entries)
}

func (l *Log) inTx(ctx context.Context, entries []Pending) error {
	tx, err := l.Client.Tx(ctx)
	if err != nil {
		return fmt.Errorf("audit: begin: %w", err)
	}
	if err := write(ctx, tx.Client(), entries); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("audit: commit: %w", err)
	}
	return nil
}

// Rows per INSERT: under PostgreSQL's 65,535 parameters (16 columns an
// event, 3 a subject) and SQLite's 32,766.
const (
	eventsPerInsert   = 1500
	subjectsPerInsert = 8000
)

// write inserts the events of entries and their worker index.
func write(ctx context.Context, c *ent.Client, entries []Pending) error {
	at := time.Now().UTC().Truncate(time.Microsecond)
	events := make([]event, len(entries))
	creates := make([]*ent.AuditEventCreate, len(entries))
	for i, p := range entries {
		ev, err := newEvent(at, p.Viewer, p.Entry)
		if err != nil {
			return err
		}
		events[i] = ev
		creates[i] = c.AuditEvent.Create().SetAt(ev.At).SetNillableActorAccountID(ev.ActorAccountID).
			SetNillableActorAPIKeyID(ev.ActorAPIKeyID).SetActorLabel(ev.ActorLabel).SetActorRole(ev.ActorRole).
			SetNillableGrantID(ev.GrantID).SetAction(ev.Action).SetOperation(ev.Operation).
			SetFieldPaths(ev.FieldPaths).SetObjectType(ev.ObjectType).SetObjectIds(ev.ObjectIDs).
			SetWorkerIds(ev.WorkerIDs).SetDetails(ev.Details).SetSalt(ev.Salt).SetHash(ev.hash)
	}
	var subjects []*ent.AuditSubjectCreate
	for lo := 0; lo < len(creates); lo += eventsPerInsert {
		saved, err := c.AuditEvent.CreateBulk(creates[lo:min(lo+eventsPerInsert, len(creates))]...).Save(ctx)
		if err != nil {
			return fmt.Errorf("audit: append: %w", err)
		}
		for i, s := range saved {
			for _, w := range events[lo+i].WorkerIDs {
				subjects = append(subjects, c.AuditSubject.Create().SetEventID(s.ID).SetWorkerID(w).SetAt(at))
			}
		}
	}
	for lo := 0; lo < len(subjects); lo += subjectsPerInsert {
		if err := c.AuditSubject.CreateBulk(subjects[lo:min(lo+subjectsPerInsert, len(subjects))]...).Exec(ctx); err != nil {
			return fmt.Errorf("audit: index subjects: %w", err)
		}
	}
	return nil
}

// newEvent is the hashed content of e read or done by v at at.
func newEvent(at time.Time, v *policy.Viewer, e Entry) (event, error) {
	var salt [16]byte
	if _, err := rand.Read(salt[:]); err != nil {
		return event{}, fmt.Errorf("audit: salt: %w", err)
	}
	ev := event{At: at, Action: e.Action, Operation: e.Operation, FieldPaths: e.FieldPaths, ObjectType: e.ObjectType,
		ObjectIDs: e.ObjectIDs, WorkerIDs: slices.Compact(slices.Sorted(slices.Values(e.WorkerIDs))), Details: e.Details,
		Salt: hex.EncodeToString(salt[:])}
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
	var err error
	ev.hash, err = ev.sum()
	return ev, err
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

// event is the hashed content of an audit event, in a fixed field order. It
// holds neither its position nor its predecessor: those are the sequencer's
// (see AuditBatch). Events chained one by one before batches hashed them in
// too, and have no salt (see legacyEvent).
type event struct {
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
	Salt           string         `json:"salt"`

	hash string
}

// legacyEvent is how events were hashed when each was chained to the
// previous one at append time: their content, seq and the previous hash.
type legacyEvent struct {
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

// sum is SHA-256 over the canonical JSON of the event (fields in declaration
// order, map keys sorted, empty lists as null, instants in UTC to the
// microsecond as stored).
func (e event) sum() (string, error) {
	e.At = e.At.UTC().Truncate(time.Microsecond)
	e.FieldPaths, e.ObjectIDs, e.WorkerIDs, e.Details = nilIfEmpty(e.FieldPaths), nilIfEmpty(e.ObjectIDs), nilIfEmpty(e.WorkerIDs), nilIfEmptyMap(e.Details)
	return sumJSON(e)
}

func (e legacyEvent) sum() (string, error) {
	e.At = e.At.UTC().Truncate(time.Microsecond)
	e.FieldPaths, e.ObjectIDs, e.WorkerIDs, e.Details = nilIfEmpty(e.FieldPaths), nilIfEmpty(e.ObjectIDs), nilIfEmpty(e.WorkerIDs), nilIfEmptyMap(e.Details)
	return sumJSON(e)
}

// contentHash recomputes the hash of a stored event.
func contentHash(e *ent.AuditEvent) (string, error) {
	if e.Salt == "" && e.Seq != nil {
		return legacyEvent{Seq: *e.Seq, At: e.At, ActorAccountID: e.ActorAccountID, ActorAPIKeyID: e.ActorAPIKeyID,
			ActorLabel: e.ActorLabel, ActorRole: e.ActorRole, GrantID: e.GrantID, Action: e.Action, Operation: e.Operation,
			FieldPaths: e.FieldPaths, ObjectType: e.ObjectType, ObjectIDs: e.ObjectIds, WorkerIDs: e.WorkerIds,
			Details: e.Details, PrevHash: e.PrevHash}.sum()
	}
	return event{At: e.At, ActorAccountID: e.ActorAccountID, ActorAPIKeyID: e.ActorAPIKeyID,
		ActorLabel: e.ActorLabel, ActorRole: e.ActorRole, GrantID: e.GrantID, Action: e.Action, Operation: e.Operation,
		FieldPaths: e.FieldPaths, ObjectType: e.ObjectType, ObjectIDs: e.ObjectIds, WorkerIDs: e.WorkerIds,
		Details: e.Details, Salt: e.Salt}.sum()
}

func sumJSON(v any) (string, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return "", fmt.Errorf("audit: encode: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

func nilIfEmpty[T any](s []T) []T {
	if len(s) == 0 {
		return nil
	}
	return s
}

func nilIfEmptyMap(m map[string]any) map[string]any {
	if len(m) == 0 {
		return nil
	}
	return m
}

func ptr[T any](v T) *T { return &v }
