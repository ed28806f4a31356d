package graph

import (
	"context"
	"log/slog"
	"reflect"
	"sort"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/siseri/siseri/backend/apperr"
	"github.com/siseri/siseri/backend/audit"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/graph/model"
	"github.com/siseri/siseri/policy"
)

// reads collects, during one response, the nominative fields resolved and the
// entities and people they belong to.
type reads struct {
	mu      sync.Mutex
	fields  map[string]bool
	objects map[int]bool
	workers map[int]bool
	types   map[string]bool
	// details are what a mutation records of its decision (see auditDetail).
	details map[string]any
}

// auditDetail records, in the audit event of the operation under way, a
// detail of what it decided (a physician's decision and its reason).
func auditDetail(ctx context.Context, key string, value any) {
	r, _ := ctx.Value(readsKey{}).(*reads)
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.details == nil {
		r.details = map[string]any{}
	}
	r.details[key] = value
}

type readsKey struct{}

func (r *reads) add(field, typ string, id, worker int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fields[field] = true
	r.types[typ] = true
	if id != 0 {
		r.objects[id] = true
	}
	if worker != 0 {
		r.workers[worker] = true
	}
}

// auditor records every operation that read nominative data or wrote
// anything. A response whose audit event cannot be written is not returned:
// nothing is read without a trace. Registered before the transactioner, it
// runs inside a mutation's transaction, so the event commits with the write.
type auditor struct {
	log   *audit.Log
	ents  *Entitlements
	trace *slog.Logger
	live  *liveAudit
}

var _ interface {
	graphql.HandlerExtension
	graphql.ResponseInterceptor
} = auditor{}

func (auditor) ExtensionName() string                   { return "Audit" }
func (auditor) Validate(graphql.ExecutableSchema) error { return nil }

func (a auditor) InterceptResponse(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	v := policy.FromContext(ctx)
	oc := graphql.GetOperationContext(ctx)
	if v == nil || oc.Operation == nil {
		return next(ctx)
	}
	r := &reads{fields: map[string]bool{}, objects: map[int]bool{}, workers: map[int]bool{}, types: map[string]bool{}}
	resp := next(context.WithValue(ctx, readsKey{}, r))
	if resp == nil {
		return resp
	}
	isWrite := oc.Operation.Operation == ast.Mutation
	if !isWrite && len(r.fields) == 0 {
		return resp
	}
	if oc.Operation.Operation == ast.Subscription {
		// Live deliveries are audited per subscription in batches (see liveAudit).
		a.live.add(oc, v, r)
		return resp
	}
	if isWrite && len(resp.Errors) > 0 {
		return resp // rolled back: nothing was written
	}
	entry := audit.Entry{Action: audit.ActionRead, Operation: operationName(oc), FieldPaths: sortedKeys(r.fields),
		ObjectIDs: sortedInts(r.objects), WorkerIDs: sortedInts(r.workers)}
	if types := sortedKeys(r.types); len(types) > 0 {
		entry.ObjectType = types[0]
		if len(types) > 1 {
			entry.Details = map[string]any{"types": types}
		}
	}
	if len(r.details) > 0 {
		if entry.Details == nil {
			entry.Details = map[string]any{}
		}
		for k, v := range r.details {
			entry.Details[k] = v
		}
	}
	if isWrite {
		entry.Action = audit.ActionWrite
		if isLoginOnly(oc) {
			entry.Action = audit.ActionLogin
		}
	}
	if err := a.log.Append(ctx, v, entry); err != nil {
		a.trace.ErrorContext(ctx, "audit append failed: response withheld", "operation", entry.Operation, "err", err)
		return &graphql.Response{Errors: gqlerror.List{{
			Message:    "La trace d'accès n'a pas pu être enregistrée : la réponse n'est pas transmise. Réessayez.",
			Extensions: map[string]any{"code": string(apperr.Internal)},
		}}}
	}
	return resp
}

// recordRead notes each nominative field as it is resolved, with the id of the
// entity and of the person it belongs to.
func (e *Entitlements) recordRead(ctx context.Context, next graphql.Resolver) (any, error) {
	res, err := next(ctx)
	r, _ := ctx.Value(readsKey{}).(*reads)
	fc := graphql.GetFieldContext(ctx)
	if r == nil || fc == nil || err != nil {
		return res, err
	}
	object := fc.Object + "." + fc.Field.Name
	if fc.Object == "Mutation" {
		id, worker := owner(&graphql.FieldContext{Result: res})
		if id == 0 {
			id = idOf(res)
		}
		r.add(object, fc.Field.Name, id, worker)
		return res, err
	}
	if !e.Auth.Nominative(object) {
		return res, err
	}
	id, worker := owner(fc.Parent)
	r.add(object, fc.Object, id, worker)
	return res, err
}

// owner returns the id of the entity being resolved and of the worker it
// concerns.
func owner(fc *graphql.FieldContext) (id, worker int) {
	if fc == nil {
		return 0, 0
	}
	switch o := fc.Result.(type) {
	case *ent.Worker:
		return o.ID, o.ID
	case *ent.DoseRecord:
		return o.ID, o.WorkerID
	case *ent.OperationalDose:
		return o.ID, o.WorkerID
	case *ent.ExposureSummary:
		return o.ID, o.WorkerID
	case *ent.Employment:
		return o.ID, o.WorkerID
	case *ent.Anomaly:
		return o.ID, o.WorkerID
	case *model.WorkerClaimCodePayload:
		return o.WorkerID, o.WorkerID
	}
	return 0, 0
}

// idOf returns the ID field of an entity, or 0.
func idOf(v any) int {
	rv := reflect.Indirect(reflect.ValueOf(v))
	if rv.Kind() != reflect.Struct {
		return 0
	}
	if f := rv.FieldByName("ID"); f.IsValid() && f.Kind() == reflect.Int {
		return int(f.Int())
	}
	return 0
}

func operationName(oc *graphql.OperationContext) string {
	name := oc.OperationName
	if name == "" && oc.Operation != nil {
		name = oc.Operation.Name
	}
	var roots []string
	for _, sel := range oc.Operation.SelectionSet {
		if f, ok := sel.(*ast.Field); ok {
			roots = append(roots, f.Name)
		}
	}
	sort.Strings(roots)
	op := string(oc.Operation.Operation)
	if name != "" {
		op += " " + name
	}
	for i, r := range roots {
		if i == 0 {
			op += " { "
		} else {
			op += ", "
		}
		op += r
	}
	if len(roots) > 0 {
		op += " }"
	}
	return op
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sortedInts(m map[int]bool) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}

// liveAudit gathers what each open subscription delivered and appends one
// event per subscription every flush interval, all in one set-based write
// (audit.Log.AppendBatch: one short transaction, one multi-row INSERT for the
// events and one for their index, chunked only past thousands of rows), on
// the same append path as reads, sealed by the same sequencer. No
// transaction is open between flushes or across deliveries. A delivery is
// audited within the interval.
type liveAudit struct {
	log   *audit.Log
	trace *slog.Logger
	every time.Duration

	mu      sync.Mutex
	pending map[*graphql.OperationContext]*liveEntry
	started bool
}

type liveEntry struct {
	viewer *policy.Viewer
	op     string
	r      *reads
}

func newLiveAudit(log *audit.Log, trace *slog.Logger) *liveAudit {
	return &liveAudit{log: log, trace: trace, every: 2 * time.Second, pending: map[*graphql.OperationContext]*liveEntry{}}
}

func (l *liveAudit) add(oc *graphql.OperationContext, v *policy.Viewer, r *reads) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.started {
		l.started = true
		go l.run()
	}
	e := l.pending[oc]
	if e == nil {
		e = &liveEntry{viewer: v, op: operationName(oc),
			r: &reads{fields: map[string]bool{}, objects: map[int]bool{}, workers: map[int]bool{}, types: map[string]bool{}}}
		l.pending[oc] = e
	}
	for k := range r.fields {
		e.r.fields[k] = true
	}
	for k := range r.objects {
		e.r.objects[k] = true
	}
	for k := range r.workers {
		e.r.workers[k] = true
	}
	for k := range r.types {
		e.r.types[k] = true
	}
}

func (l *liveAudit) run() {
	t := time.NewTicker(l.every)
	defer t.Stop()
	for range t.C {
		l.flush()
	}
}

// flush appends the gathered deliveries; on failure they are kept for the
// next flush.
func (l *liveAudit) flush() {
	l.mu.Lock()
	batch := l.pending
	l.pending = map[*graphql.OperationContext]*liveEntry{}
	l.mu.Unlock()
	if len(batch) == 0 {
		return
	}
	entries := make([]audit.Pending, 0, len(batch))
	for _, e := range batch {
		entry := audit.Entry{Action: audit.ActionRead, Operation: e.op, FieldPaths: sortedKeys(e.r.fields),
			ObjectIDs: sortedInts(e.r.objects), WorkerIDs: sortedInts(e.r.workers),
			Details: map[string]any{"live": true}}
		if types := sortedKeys(e.r.types); len(types) > 0 {
			entry.ObjectType = types[0]
		}
		entries = append(entries, audit.Pending{Viewer: e.viewer, Entry: entry})
	}
	if err := l.log.AppendBatch(context.Background(), entries); err != nil {
		l.trace.Error("audit of live deliveries failed: kept for the next flush", "entries", len(entries), "err", err)
		l.mu.Lock()
		for oc, e := range batch {
			if cur := l.pending[oc]; cur != nil {
				for k := range e.r.objects {
					cur.r.objects[k] = true
				}
			} else {
				l.pending[oc] = e
			}
		}
		l.mu.Unlock()
	}
}
