package graph

import (
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"entgo.io/contrib/entgql"

	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/ent/exposuresummary"
	"github.com/siseri/siseri/ent/worker"
	"github.com/siseri/siseri/graph/model"
	"github.com/siseri/siseri/policy"

	"github.com/siseri/siseri/backend/exposure"
	"github.com/siseri/siseri/ent"
)

// limitStatus is one standing as the API shows it. The value and share are
// set for everyone: the field guard refuses them to roles without
// exposure:value before anything resolves.
func limitStatus(code dosimetry.LimitCode, sum, limit int64, state string, start, end time.Time) *model.LimitStatus {
	value, share := msv(sum), float64(sum)/float64(limit)
	return &model.LimitStatus{LimitCode: exposuresummary.LimitCode(code), Label: exposure.Label(code),
		ValueMsv: &value, LimitMsv: msv(limit), Share: &share, State: model.LimitState(state),
		WindowStart: start, WindowEnd: end}
}

// limitStatuses shows standings computed for a viewer, in limit-code order.
func limitStatuses(ss []exposure.Standing) []*model.LimitStatus {
	out := make([]*model.LimitStatus, len(ss))
	for i, s := range ss {
		out[i] = limitStatus(s.Code, int64(s.Sum), int64(s.Limit), string(s.State), s.WindowStart, s.WindowEnd)
	}
	slices.SortFunc(out, func(a, b *model.LimitStatus) int { return strings.Compare(string(a.LimitCode), string(b.LimitCode)) })
	return out
}

// limitAlerts lists the standings in states of every worker the caller may
// see, exceeded first, then by share (for callers who may read the values),
// then by worker and limit code. Advisers
// and control agents get standings computed from the results they may read;
// other roles the stored standings their row rules let through (an employer's
// are the exceeded limits of current workers only).
func (r *Resolver) limitAlerts(ctx context.Context, states []model.LimitState) ([]*model.LimitAlert, error) {
	want := map[string]bool{}
	for _, s := range states {
		want[string(s)] = true
	}
	client := r.Client
	if tx := ent.FromContext(ctx); tx != nil {
		client = tx
	}
	var out []*model.LimitAlert
	share := map[*model.LimitAlert]float64{}
	if v := policy.FromContext(ctx); v.Acts(policy.RoleRPA) || v.Acts(policy.RoleControlAgent) {
		ids, err := client.Worker.Query().IDs(ctx)
		if err != nil {
			return nil, err
		}
		for i := 0; i < len(ids); i += 1000 {
			part := ids[i:min(i+1000, len(ids))]
			all, err := exposure.ForViewer(ctx, client, part, time.Now())
			if err != nil {
				return nil, err
			}
			alerting := map[int][]exposure.Standing{}
			for _, id := range part {
				for _, s := range all[id] {
					if want[string(s.State)] {
						alerting[id] = append(alerting[id], s)
					}
				}
			}
			if len(alerting) == 0 {
				continue
			}
			// The workers with an alert, in one read.
			ws, err := client.Worker.Query().Where(worker.IDIn(slices.Collect(maps.Keys(alerting))...)).All(ctx)
			if err != nil {
				return nil, err
			}
			for _, w := range ws {
				for _, s := range alerting[w.ID] {
					a := limitAlert(w, s.Code, int64(s.Sum), int64(s.Limit), string(s.State), s.WindowStart, s.WindowEnd)
					share[a] = float64(s.Sum) / float64(s.Limit)
					out = append(out, a)
				}
			}
		}
	} else {
		var statuses []exposuresummary.Status
		for s := range want {
			statuses = append(statuses, exposuresummary.Status(s))
		}
		rows, err := client.ExposureSummary.Query().Where(exposuresummary.StatusIn(statuses...)).WithWorker().All(ctx)
		if err != nil {
			return nil, err
		}
		for _, s := range rows {
			if s.Edges.Worker == nil {
				continue // a worker out of the caller's scope
			}
			a := limitAlert(s.Edges.Worker, dosimetry.LimitCode(s.LimitCode), s.SumUsv, s.LimitUsv, string(s.Status), s.WindowStart, s.WindowEnd)
			share[a] = float64(s.SumUsv) / float64(s.LimitUsv)
			out = append(out, a)
		}
	}
	// A caller who may not read the values must not learn their order either
	// (REGULATION-CASES RC11: an employer's list of exceedances ranks no one).
	v := policy.FromContext(ctx)
	byShare := v != nil && policy.MustDefault().Can(v.Role, v.Profile, "LimitAlert.valueMsv")
	slices.SortFunc(out, func(a, b *model.LimitAlert) int {
		if (a.State == model.LimitStateExceeded) != (b.State == model.LimitStateExceeded) {
			if a.State == model.LimitStateExceeded {
				return -1
			}
			return 1
		}
		if byShare && share[a] != share[b] {
			if share[a] > share[b] {
				return -1
			}
			return 1
		}
		if a.Worker.ID != b.Worker.ID {
			return a.Worker.ID - b.Worker.ID
		}
		return strings.Compare(string(a.LimitCode), string(b.LimitCode))
	})
	return out, nil
}

func limitAlert(w *ent.Worker, code dosimetry.LimitCode, sum, limit int64, state string, start, end time.Time) *model.LimitAlert {
	value := msv(sum)
	return &model.LimitAlert{Worker: w, LimitCode: exposuresummary.LimitCode(code), Label: exposure.Label(code),
		State: model.LimitState(state), ValueMsv: &value, LimitMsv: msv(limit), WindowStart: start, WindowEnd: end}
}

// pageAlerts cuts a page of first alerts after the cursor (an offset).
func pageAlerts(all []*model.LimitAlert, first int, after *entgql.Cursor[int]) *model.LimitAlertList {
	from := 0
	if after != nil {
		from = min(max(after.ID+1, 0), len(all))
	}
	to := min(from+first, len(all))
	conn := &model.LimitAlertList{TotalCount: len(all), Edges: []*model.LimitAlertEdge{},
		PageInfo: &entgql.PageInfo[int]{HasNextPage: to < len(all), HasPreviousPage: from > 0}}
	for i := from; i < to; i++ {
		conn.Edges = append(conn.Edges, &model.LimitAlertEdge{Cursor: cursorOf(i), Node: all[i]})
	}
	if len(conn.Edges) > 0 {
		conn.PageInfo.StartCursor = &conn.Edges[0].Cursor
		conn.PageInfo.EndCursor = &conn.Edges[len(conn.Edges)-1].Cursor
	}
	return conn
}
