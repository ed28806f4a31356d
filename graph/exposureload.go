package graph

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/backend/exposure"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/exposuresummary"
	"github.com/siseri/siseri/graph/model"
	"github.com/siseri/siseri/policy"
)

// exposureBatch loads Worker.exposure for a whole page of workers at once:
// the list resolver announces the page (announce), and the first worker whose
// exposure is resolved loads it for every announced worker in one set-based
// read; the others find theirs done. It lives for one query operation, so
// that it never serves standings older than the request.
type exposureBatch struct {
	mu      sync.Mutex
	pending []int
	done    map[int][]*model.LimitStatus
}

type exposureBatchKey struct{}

// withExposureBatch gives each query operation its batch. Mutations and
// subscriptions get none: their workers' standings change while they run.
func withExposureBatch(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
	if oc := graphql.GetOperationContext(ctx); oc.Operation != nil && oc.Operation.Operation == ast.Query {
		ctx = context.WithValue(ctx, exposureBatchKey{}, &exposureBatch{done: map[int][]*model.LimitStatus{}})
	}
	return next(ctx)
}

// announceExposure tells the operation's batch that the workers of a page may
// have their exposure resolved.
func announceExposure(ctx context.Context, ids []int) {
	if b, _ := ctx.Value(exposureBatchKey{}).(*exposureBatch); b != nil {
		b.mu.Lock()
		b.pending = append(b.pending, ids...)
		b.mu.Unlock()
	}
}

// workerExposure returns the standings of worker id as the caller of ctx may
// see them, loading those of every announced worker along with it.
func workerExposure(ctx context.Context, client *ent.Client, id int) ([]*model.LimitStatus, error) {
	b, _ := ctx.Value(exposureBatchKey{}).(*exposureBatch)
	if b == nil {
		all, err := loadExposure(ctx, client, []int{id})
		return all[id], err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if out, ok := b.done[id]; ok {
		return out, nil
	}
	ids := []int{id}
	for _, p := range b.pending {
		if _, ok := b.done[p]; !ok {
			ids = append(ids, p)
		}
	}
	slices.Sort(ids)
	ids = slices.Compact(ids)
	all, err := loadExposure(ctx, client, ids)
	if err != nil {
		return nil, err
	}
	b.pending = b.pending[:0]
	for _, w := range ids {
		b.done[w] = all[w]
	}
	return b.done[id], nil
}

// loadExposure returns the standings of workers ids as the caller of ctx may
// see them. Advisers and control agents get sums of the results they may read,
// and nothing else (REGULATION-CASES RC12, RC14); the other roles, who read
// every result they sum, get the stored standings (an employer only the
// exceeded limits, without values: row rules).
func loadExposure(ctx context.Context, client *ent.Client, ids []int) (map[int][]*model.LimitStatus, error) {
	out := make(map[int][]*model.LimitStatus, len(ids))
	if v := policy.FromContext(ctx); v.Acts(policy.RoleRPA) || v.Acts(policy.RoleControlAgent) {
		all, err := exposure.ForViewer(ctx, client, ids, time.Now())
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			out[id] = limitStatuses(all[id])
		}
		return out, nil
	}
	rows, err := client.ExposureSummary.Query().Where(exposuresummary.WorkerIDIn(ids...)).
		Order(ent.Asc(exposuresummary.FieldWorkerID), ent.Asc(exposuresummary.FieldLimitCode)).All(ctx)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		out[id] = []*model.LimitStatus{}
	}
	for _, s := range rows {
		out[s.WorkerID] = append(out[s.WorkerID],
			limitStatus(dosimetry.LimitCode(s.LimitCode), s.SumUsv, s.LimitUsv, string(s.Status), s.WindowStart, s.WindowEnd))
	}
	return out, nil
}

// workerIDs returns the ids of a page of workers.
func workerIDs(conn *ent.WorkerConnection) []int {
	ids := make([]int, 0, len(conn.Edges))
	for _, e := range conn.Edges {
		ids = append(ids, e.Node.ID)
	}
	return ids
}
