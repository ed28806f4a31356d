package graph

import (
	"context"
	"fmt"
	"time"

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
