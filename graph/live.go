package graph

import (
	"context"
	"strconv"

	"github.com/siseri/siseri/backend/alerts"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/anomaly"
	"github.com/siseri/siseri/graph/model"
	"github.com/siseri/siseri/policy"
)

// replayPage is how many anomalies a replay reads at a time.
const replayPage = 500

// viewerNow returns ctx and whether its viewer is still there. A socket's
// context carries its live viewer (auth.Watch, policy.NewLiveContext): every
// row and field of an event resolves under the viewer of the moment (a grant
// revoked during an open socket is gone from it); it is false once the
// session has ended.
func viewerNow(ctx context.Context) (context.Context, bool) {
	return ctx, !policy.Ended(ctx) && policy.FromContext(ctx) != nil
}

// scopedAnomalies returns the anomalies query of the subscriber, filtered.
func (r *Resolver) scopedAnomalies(where *ent.AnomalyWhereInput) (*ent.AnomalyQuery, error) {
	// A worker finding that a laboratory batch finding explains is not
	// delivered one by one: it is read with the batch finding; notices of
	// dose constraints are not anomalies.
	q := listedAnomalies(r.Client.Anomaly.Query(), where)
	if where != nil {
		return where.Filter(q)
	}
	return q, nil
}

// subscriber is what keys the shared delivery reads of one subscription:
// its filter, fixed for its life, and the scope of its viewer, recomputed
// only when the live viewer changes (a grant revoked or added).
type subscriber struct {
	where  *ent.AnomalyWhereInput
	filter string
	viewer *policy.Viewer
	scope  string
}

func newSubscriber(where *ent.AnomalyWhereInput) *subscriber {
	return &subscriber{where: where, filter: filterKey(where)}
}

// key returns the delivery key of anomaly id for the viewer of vctx.
func (s *subscriber) key(vctx context.Context, id int) string {
	if v := policy.FromContext(vctx); v != s.viewer {
		s.viewer, s.scope = v, scopeKey(v)
	}
	return "anomaly|" + strconv.Itoa(id) + "|" + s.scope + "|" + s.filter
}

// deliverable re-reads anomaly id under the subscriber's scope and filter,
// sharing the read with the subscribers that have the same scope and filter.
func (r *Resolver) deliverable(vctx context.Context, id int, s *subscriber) (*ent.Anomaly, error) {
	v, err := r.deliveries.load(vctx, s.key(vctx, id), func(ctx context.Context) (any, error) {
		q, err := r.scopedAnomalies(s.where)
		if err != nil {
			return nil, err
		}
		return q.Where(anomaly.ID(id)).Only(ctx)
	})
	if err != nil {
		return nil, err
	}
	return v.(*ent.Anomaly), nil
}

// streamAnomalies subscribes first, replays the subscriber's anomalies after
// the cursor from the database, then delivers live ones in commit order
// (anomaly ids are assigned in commit order, see anomaly.Store), each re-read
// under the subscriber's scope at delivery time.
func (r *Resolver) streamAnomalies(ctx context.Context, after int, where *ent.AnomalyWhereInput) (<-chan *model.AnomalyEvent, error) {
	if _, err := r.scopedAnomalies(where); err != nil {
		return nil, err
	}
	sub := r.Hub.Subscribe(alerts.AnomalyRaised)
	keys := newSubscriber(where)
	out := make(chan *model.AnomalyEvent, 16)
	send := func(a *ent.Anomaly) bool {
		select {
		case out <- &model.AnomalyEvent{Cursor: cursorOf(a.ID), Anomaly: a}:
			return true
		case <-ctx.Done():
			return false
		}
	}
	go func() {
		defer close(out)
		defer r.Hub.Unsubscribe(sub)
		last := after
		for {
			vctx, ok := viewerNow(ctx)
			if !ok {
				return
			}
			q, _ := r.scopedAnomalies(where)
			page, err := q.Where(anomaly.IDGT(last)).Order(ent.Asc(anomaly.FieldID)).Limit(replayPage).All(vctx)
			if err != nil {
				r.Log.ErrorContext(ctx, "replay anomalies", "err", err)
				return
			}
			for _, a := range page {
				if !send(a) {
					return
				}
				last = a.ID
			}
			if len(page) < replayPage {
				break
			}
		}
		for {
			select {
			case <-ctx.Done():
				return
			case e, ok := <-sub.C:
				if !ok {
					if reason := sub.Reason(); reason != "" {
						r.Log.WarnContext(ctx, "subscription ended", "reason", reason)
					}
					return
				}
				if e.ID <= last {
					continue
				}
				vctx, ok := viewerNow(ctx)
				if !ok {
					return
				}
				a, err := r.deliverable(vctx, e.ID, keys)
				last = e.ID
				if err != nil {
					continue // out of the subscriber's scope or filter
				}
				if !send(a) {
					return
				}
			}
		}
	}()
	return out, nil
}

// streamUpdates delivers lifecycle changes of the subscriber's anomalies.
func (r *Resolver) streamUpdates(ctx context.Context, where *ent.AnomalyWhereInput) (<-chan *ent.Anomaly, error) {
	if _, err := r.scopedAnomalies(where); err != nil {
		return nil, err
	}
	sub := r.Hub.Subscribe(alerts.AnomalyUpdated)
	keys := newSubscriber(where)
	out := make(chan *ent.Anomaly, 16)
	go func() {
		defer close(out)
		defer r.Hub.Unsubscribe(sub)
		for {
			select {
			case <-ctx.Done():
				return
			case e, ok := <-sub.C:
				if !ok {
					return
				}
				vctx, ok := viewerNow(ctx)
				if !ok {
					return
				}
				a, err := r.deliverable(vctx, e.ID, keys)
				if err != nil {
					continue
				}
				select {
				case out <- a:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out, nil
}

// streamExposure delivers a worker each time their doses or exposure change,
// while the subscriber may see them.
func (r *Resolver) streamExposure(ctx context.Context, workerID int) (<-chan *ent.Worker, error) {
	if _, err := r.Client.Worker.Get(ctx, workerID); err != nil {
		return nil, err
	}
	sub := r.Hub.Subscribe(alerts.ExposureChanged)
	out := make(chan *ent.Worker, 4)
	go func() {
		defer close(out)
		defer r.Hub.Unsubscribe(sub)
		for {
			select {
			case <-ctx.Done():
				return
			case e, ok := <-sub.C:
				if !ok {
					return
				}
				if e.ID != workerID {
					continue
				}
				vctx, ok := viewerNow(ctx)
				if !ok {
					return
				}
				w, err := r.Client.Worker.Get(vctx, workerID)
				if err != nil {
					continue
				}
				select {
				case out <- w:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out, nil
}
