package seed

import (
	"context"
	"fmt"
	"time"

	"github.com/siseri/siseri/backend/auth"
	"github.com/siseri/siseri/backend/ingest"
	"github.com/siseri/siseri/backend/registry"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/employment"
	"github.com/siseri/siseri/ent/worker"
	"github.com/siseri/siseri/policy"
)

// Demo accounts the ticker acts for and as.
const (
	demoLabAccount     = "labo@demo.siseri.fr"
	demoAdviserAccount = "pcr@demo.siseri.fr"
)

// tickRows is how many results each demo batch holds; every abnormalEvery-th
// batch, the first one included, has one abnormal result.
const (
	tickRows      = 5
	abnormalEvery = 3
)

// Ticker is the living demo's laboratory (serve --demo, SISERI_DEMO_TICK):
// each Tick, the demo laboratory sends a batch of new results for workers of
// the demo adviser's establishments, through the importer and as the labo@
// account, like any laboratory; now and then one result is abnormal, so that
// an adviser watching the dashboard sees a live alert arrive.
type Ticker struct {
	DB       *store.DB
	Importer *registry.Importer
	Auth     *auth.Service
	// Now is the instant of a batch (zero: time.Now).
	Now func() time.Time
	// sent counts the batches sent; next is where the next batch starts in
	// the adviser's workers.
	sent, next int
}

// Tick sends one batch and returns its report.
func (t *Ticker) Tick(ctx context.Context) (*ingest.Report, error) {
	now := time.Now()
	if t.Now != nil {
		now = t.Now()
	}
	now = now.UTC()
	sys := policy.SystemContext(ctx)
	adviser, err := t.Auth.ViewerOf(sys, demoAdviserAccount, policy.RoleRPA)
	if err != nil {
		return nil, err
	}
	var ests []int
	for _, g := range adviser.Scope() {
		if g.EstablishmentID != 0 {
			ests = append(ests, g.EstablishmentID)
		}
	}
	emps, err := t.DB.Client.Employment.Query().Where(employment.EstablishmentIDIn(ests...), employment.StartDateLTE(now),
		employment.Or(employment.EndDateIsNil(), employment.EndDateGT(now)), employment.HasWorkerWith(worker.NirNotNil())).
		WithWorker().WithEstablishment().Order(ent.Asc(employment.FieldID)).All(sys)
	if err != nil {
		return nil, fmt.Errorf("demo tick: employments: %w", err)
	}
	if len(emps) == 0 {
		return nil, fmt.Errorf("demo tick: no current employee in the establishments of %s", demoAdviserAccount)
	}
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
	abnormal := t.sent%abnormalEvery == 0
	rows := make([][]string, 0, tickRows)
	for k := range min(tickRows, len(emps)) {
		e := emps[(t.next+k)%len(emps)]
		w := e.Edges.Worker
		usv := int64(50 * ((t.next + k) % 4))
		if abnormal && k == 0 {
			usv = 8000 // 8 mSv in a day: far above the worker's usual results
		}
		rows = append(rows, labRow(*w.Nir, w.LastName, w.FirstNames, w.BirthDate, e.Edges.Establishment.Siret,
			fmt.Sprintf("DEMO-%07d", w.ID), day, day, usv))
	}
	lab, err := t.Auth.ViewerOf(sys, demoLabAccount, policy.RoleLaboratory)
	if err != nil {
		return nil, err
	}
	stamp := now.Format("20060102-150405")
	rep, err := t.Importer.Run(policy.NewContext(ctx, lab), t.DB, ingest.Submission{Format: ingest.LabResults,
		Reference: fmt.Sprintf("%s-DEMO-%s", demoLab, stamp), Filename: fmt.Sprintf("%s_demo_%s.csv", demoLab, stamp), Rows: rows})
	if err != nil {
		return nil, err
	}
	t.sent++
	t.next = (t.next + tickRows) % len(emps)
	return rep, nil
}

// Run sends a batch every interval until ctx ends.
func (t *Ticker) Run(ctx context.Context, every time.Duration, log func(rep *ingest.Report, err error)) {
	tk := time.NewTicker(every)
	defer tk.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tk.C:
		}
		rep, err := t.Tick(ctx)
		if ctx.Err() != nil {
			return
		}
		log(rep, err)
	}
}
