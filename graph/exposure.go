package graph

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/ent/exposuresummary"
	"github.com/siseri/siseri/graph/model"

	"github.com/siseri/siseri/backend/alerts"
	"github.com/siseri/siseri/backend/anomaly"
	"github.com/siseri/siseri/backend/exposure"
	"github.com/siseri/siseri/ent"
)

// doseWritten follows a physician's new dose record in the mutation's
// transaction: detection on it, the worker's standing against the limits,
// then the news, announced only once the transaction commits.
func (r *Resolver) doseWritten(ctx context.Context, client *ent.Client, rec *ent.DoseRecord) error {
	engine := anomaly.NewEngine()
	engine.Postgres = r.Broker != nil && r.Broker.Postgres
	if r.Ingest != nil && r.Ingest.Engine != nil {
		engine = r.Ingest.Engine
	}
	res, err := engine.Process(ctx, client, []int{rec.ID})
	if err != nil {
		return fmt.Errorf("detect anomalies: %w", err)
	}
	if _, err := exposure.Recompute(ctx, client, []int{rec.WorkerID}, time.Now()); err != nil {
		return fmt.Errorf("update exposure: %w", err)
	}
	events := []alerts.Event{{Type: alerts.ExposureChanged, ID: rec.WorkerID, WorkerID: rec.WorkerID}}
	for _, a := range res.Created {
		events = append(events, alerts.Event{Type: alerts.AnomalyRaised, ID: a.ID, WorkerID: a.WorkerID})
	}
	return r.Broker.Announce(ctx, client, events...)
}

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
