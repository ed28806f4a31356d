package seed

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/siseri/siseri/backend/anomaly"
	"github.com/siseri/siseri/backend/auth"
	"github.com/siseri/siseri/backend/ingest"
	"github.com/siseri/siseri/backend/registry"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/doserecord"
	"github.com/siseri/siseri/policy"
)

// replay writes the dose records arrival by arrival, in the order they
// reached the registry, and judges each arrival through a registry.Session
// (the detection every import runs on what it writes) as of its arrival, so
// that the demo's anomalies, exceedances and notices are the detector's own.
// An arrival is a month of receptions; a physician's correction is an
// arrival of its own, which first supersedes the version it corrects. The
// context statistics grow arrival by arrival, with the results still
// current today.
func (p *plan) replay(ctx context.Context, tx *ent.Tx, write func(context.Context, []int) ([]*ent.DoseRecord, error), ids *idMap) error {
	recs := p.gen.records
	order := make([]int, len(recs))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return recs[a].received.Compare(recs[b].received) })
	var clock time.Time
	engine := anomaly.NewEngine()
	engine.Postgres = p.postgres
	engine.Now = func() time.Time { return clock }
	reg := &registry.Registry{Engine: engine, Postgres: p.postgres}
	ctx = ent.NewTxContext(ctx, tx)
	arrive := func(idx []int) error {
		if len(idx) == 0 {
			return nil
		}
		clock = recs[idx[len(idx)-1]].received
		sess, err := reg.Open(ctx, registry.Options{Now: clock})
		if err != nil {
			return err
		}
		var superseded []int
		for _, i := range idx {
			if s := recs[i].supersedes; s >= 0 {
				superseded = append(superseded, ids.records[s])
			}
		}
		if err := sess.Supersede(superseded); err != nil {
			return err
		}
		written, err := write(ctx, idx)
		if err != nil {
			return err
		}
		// A result corrected later is judged as it arrived, but stays out of
		// the context statistics, which count the current results: it is
		// judged in a session of its own that never settles.
		var kept, corrected []*ent.DoseRecord
		for k, r := range written {
			if recs[idx[k]].supersededAt != nil {
				corrected = append(corrected, r)
			} else {
				kept = append(kept, r)
			}
		}
		aside, err := reg.Open(ctx, registry.Options{Now: clock})
		if err != nil {
			return err
		}
		for _, j := range []struct {
			s    *registry.Session
			recs []*ent.DoseRecord
		}{{sess, kept}, {aside, corrected}} {
			if err := j.s.Judge(j.recs); err != nil {
				return err
			}
			p.raised += j.s.Raised
			p.notices += j.s.Notices
		}
		return sess.Settle()
	}
	var group []int
	for _, i := range order {
		r := &recs[i]
		if len(group) > 0 && (r.supersedes >= 0 || !sameMonth(recs[group[0]].received, r.received)) {
			if err := arrive(group); err != nil {
				return err
			}
			group = group[:0]
		}
		group = append(group, i)
	}
	return arrive(group)
}

func sameMonth(a, b time.Time) bool {
	return a.Year() == b.Year() && a.Month() == b.Month()
}

// resentCorrection returns the index of the physician's correction the demo
// laboratory re-sends at the end of the data, opening a correction conflict
// for the demo physician: the first correction of a whole-body result of the
// demo laboratory in an establishment the physician follows, of a worker
// with a NIR, preferably not the travailleur@ worker (whose history other
// demonstrations use); -1 when there is none.
func (p *plan) resentCorrection() int {
	found := -1
	for i := p.originals; i < len(p.gen.records); i++ {
		r := &p.gen.records[i]
		w := p.workers[r.worker]
		if r.kind != doserecord.MonitoringKindPassiveWholeBody || r.lab < 0 || labSpecs[r.lab].code != demoLab ||
			!p.gen.physicianSees(w.emps[r.emp].est) || w.nir == "" {
			continue
		}
		if w.special != demoWorker {
			return i
		}
		if found < 0 {
			found = i
		}
	}
	return found
}

// labRow is a row of laboratory results (ingest.LabResults): a whole-body
// Hp(10) result in µSv.
func labRow(nir, lastName, firstNames string, birth time.Time, siret, serial string, start, end time.Time, usv int64) []string {
	return []string{nir, lastName, firstNames, birth.Format(time.DateOnly), siret, serial, "PASSIF_CORPS_ENTIER", "HP10",
		start.Format(time.DateOnly), end.Format(time.DateOnly), strconv.FormatInt(usv, 10), "µSv", "", "", ""}
}

// resend has the demo laboratory re-send, through the importer and as the
// labo@ account, the original value of a result the physician corrected:
// the re-send waits, pending, for the physician's decision.
func (p *plan) resend(ctx context.Context, tx *ent.Tx) error {
	i := p.resentCorrection()
	if i < 0 {
		return nil
	}
	c := &p.gen.records[i]
	orig := &p.gen.records[c.supersedes]
	at := p.gen.referenceTime()
	ctx = ent.NewTxContext(ctx, tx)
	v, err := auth.NewService(tx.Client()).ViewerOf(policy.SystemContext(ctx), "labo@demo.siseri.fr", policy.RoleLaboratory)
	if err != nil {
		return err
	}
	engine := anomaly.NewEngine()
	engine.Postgres = p.postgres
	engine.Now = func() time.Time { return at }
	imp := &registry.Importer{Registry: &registry.Registry{Engine: engine, Postgres: p.postgres}, Now: func() time.Time { return at },
		Postgres: p.postgres}
	month, w := orig.start.Format("2006-01"), p.workers[orig.worker]
	rep, err := imp.Submit(policy.NewContext(ctx, v), ingest.Submission{Format: ingest.LabResults,
		Reference: fmt.Sprintf("%s-%s-relecture", demoLab, month), Filename: fmt.Sprintf("%s_relecture_%s.csv", demoLab, month),
		Rows: [][]string{labRow(w.nir, w.lastName, w.firstNames, w.birth, p.org.sirets[w.emps[orig.emp].est], orig.serial,
			orig.start, orig.end, orig.value)}})
	if err != nil {
		return err
	}
	if rep.RowsAccepted != 1 {
		return fmt.Errorf("re-send of a corrected result: %d rows accepted, %+v", rep.RowsAccepted, rep.Problems)
	}
	return nil
}
