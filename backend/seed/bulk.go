package seed

import (
	"context"
	"database/sql"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/siseri/siseri/backend/anomaly"
	"github.com/siseri/siseri/backend/dosimetry"
	expo "github.com/siseri/siseri/backend/exposure"
	"github.com/siseri/siseri/backend/registry"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/backend/synth"
	"github.com/siseri/siseri/ent/nomenclature"
	"github.com/siseri/siseri/policy"
)

// BulkOptions size a national-scale database (Bulk).
type BulkOptions struct {
	// Workers is the whole population, the demo part included.
	Workers int
	// Months is the length of the history, 24 to 120.
	Months int
	Seed   int64
	// Progress receives a line every few seconds and the final figures
	// (nil: nothing is printed).
	Progress io.Writer
}

// BulkResult counts what Bulk wrote.
type BulkResult struct {
	Workers, DemoWorkers, Establishments, Employments int
	// DoseRecords counts every version; Superseded the versions a later one
	// replaced. Operational counts operational dosimetry results.
	DoseRecords, Superseded, Operational int64
	Summaries, Statistics                int
	Duration, DemoDuration               time.Duration
	DatabaseBytes                        int64
}

// Records is the number of dose records and operational results.
func (r BulkResult) Records() int64 { return r.DoseRecords + r.Operational }

// RecordsPerSecond is the loading rate over the whole run.
func (r BulkResult) RecordsPerSecond() float64 {
	return float64(r.Records()) / r.Duration.Seconds()
}

// bulkVersionShare is the share of laboratory results that arrive twice: a
// first value, then a corrected re-send that supersedes it.
const bulkVersionShare = 0.004

// BulkDemoWorkers is the size of the demo part of a bulk population of n
// workers: a tenth, from 50 to 2,000.
func BulkDemoWorkers(n int) int { return max(50, min(2000, n/10)) }

// Bulk fills an empty PostgreSQL database with a national-scale population
// for benchmarks: the demo data (accounts, planted cases, a tenth of the
// workers up to 2,000, written by IfEmpty), then a calibrated synthetic
// population (backend/synth) over the same months, streamed with COPY into
// the real tables. Secondary indexes and foreign keys of the two dose tables
// are dropped and recreated around the load, in the loading transaction, so
// that the schema ends (or, on failure, stays) exactly what the migration
// made. Exposure summaries and context statistics are computed in memory
// while the rows stream, with the same functions as the write path
// (exposure.Standings, anomaly.StatsBuffer), and written at the end.
func Bulk(ctx context.Context, db *store.DB, o BulkOptions) (BulkResult, error) {
	began := time.Now()
	var res BulkResult
	if !db.IsPostgres() {
		return res, errors.New("seed: the bulk load needs PostgreSQL")
	}
	if o.Months == 0 {
		o.Months = 36
	}
	demo := DefaultOptions()
	demo.Workers, demo.Months, demo.Seed = BulkDemoWorkers(o.Workers), o.Months, o.Seed
	if o.Workers < demo.Workers+1 {
		return res, fmt.Errorf("seed: the bulk load needs more than %d workers, got %d", demo.Workers, o.Workers)
	}
	win, err := demo.window()
	if err != nil {
		return res, err
	}
	p := progress{w: o.Progress, began: began, mu: &sync.Mutex{}}
	p.printf("Données de démonstration : %d travailleurs sur %d mois…", demo.Workers, win.months)
	n, err := IfEmpty(ctx, db.Client, demo, nil)
	if err != nil {
		return res, err
	}
	if n == 0 {
		return res, errors.New("seed: the database is not empty")
	}
	res.DemoWorkers, res.DemoDuration = n, time.Since(began)
	p.printf("Données de démonstration écrites en %s.", res.DemoDuration.Round(time.Second))

	l, err := newLoader(ctx, db, o, win, &p)
	if err != nil {
		return res, err
	}
	defer l.close()
	sum, err := synth.GenerateRows(synth.Options{Workers: o.Workers - demo.Workers, Months: win.months,
		Seed: uint64(o.Seed), Start: win.start}, l)
	if err == nil {
		err = l.finish()
	}
	if err != nil {
		return res, fmt.Errorf("seed: bulk load: %w", err)
	}
	_ = sum
	res.Workers = n + l.workers
	res.Establishments, res.Employments = l.ests, l.emps_
	res.DoseRecords, res.Superseded, res.Operational = l.doseRows.Load(), l.superseded, l.opRows.Load()
	res.Summaries, res.Statistics = l.summaries, l.statistics
	res.DoseRecords += int64(l.demoRecords)
	if err := db.SQL.QueryRowContext(ctx, "SELECT pg_database_size(current_database())").Scan(&res.DatabaseBytes); err != nil {
		return res, err
	}
	res.Duration = time.Since(began)
	return res, nil
}

// progress prints timed lines.
type progress struct {
	w     io.Writer
	began time.Time
	mu    *sync.Mutex
}

func (p *progress) printf(format string, args ...any) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	fmt.Fprintf(p.w, "[%6.1f s] %s\n", time.Since(p.began).Seconds(), fmt.Sprintf(format, args...))
}

// passive is one current, non-absent result kept for the standings.
type passive struct {
	kind, quantity uint8
	start, end     int32 // days since 1970-01-01
	usv            int64
}

// bulkEmployment is what a result needs of the employment covering it.
type bulkEmployment struct {
	est         int
	start       time.Time
	end         *time.Time
	sector, job string
}

// copyStream is one COPY running in its own transaction on its own
// connection: rows arrive in batches on ch.
type copyStream struct {
	table   string
	columns []string
	ch      chan [][]any
	done    chan error
	conn    *sql.Conn
}

// loader receives the synthetic rows (synth.RowSink) and streams them.
type loader struct {
	ctx    context.Context
	cancel context.CancelFunc
	closed bool // the streams' channels
	db     *store.DB
	o      BulkOptions
	win    window
	asOf   time.Time
	now    time.Time
	rng    *rand.Rand
	p      *progress

	domainOf     map[string]string
	labID        map[string]int
	knownNIR     map[string]bool
	knownSIRET   map[string]bool
	estID        []int // by synth index; 0 when skipped
	estRows      [][]any
	workerID     []int // by synth index; 0 when skipped
	birth        []time.Time
	emps         [][]bulkEmployment
	workerRows   [][]any
	empRows      [][]any
	ests, emps_  int
	workers      int
	demoRecords  int
	nextDose     int
	nextOp       int
	nextWorker   int
	nextEmp      int
	nextEst      int
	superseded   int64
	doseRows     atomic.Int64
	opRows       atomic.Int64
	passives     [][]passive
	stats        *anomaly.StatsBuffer
	statDoses    []anomaly.Dose
	doseBatch    [][]any
	opBatch      [][]any
	dose, op     *copyStream
	started      bool
	summaries    int
	statistics   int
	stopTicker   chan struct{}
	tickerDone   chan struct{}
	kinds        []string
	kindIndex    map[string]uint8
	quantities   []string
	quantityIdx  map[string]uint8
	referenceEnd time.Time
	// restore recreates what the load dropped; nil once done.
	restore []string
}

func newLoader(ctx context.Context, db *store.DB, o BulkOptions, win window, p *progress) (*loader, error) {
	sys := policy.SystemContext(ctx)
	ctx, cancel := context.WithCancel(ctx)
	l := &loader{ctx: ctx, cancel: cancel, db: db, o: o, win: win, asOf: win.end.AddDate(0, 0, -1), now: time.Now().UTC(),
		rng: rand.New(rand.NewPCG(uint64(o.Seed), 0xb01c)), p: p,
		domainOf: map[string]string{}, labID: map[string]int{}, knownNIR: map[string]bool{}, knownSIRET: map[string]bool{},
		stats: anomaly.NewStatsBuffer(), kindIndex: map[string]uint8{}, quantityIdx: map[string]uint8{},
		referenceEnd: win.end.AddDate(0, 1, -1).Add(18 * time.Hour)}
	nomen, err := db.Client.Nomenclature.Query().Where(nomenclature.KindEQ(nomenclature.KindSector)).All(sys)
	if err != nil {
		return nil, err
	}
	for _, n := range nomen {
		l.domainOf[n.Code] = n.ParentCode
	}
	labs, err := db.Client.Laboratory.Query().All(sys)
	if err != nil {
		return nil, err
	}
	for _, lab := range labs {
		l.labID[lab.Code] = lab.ID
	}
	for _, lab := range synth.Laboratories() {
		if _, ok := l.labID[lab[0]]; ok {
			continue
		}
		c, err := setDemoAccreditation(db.Client.Laboratory.Create().SetCode(lab[0]).SetName(lab[1]), win).Save(sys)
		if err != nil {
			return nil, fmt.Errorf("create laboratory %s: %w", lab[0], err)
		}
		l.labID[lab[0]] = c.ID
	}
	ws, err := db.Client.Worker.Query().All(sys)
	if err != nil {
		return nil, err
	}
	for _, w := range ws {
		if w.Nir != nil {
			l.knownNIR[*w.Nir] = true
		}
	}
	es, err := db.Client.Establishment.Query().All(sys)
	if err != nil {
		return nil, err
	}
	for _, e := range es {
		l.knownSIRET[e.Siret] = true
	}
	if l.demoRecords, err = db.Client.DoseRecord.Query().Count(sys); err != nil {
		return nil, err
	}
	for _, seq := range []struct {
		table string
		next  *int
	}{{"dose_records", &l.nextDose}, {"operational_doses", &l.nextOp}, {"workers", &l.nextWorker},
		{"employments", &l.nextEmp}, {"establishments", &l.nextEst}} {
		if err := db.SQL.QueryRowContext(ctx, "SELECT nextval(pg_get_serial_sequence($1, 'id'))", seq.table).Scan(seq.next); err != nil {
			return nil, fmt.Errorf("draw %s ids: %w", seq.table, err)
		}
	}
	return l, nil
}

// Establishment implements synth.RowSink.
func (l *loader) Establishment(e synth.Establishment) error {
	if len(l.estID) <= e.Index {
		l.estID = append(l.estID, make([]int, e.Index+1-len(l.estID))...)
	}
	if l.knownSIRET[e.SIRET] {
		return nil // the demo holds that SIRET: its workers are left out
	}
	id := l.nextEst
	l.nextEst++
	l.estID[e.Index] = id
	l.estRows = append(l.estRows, []any{id, l.now, l.now, e.SIRET, e.Name, nullable(regionCodes[e.Region])})
	l.ests++
	return nil
}

// regionCodes are the INSEE codes of the regions synth names.
var regionCodes = map[string]string{
	"Auvergne-Rhône-Alpes": "84", "Bourgogne-Franche-Comté": "27", "Bretagne": "53", "Centre-Val de Loire": "24",
	"Corse": "94", "Grand Est": "44", "Hauts-de-France": "32", "Île-de-France": "11", "Normandie": "28",
	"Nouvelle-Aquitaine": "75", "Occitanie": "76", "Pays de la Loire": "52", "Provence-Alpes-Côte d'Azur": "93",
}

var contractTypes = map[string]string{"CDI": "CDI", "CDD": "CDD", "INTERIM": "TEMPORARY"}

// Worker implements synth.RowSink.
func (l *loader) Worker(w synth.Worker) error {
	for len(l.workerID) <= w.Index {
		l.workerID = append(l.workerID, 0)
		l.birth = append(l.birth, time.Time{})
		l.emps = append(l.emps, nil)
		l.passives = append(l.passives, nil)
	}
	if l.knownNIR[w.NIR] {
		return nil
	}
	for _, e := range w.Employments {
		if l.estID[e.Establishment] == 0 {
			return nil
		}
	}
	id := l.nextWorker
	l.nextWorker++
	l.workerID[w.Index], l.birth[w.Index] = id, w.Birth
	rng := rand.New(rand.NewPCG(uint64(l.o.Seed), uint64(w.Index)<<8|0x5e))
	var b [10]byte
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	pseudonym := "P" + base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b[:])
	l.workerRows = append(l.workerRows, []any{id, l.now, l.now, "NIR", w.NIR, w.LastName, w.FirstName, w.Birth, string(w.Sex), pseudonym})
	l.workers++
	for _, e := range w.Employments {
		kinds := make([]string, len(e.Kinds))
		for i, k := range e.Kinds {
			kinds[i] = string(k)
		}
		raw, err := json.Marshal(kinds)
		if err != nil {
			return err
		}
		var end any
		if e.End != nil {
			end = *e.End
		}
		l.empRows = append(l.empRows, []any{l.nextEmp, l.now, l.now, e.Start, end, contractTypes[e.Contract], 100,
			NomenclatureVersion, nullable(e.Sector), nullable(e.Job), string(e.Category), string(raw), l.estID[e.Establishment], id})
		l.nextEmp++
		l.emps_++
		l.emps[w.Index] = append(l.emps[w.Index], bulkEmployment{est: e.Establishment, start: e.Start, end: e.End, sector: e.Sector, job: e.Job})
	}
	return nil
}

// LabResult implements synth.RowSink.
func (l *loader) LabResult(r synth.LabResult) error {
	if err := l.start(); err != nil {
		return err
	}
	wid, eid := l.workerID[r.Worker], l.estID[r.Establishment]
	if wid == 0 || eid == 0 {
		return nil
	}
	var sector, job string
	for _, e := range l.emps[r.Worker] {
		if e.est == r.Establishment && !e.start.After(r.End) && (e.end == nil || !e.end.Before(r.Start)) {
			sector, job = e.sector, e.job
		}
	}
	received := r.End.AddDate(0, 0, 8+l.rng.IntN(18)).Add(time.Duration(6+l.rng.IntN(12)) * time.Hour)
	if strings.Contains(r.Comment, "retard") {
		received = received.AddDate(0, 1+l.rng.IntN(2), 0)
	}
	if received.After(l.referenceEnd) {
		received = l.referenceEnd
	}
	version, supersedes := 1, 0
	if l.rng.Float64() < bulkVersionShare && r.Status != "ABSENT" {
		// A first value, superseded by the laboratory's corrected re-send.
		first := received.Add(-time.Duration(1+l.rng.IntN(72)) * time.Hour)
		old := r.USv*3/2 + 100
		l.addDose(r, l.nextDose, 1, old, "MEASURED", received, 0, sector, job, first)
		supersedes, version = l.nextDose, 2
		l.nextDose++
		l.superseded++
	}
	l.addDose(r, l.nextDose, version, r.USv, r.Status, time.Time{}, supersedes, sector, job, received)
	l.nextDose++
	if r.Status == "ABSENT" {
		return nil
	}
	kind, quantity := string(r.Kind), r.Quantity
	l.passives[r.Worker] = append(l.passives[r.Worker], passive{kind: l.index(&l.kinds, l.kindIndex, kind),
		quantity: l.index(&l.quantities, l.quantityIdx, quantity), start: days(r.Start), end: days(r.End), usv: r.USv})
	d := anomaly.Dose{WorkerID: wid, EstablishmentID: eid, Quantity: quantity, Dosimeter: r.Serial, LaboratoryID: l.labID[r.Laboratory],
		Start: r.Start, End: r.End, USv: r.USv, Zero: r.Status == "BELOW_THRESHOLD" || r.USv == 0,
		Context: anomaly.Context{Kind: kind, Months: periodMonths(r.Start, r.End), Sector: sector, Job: job, Domain: l.domainOf[sector]}}
	if kind == string(dosimetry.KindWholeBody) && quantity == "HP007" {
		d.Context.Kind = string(dosimetry.KindSkin) // as anomaly.toDose does
	}
	l.statDoses = append(l.statDoses, d)
	if len(l.statDoses) == 4096 {
		if err := l.stats.Add(l.statDoses); err != nil {
			return err
		}
		l.statDoses = l.statDoses[:0]
	}
	return nil
}

// periodMonths is the wearing period in whole months, as detection counts it.
func periodMonths(start, end time.Time) int {
	d := end.Sub(start).Hours()/24 + 1
	return max(1, int(d/30.44+0.5))
}

func days(t time.Time) int32 { return int32(t.Unix() / 86400) }

func fromDays(d int32) time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

func (l *loader) index(list *[]string, idx map[string]uint8, s string) uint8 {
	i, ok := idx[s]
	if !ok {
		i = uint8(len(*list))
		*list = append(*list, s)
		idx[s] = i
	}
	return i
}

func (l *loader) addDose(r synth.LabResult, id, version int, usv int64, status string, supersededAt time.Time, supersedes int,
	sector, job string, received time.Time) {
	d := dosimetry.Dose{WorkerID: l.workerID[r.Worker], EstablishmentID: l.estID[r.Establishment], LaboratoryID: l.labID[r.Laboratory],
		Source: dosimetry.SourceLaboratory, Dosimeter: r.Serial, Kind: dosimetry.MonitoringKind(r.Kind),
		Quantity: dosimetry.Quantity(r.Quantity), Start: r.Start, End: r.End, Value: dosimetry.Microsievert(usv),
		Status: dosimetry.DoseStatus(status), Radionuclide: r.Radionuclide, Comment: r.Comment,
		SectorCode: sector, JobCode: job, Version: version, Supersedes: supersedes}
	l.doseBatch = append(l.doseBatch, registry.LoadRow(&d, id, received, supersededAt))
	if len(l.doseBatch) >= 2048 {
		l.dose.ch <- l.doseBatch
		l.doseBatch = make([][]any, 0, 2048)
	}
}

// Operational implements synth.RowSink.
func (l *loader) Operational(r synth.OperationalResult) error {
	if err := l.start(); err != nil {
		return err
	}
	wid, eid := l.workerID[r.Worker], l.estID[r.Establishment]
	if wid == 0 || eid == 0 {
		return nil
	}
	received := r.End.Add(time.Duration(6+l.rng.IntN(48)) * time.Hour)
	if received.After(l.referenceEnd) {
		received = l.referenceEnd
	}
	l.opBatch = append(l.opBatch, registry.LoadOperationalRow(&registry.OperationalDose{WorkerID: wid, EstablishmentID: eid,
		Dosimeter: r.Serial, Start: r.Start, End: r.End, Value: dosimetry.Microsievert(r.USv), Version: 1}, l.nextOp, received))
	l.nextOp++
	if len(l.opBatch) >= 2048 {
		l.op.ch <- l.opBatch
		l.opBatch = make([][]any, 0, 2048)
	}
	return nil
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// withPgx runs f on a pgx connection of the pool, in one transaction that
// is committed when f succeeds.
func withPgx(ctx context.Context, db *sql.DB, f func(pgx.Tx) error) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return errors.New("not a pgx connection")
		}
		tx, err := sc.Conn().Begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback(ctx) //nolint:errcheck // after Commit it is a no-op
		if _, err := tx.Exec(ctx, "SET LOCAL synchronous_commit = off"); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "SET LOCAL maintenance_work_mem = '512MB'"); err != nil {
			return err
		}
		if err := f(tx); err != nil {
			return err
		}
		return tx.Commit(ctx)
	})
}

// start writes the establishments, workers and employments (committed, so
// that the dose tables' foreign keys find them), then opens the two COPY
// streams of the dose tables.
func (l *loader) start() error {
	if l.started {
		return nil
	}
	l.started = true
	err := withPgx(l.ctx, l.db.SQL, func(tx pgx.Tx) error {
		for _, t := range []struct {
			table   string
			columns []string
			rows    [][]any
		}{
			{"establishments", []string{"id", "created_at", "updated_at", "siret", "name", "region"}, l.estRows},
			{"workers", []string{"id", "created_at", "updated_at", "identifier_kind", "nir", "last_name", "first_names", "birth_date", "sex", "pseudonym"}, l.workerRows},
			{"employments", []string{"id", "created_at", "updated_at", "start_date", "end_date", "contract_type", "work_fraction",
				"nomenclature_version", "sector_code", "job_code", "classification", "monitoring_kinds", "establishment_id", "worker_id"}, l.empRows},
		} {
			if _, err := tx.CopyFrom(l.ctx, pgx.Identifier{t.table}, t.columns, pgx.CopyFromRows(t.rows)); err != nil {
				return fmt.Errorf("copy %s: %w", t.table, err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	l.p.printf("Population synthétique : %d établissements, %d travailleurs, %d emplois écrits.", l.ests, l.workers, l.emps_)
	l.estRows, l.workerRows, l.empRows = nil, nil, nil
	err = withPgx(l.ctx, l.db.SQL, func(tx pgx.Tx) error {
		for _, t := range bulkTables {
			restore, err := dropSecondary(l.ctx, tx, t)
			if err != nil {
				return err
			}
			l.restore = append(l.restore, restore...)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("drop the dose tables' indexes: %w", err)
	}
	l.dose = l.openStream("dose_records", registry.LoadColumns, &l.doseRows)
	l.op = l.openStream("operational_doses", registry.LoadOperationalColumns, &l.opRows)
	l.doseBatch, l.opBatch = make([][]any, 0, 2048), make([][]any, 0, 2048)
	l.stopTicker, l.tickerDone = make(chan struct{}), make(chan struct{})
	go l.tick()
	return nil
}

func (l *loader) tick() {
	defer close(l.tickerDone)
	t := time.NewTicker(10 * time.Second)
	defer t.Stop()
	began, last, lastAt := time.Now(), int64(0), time.Now()
	for {
		select {
		case <-l.stopTicker:
			return
		case now := <-t.C:
			n := l.doseRows.Load() + l.opRows.Load()
			l.p.printf("%d résultats passifs, %d opérationnels : %.0f lignes/s (%.0f depuis le début)",
				l.doseRows.Load(), l.opRows.Load(), float64(n-last)/now.Sub(lastAt).Seconds(), float64(n)/now.Sub(began).Seconds())
			last, lastAt = n, now
		}
	}
}

// openStream starts the COPY of table in its own transaction.
func (l *loader) openStream(table string, columns []string, count *atomic.Int64) *copyStream {
	s := &copyStream{table: table, columns: columns, ch: make(chan [][]any, 8), done: make(chan error, 1)}
	go func() {
		err := withPgx(l.ctx, l.db.SQL, func(tx pgx.Tx) error {
			src := &chanSource{ch: s.ch, count: count}
			if _, err := tx.CopyFrom(l.ctx, pgx.Identifier{table}, columns, src); err != nil {
				return fmt.Errorf("copy %s: %w", table, err)
			}
			return nil
		})
		for range s.ch { // let the producer finish after a failure
		}
		s.done <- err
	}()
	return s
}

// bulkTables are the tables loaded without their secondary indexes and
// foreign keys.
var bulkTables = []string{"dose_records", "operational_doses"}

// rebuild recreates the indexes and foreign keys dropped before the load:
// the indexes of each table in a transaction of their own, side by side,
// then the foreign keys. Statements whose object exists already (a rebuild
// after a failure that came late) are skipped.
func (l *loader) rebuild(ctx context.Context) error {
	var fks []string
	byTable := map[string][]string{}
	for _, stmt := range l.restore {
		if strings.HasPrefix(stmt, "ALTER TABLE") {
			fks = append(fks, stmt)
			continue
		}
		for _, t := range bulkTables {
			if strings.Contains(stmt, " ON public."+t+" ") || strings.Contains(stmt, " ON "+t+" ") {
				byTable[t] = append(byTable[t], stmt)
			}
		}
	}
	run := func(tx pgx.Tx, stmts []string) error {
		for _, stmt := range stmts {
			if _, err := tx.Exec(ctx, "SAVEPOINT s"); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, stmt); err != nil {
				var pgErr *pgconn.PgError
				if errors.As(err, &pgErr) && (pgErr.Code == "42P07" || pgErr.Code == "42710") {
					if _, err := tx.Exec(ctx, "ROLLBACK TO SAVEPOINT s"); err != nil {
						return err
					}
					continue
				}
				return fmt.Errorf("%s: %w", stmt, err)
			}
		}
		return nil
	}
	errs := make(chan error, len(byTable))
	for _, stmts := range byTable {
		go func() { errs <- withPgx(ctx, l.db.SQL, func(tx pgx.Tx) error { return run(tx, stmts) }) }()
	}
	var all []error
	for range byTable {
		all = append(all, <-errs)
	}
	all = append(all, withPgx(ctx, l.db.SQL, func(tx pgx.Tx) error { return run(tx, fks) }))
	if err := errors.Join(all...); err != nil {
		return err
	}
	l.restore = nil
	return nil
}

// dropSecondary drops the secondary indexes (not the primary key, nor the
// indexes of constraints) and the foreign keys of table, and returns the
// statements that recreate them exactly.
func dropSecondary(ctx context.Context, tx pgx.Tx, table string) (restore []string, err error) {
	var drops []string
	rows, err := tx.Query(ctx, `SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
		WHERE x.indrelid = $1::regclass AND NOT x.indisprimary
		AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid) ORDER BY i.relname`, table)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			return nil, err
		}
		drops = append(drops, "DROP INDEX "+pgx.Identifier{name}.Sanitize())
		restore = append(restore, def)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = tx.Query(ctx, `SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
		WHERE conrelid = $1::regclass AND contype = 'f' ORDER BY conname`, table)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			return nil, err
		}
		t, n := pgx.Identifier{table}.Sanitize(), pgx.Identifier{name}.Sanitize()
		drops = append(drops, "ALTER TABLE "+t+" DROP CONSTRAINT "+n)
		restore = append(restore, "ALTER TABLE "+t+" ADD CONSTRAINT "+n+" "+def)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, d := range drops {
		if _, err := tx.Exec(ctx, d); err != nil {
			return nil, fmt.Errorf("%s: %w", d, err)
		}
	}
	return restore, nil
}

// chanSource is a pgx.CopyFromSource over batches of rows from a channel.
type chanSource struct {
	ch    <-chan [][]any
	batch [][]any
	i     int
	count *atomic.Int64
}

func (s *chanSource) Next() bool {
	s.i++
	for s.i >= len(s.batch) {
		b, ok := <-s.ch
		if !ok {
			return false
		}
		s.count.Add(int64(len(b)))
		s.batch, s.i = b, 0
	}
	return true
}

func (s *chanSource) Values() ([]any, error) { return s.batch[s.i], nil }
func (s *chanSource) Err() error             { return nil }

// finish ends the streams, then writes the derived data: exposure summaries,
// context statistics, sequences, planner statistics.
func (l *loader) finish() error {
	if err := l.start(); err != nil {
		return err
	}
	if len(l.doseBatch) > 0 {
		l.dose.ch <- l.doseBatch
	}
	if len(l.opBatch) > 0 {
		l.op.ch <- l.opBatch
	}
	close(l.dose.ch)
	close(l.op.ch)
	l.closed = true
	l.doseBatch, l.opBatch = nil, nil
	if err := l.stats.Add(l.statDoses); err != nil {
		return err
	}
	l.statDoses = nil
	// The standings are computed while the indexes are rebuilt.
	t0 := time.Now()
	var summaries [][]any
	for i, id := range l.workerID {
		if id == 0 {
			continue
		}
		doses := make([]dosimetry.DatedDose, len(l.passives[i]))
		for j, d := range l.passives[i] {
			doses[j] = dosimetry.DatedDose{Kind: l.kinds[d.kind], Quantity: l.quantities[d.quantity],
				Start: fromDays(d.start), End: fromDays(d.end), Dose: dosimetry.Microsievert(d.usv)}
		}
		l.passives[i] = nil
		for _, s := range expo.Standings(dosimetry.Person{Birth: l.birth[i]}, doses, l.asOf) {
			summaries = append(summaries, []any{l.now, l.now, string(s.Code), s.WindowStart, s.WindowEnd, int64(s.Sum),
				int64(s.Limit), string(s.State), s.Records, id})
		}
	}
	l.p.printf("Situations au regard des limites calculées en %s : %d lignes.", time.Since(t0).Round(time.Millisecond), len(summaries))
	errDose, errOp := <-l.dose.done, <-l.op.done
	close(l.stopTicker)
	<-l.tickerDone
	if err := errors.Join(errDose, errOp); err != nil {
		return err
	}
	l.p.printf("Résultats écrits : %d passifs (dont %d versions remplacées), %d opérationnels.", l.doseRows.Load(), l.superseded, l.opRows.Load())
	t0 = time.Now()
	if err := l.rebuild(l.ctx); err != nil {
		return fmt.Errorf("rebuild the dose tables' indexes: %w", err)
	}
	l.p.printf("Index et clés étrangères des tables de doses recréés en %s.", time.Since(t0).Round(time.Second))
	t0 = time.Now()
	err := withPgx(l.ctx, l.db.SQL, func(tx pgx.Tx) error {
		_, err := tx.CopyFrom(l.ctx, pgx.Identifier{"exposure_summaries"}, []string{"created_at", "updated_at", "limit_code",
			"window_start", "window_end", "sum_usv", "limit_usv", "status", "records", "worker_id"}, pgx.CopyFromRows(summaries))
		return err
	})
	if err != nil {
		return fmt.Errorf("copy exposure summaries: %w", err)
	}
	l.summaries = len(summaries)
	sys := policy.SystemContext(l.ctx)
	tx, err := l.db.Client.Tx(sys)
	if err != nil {
		return err
	}
	if err := l.stats.Flush(sys, tx.Client()); err != nil {
		return errors.Join(err, tx.Rollback())
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if l.statistics, err = l.db.Client.ContextStatistic.Query().Count(sys); err != nil {
		return err
	}
	l.p.printf("Situations et statistiques de contexte écrites en %s (%d cellules).", time.Since(t0).Round(time.Second), l.statistics)
	t0 = time.Now()
	for _, t := range []string{"dose_records", "operational_doses", "workers", "employments", "establishments"} {
		q := fmt.Sprintf("SELECT setval(pg_get_serial_sequence('%[1]s', 'id'), (SELECT max(id) FROM %[1]s))", t)
		if _, err := l.db.SQL.ExecContext(l.ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	for _, t := range []string{"dose_records", "operational_doses", "workers", "employments", "establishments", "exposure_summaries", "context_statistics"} {
		if _, err := l.db.SQL.ExecContext(l.ctx, "VACUUM (ANALYZE) "+t); err != nil {
			return fmt.Errorf("vacuum %s: %w", t, err)
		}
	}
	l.p.printf("VACUUM ANALYZE en %s.", time.Since(t0).Round(time.Second))
	return nil
}

// close ends a failed load: the streams' transactions roll back, and the
// dropped indexes and foreign keys are recreated.
func (l *loader) close() {
	l.cancel()
	if l.dose != nil && !l.closed {
		l.closed = true
		close(l.dose.ch)
		close(l.op.ch)
		<-l.dose.done
		<-l.op.done
		close(l.stopTicker)
		<-l.tickerDone
	}
	if l.restore != nil {
		// A new context: ours is cancelled.
		if err := l.rebuild(context.WithoutCancel(l.ctx)); err != nil {
			l.p.printf("Échec de la restauration des index : %v (siseri migrate les recrée).", err)
		}
	}
}
