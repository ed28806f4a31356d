package anomaly

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/backend/exposure"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/anomaly"
	"github.com/siseri/siseri/ent/doserecord"
	"github.com/siseri/siseri/ent/employment"
	"github.com/siseri/siseri/ent/nomenclature"
	"github.com/siseri/siseri/ent/operationaldose"
	"github.com/siseri/siseri/ent/predicate"
	"github.com/siseri/siseri/ent/worker"
	"github.com/siseri/siseri/policy"
)

// Engine runs detection on newly written dose records, inside the transaction
// that writes them, seeing only what was stored before.
type Engine struct {
	Config Config
	// Now is the evaluation instant (tests and replays set it).
	Now func() time.Time
	// Postgres makes Store take the lock that orders anomaly ids by commit.
	Postgres bool
	// Stats, when set, collects the records for the context statistics
	// instead of writing them at each Process; the caller flushes it (an
	// import, once per batch).
	Stats *StatsBuffer
	// History marks a history import (a migration of past records): the
	// context statistics learn from the records, but only the regulatory
	// findings still open on the day of the import are raised; no
	// timeliness, validity or statistical finding is raised on the past.
	History bool
}

// NewEngine returns an engine with the default thresholds.
func NewEngine() *Engine { return &Engine{Config: DefaultConfig(), Now: time.Now} }

// Result is what one detection run stored.
type Result struct {
	// Created are the anomalies raised by this run (new fingerprints).
	Created []*ent.Anomaly
	// Findings counts all findings, including those already stored.
	Findings int
}

// Process detects anomalies on the dose records recordIDs (just written in
// the transaction of client), stores the new findings and updates the
// context statistics with the records. Findings already stored (same
// fingerprint) are not raised again; an open regulatory episode is updated.
func (e *Engine) Process(ctx context.Context, client *ent.Client, recordIDs []int) (Result, error) {
	ctx = policy.SystemContext(ctx)
	if len(recordIDs) == 0 {
		return Result{}, nil
	}
	recs, err := loadRecords(ctx, client, doserecord.IDIn(recordIDs...))
	if err != nil {
		return Result{}, err
	}
	return e.Judge(ctx, client, recs)
}

// Judge is Process on dose records held in memory, written already in the
// transaction of client with their ids: the writer hands over what it wrote
// instead of detection reading it back.
func (e *Engine) Judge(ctx context.Context, client *ent.Client, recs []*ent.DoseRecord) (Result, error) {
	ctx = policy.SystemContext(ctx)
	var res Result
	if len(recs) == 0 {
		return res, nil
	}
	nomen, err := loadNomenclature(ctx, client)
	if err != nil {
		return res, err
	}
	batch := make([]Dose, len(recs))
	workers := map[int]bool{}
	lo, hi := recs[0].PeriodStart, recs[0].PeriodEnd
	for i, r := range recs {
		batch[i] = toDose(r, nomen)
		workers[r.WorkerID] = true
		if r.PeriodStart.Before(lo) {
			lo = r.PeriodStart
		}
		if r.PeriodEnd.After(hi) {
			hi = r.PeriodEnd
		}
	}
	// Up to today, not only to the batch's last period: a late or corrected
	// result of an old month changes the windows of the months after it.
	if now := e.Now(); now.After(hi) {
		hi = now
	}
	histories, err := e.histories(ctx, client, keys(workers), lo.AddDate(-2, 0, 0), hi, nomen)
	if err != nil {
		return res, err
	}
	refs, err := e.references(ctx, client, batch, nomen)
	if err != nil {
		return res, err
	}
	infos, since, err := e.workers(ctx, client, keys(workers))
	if err != nil {
		return res, err
	}
	var findings []Finding
	if !e.History {
		findings = e.recordFindings(batch, histories, refs)
		missing := e.missingOnArrival(batch, histories, since)
		findings = append(findings, missing...)
		ops, err := e.discrepancies(ctx, client, batch)
		if err != nil {
			return res, err
		}
		findings = append(findings, ops...)
	}
	constraints, err := LoadConstraints(ctx, client, batch)
	if err != nil {
		return res, err
	}
	reg := e.regulatory(batch, histories, infos, constraints)
	findings = append(findings, reg...)
	if err := e.withdrawn(ctx, client, batch, reg); err != nil {
		return res, err
	}
	if e.Stats != nil {
		if err := e.Stats.Add(batch); err != nil {
			return res, err
		}
	} else if err := AddToStats(ctx, client, batch); err != nil {
		return res, err
	}
	res.Findings = len(findings)
	res.Created, err = Store(ctx, client, findings, e.Postgres)
	return res, err
}

type predicateDose = predicate.DoseRecord

func keys(m map[int]bool) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// nomenclatureInfo maps sector codes to their domain and labels.
type nomenclatureInfo struct {
	domainOf map[string]string
	label    map[string]string
}

func loadNomenclature(ctx context.Context, client *ent.Client) (nomenclatureInfo, error) {
	rows, err := client.Nomenclature.Query().All(ctx)
	if err != nil {
		return nomenclatureInfo{}, fmt.Errorf("load nomenclature: %w", err)
	}
	n := nomenclatureInfo{domainOf: map[string]string{}, label: map[string]string{}}
	for _, r := range rows {
		n.label[string(r.Kind)+":"+r.Code] = r.Label
		if r.Kind == nomenclature.KindSector {
			n.domainOf[r.Code] = r.ParentCode
		}
	}
	return n, nil
}

func loadRecords(ctx context.Context, client *ent.Client, where ...predicateDose) ([]*ent.DoseRecord, error) {
	recs, err := client.DoseRecord.Query().Where(where...).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load dose records: %w", err)
	}
	return recs, nil
}

func toDose(r *ent.DoseRecord, n nomenclatureInfo) Dose {
	d := Dose{
		ID: r.ID, WorkerID: r.WorkerID, EstablishmentID: r.EstablishmentID, Quantity: string(r.Quantity),
		Dosimeter: r.DosimeterSerial, LaboratoryID: r.LaboratoryID, Start: r.PeriodStart, End: r.PeriodEnd,
		USv: r.ValueUsv, Zero: r.Status == doserecord.StatusBelowThreshold || r.ValueUsv == 0,
		Absent: r.Status == doserecord.StatusAbsent, Received: r.ReceivedAt,
	}
	if r.ReceivedOn != nil {
		d.Received = *r.ReceivedOn
	}
	d.Context = Context{Kind: string(r.MonitoringKind), Months: periodMonths(r.PeriodStart, r.PeriodEnd)}
	if r.MonitoringKind == doserecord.MonitoringKindPassiveWholeBody && r.Quantity == doserecord.QuantityHp007 {
		// The shallow dose a whole-body badge reports beside its Hp(10) is a
		// skin dose: it is compared with skin doses, counts toward the skin
		// limit (dosimetry.CountsToward) and is checked against the badge's
		// Hp(10) for contamination; it never mixes with whole-body Hp(10).
		d.Context.Kind = string(doserecord.MonitoringKindSkin)
	}
	if r.SectorCode != nil {
		d.Context.Sector = *r.SectorCode
		d.Context.Domain = n.domainOf[*r.SectorCode]
	}
	if r.JobCode != nil {
		d.Context.Job = *r.JobCode
	}
	return d
}

// periodMonths is the wearing period length in whole months (1 to 3 for
// passive dosimetry), rounded to the nearest month.
func periodMonths(start, end time.Time) int {
	days := end.Sub(start).Hours()/24 + 1
	return max(1, int(days/30.44+0.5))
}

// histories loads the current dose records of workers whose period ends in
// [from, to], by worker: the columns a Dose holds, histChunk workers a
// statement.
func (e *Engine) histories(ctx context.Context, client *ent.Client, workers []int, from, to time.Time, n nomenclatureInfo) (map[int][]Dose, error) {
	if e.Postgres {
		return historiesSQL(ctx, client, workers, from, to, n)
	}
	out := make(map[int][]Dose, len(workers))
	for i := 0; i < len(workers); i += histChunk {
		recs, err := client.DoseRecord.Query().Where(doserecord.WorkerIDIn(workers[i:min(i+histChunk, len(workers))]...),
			doserecord.Current(true), doserecord.PeriodEndGTE(from), doserecord.PeriodEndLTE(to)).
			Select(doseColumns...).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("load dose records: %w", err)
		}
		for _, r := range recs {
			out[r.WorkerID] = append(out[r.WorkerID], toDose(r, n))
		}
	}
	return out, nil
}

// historiesSQL is histories on PostgreSQL: one statement walks the
// worker's index once per worker (a LATERAL join on the worker ids), so that
// it reads the touched workers' rows whatever the planner believes of the
// table's size, never the whole table; each worker's rows in id order.
func historiesSQL(ctx context.Context, client *ent.Client, workers []int, from, to time.Time, n nomenclatureInfo) (out map[int][]Dose, err error) {
	out = make(map[int][]Dose, len(workers))
	if len(workers) == 0 {
		return out, nil
	}
	ids := make([]string, len(workers))
	for i, w := range workers {
		ids[i] = strconv.Itoa(w)
	}
	// No JIT compilation: on a table whose statistics lag (a registry
	// filling up) the estimated cost passes its threshold, and compiling
	// takes ten times longer than the read.
	jit, err := setConfig(ctx, client, "jit", "off")
	if err != nil {
		return nil, err
	}
	defer func() {
		if _, rerr := setConfig(ctx, client, "jit", jit); rerr != nil && err == nil {
			out, err = nil, rerr
		}
	}()
	rows, err := client.QueryContext(ctx, `SELECT r.id, r.worker_id, r.establishment_id, r.laboratory_id, r.monitoring_kind,
		r.dosimeter_serial, r.quantity, r.period_start, r.period_end, r.value_usv, r.status, r.received_at, r.received_on,
		r.sector_code, r.job_code
	FROM unnest($1::bigint[]) AS w(id) CROSS JOIN LATERAL (
		SELECT * FROM dose_records d WHERE d.worker_id = w.id AND d.current AND d.period_end >= $2 AND d.period_end <= $3
		ORDER BY d.id) r`,
		"{"+strings.Join(ids, ",")+"}", from, to)
	if err != nil {
		return nil, fmt.Errorf("load dose records: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r ent.DoseRecord
		var lab sql.NullInt64
		var dosimeter, sector, job sql.NullString
		var receivedOn sql.NullTime
		if err := rows.Scan(&r.ID, &r.WorkerID, &r.EstablishmentID, &lab, &r.MonitoringKind, &dosimeter, &r.Quantity,
			&r.PeriodStart, &r.PeriodEnd, &r.ValueUsv, &r.Status, &r.ReceivedAt, &receivedOn, &sector, &job); err != nil {
			return nil, fmt.Errorf("load dose records: %w", err)
		}
		r.LaboratoryID, r.DosimeterSerial = int(lab.Int64), dosimeter.String
		if receivedOn.Valid {
			r.ReceivedOn = &receivedOn.Time
		}
		if sector.Valid {
			r.SectorCode = &sector.String
		}
		if job.Valid {
			r.JobCode = &job.String
		}
		out[r.WorkerID] = append(out[r.WorkerID], toDose(&r, n))
	}
	return out, rows.Err()
}

// setConfig sets a PostgreSQL setting until the end of the transaction
// and returns its previous value.
func setConfig(ctx context.Context, client *ent.Client, name, value string) (string, error) {
	rows, err := client.QueryContext(ctx, "SELECT current_setting($1), set_config($1, $2, true)", name, value)
	if err != nil {
		return "", fmt.Errorf("set %s: %w", name, err)
	}
	defer rows.Close()
	var prev, set string
	if rows.Next() {
		if err := rows.Scan(&prev, &set); err != nil {
			return "", fmt.Errorf("set %s: %w", name, err)
		}
	}
	return prev, rows.Err()
}

// histChunk is how many workers one history read covers: an import's chunk
// of results in one statement, below SQLite's 32,766 and PostgreSQL's
// 65,535 bound parameters.
const histChunk = 10000

// doseColumns are the columns toDose reads (the id comes with them).
var doseColumns = []string{doserecord.FieldWorkerID, doserecord.FieldEstablishmentID, doserecord.FieldLaboratoryID,
	doserecord.FieldMonitoringKind, doserecord.FieldDosimeterSerial, doserecord.FieldQuantity, doserecord.FieldPeriodStart,
	doserecord.FieldPeriodEnd, doserecord.FieldValueUsv, doserecord.FieldStatus, doserecord.FieldReceivedAt,
	doserecord.FieldReceivedOn, doserecord.FieldSectorCode, doserecord.FieldJobCode}

// references chooses each batch dose's context reference from the 24 months
// of statistics ending with its month, as stored before this batch.
func (e *Engine) references(ctx context.Context, client *ent.Client, batch []Dose, n nomenclatureInfo) (map[int]*Reference, error) {
	byMonth := map[time.Time][]Dose{}
	for _, d := range batch {
		if !d.Absent {
			byMonth[monthStart(d.End)] = append(byMonth[monthStart(d.End)], d)
		}
	}
	out := map[int]*Reference{}
	for m, ds := range byMonth {
		set := map[string]bool{}
		for _, d := range ds {
			for l := LevelJob; l <= LevelKind; l++ {
				if k, ok := d.Context.Key(l); ok {
					set[k] = true
				}
			}
		}
		list := make([]string, 0, len(set))
		for k := range set {
			list = append(list, k)
		}
		var sums map[string]*Summary
		var err error
		if e.Stats != nil {
			// The stored statistics do not change before the buffer is
			// flushed: the chunks of one import read them once.
			sums, err = e.Stats.summaries(ctx, client, list, m)
		} else {
			sums, err = Summaries(ctx, client, list, m.AddDate(0, -(Window-1), 0), m)
		}
		if err != nil {
			return nil, err
		}
		// Doses of one context share their reference (read-only once made).
		chosen := map[[4]string]*Reference{}
		for _, d := range ds {
			var levels [4]*Summary
			var keys [4]string
			for l := LevelJob; l <= LevelKind; l++ {
				if k, ok := d.Context.Key(l); ok && sums[k] != nil {
					levels[l] = sums[k]
					keys[l] = k
				}
			}
			ref, done := chosen[keys]
			if !done {
				for l := LevelJob; l <= LevelKind; l++ {
					if levels[l] != nil {
						levels[l].Label = n.contextLabel(d.Context, l)
					}
				}
				ref = e.Config.Choose(levels)
				chosen[keys] = ref
			}
			if ref != nil {
				out[d.ID] = ref
			}
		}
	}
	return out, nil
}

// contextLabel names a context for explanations: « du métier Cardiologue
// interventionnel (Radiologie interventionnelle), corps entier ».
func (n nomenclatureInfo) contextLabel(c Context, l Level) string {
	kind := kindLabel(c.Kind)
	switch l {
	case LevelJob:
		return fmt.Sprintf("du métier %s (%s), %s", n.name("JOB", c.Job), n.name("SECTOR", c.Sector), kind)
	case LevelSector:
		return fmt.Sprintf("du secteur %s, %s", n.name("SECTOR", c.Sector), kind)
	case LevelDomain:
		return fmt.Sprintf("du domaine %s, %s", n.name("DOMAIN", c.Domain), kind)
	}
	return "de l'ensemble des travailleurs suivis (" + kind + ")"
}

func (n nomenclatureInfo) name(kind, code string) string {
	if l := n.label[kind+":"+code]; l != "" {
		return l
	}
	return code
}

// recordFindings runs the per-record layers and the whole-body contamination
// check on the batch.
func (e *Engine) recordFindings(batch []Dose, histories map[int][]Dose, refs map[int]*Reference) []Finding {
	var out []Finding
	type badge struct {
		dosimeter  string
		start, end time.Time
	}
	// The shallow dose Hp(0.07) of a whole-body badge (a skin dose, see
	// toDose) against the badge's deep dose Hp(10).
	deep := func(d Dose) bool { return d.Context.Kind == "PASSIVE_WHOLE_BODY" && d.Quantity == "HP10" }
	shallow := func(d Dose) bool { return d.Context.Kind == "SKIN" && d.Quantity == "HP007" && d.Dosimeter != "" }
	hp10 := map[badge]Dose{}
	peers := NewPeers(histories, e.Config.MinPeers)
	for _, d := range batch {
		out = append(out, e.Config.checkDose(d, refs[d.ID], histories[d.WorkerID], peers)...)
		if deep(d) && d.Dosimeter != "" {
			hp10[badge{d.Dosimeter, d.Start, d.End}] = d
		}
	}
	// A swapped pair explains a jump: its finding replaces the plain one
	// (same kind and record, so the same fingerprint).
	if pairs := e.Config.swappedPairs(batch, histories); len(pairs) > 0 {
		paired := map[string]bool{}
		for _, f := range pairs {
			paired[f.Fingerprint()] = true
		}
		out = slices.DeleteFunc(out, func(f Finding) bool { return paired[f.Fingerprint()] })
		out = append(out, pairs...)
	}
	for _, d := range batch {
		if shallow(d) {
			for _, h := range histories[d.WorkerID] {
				if deep(h) && h.Dosimeter == d.Dosimeter && h.Start.Equal(d.Start) && h.End.Equal(d.End) {
					hp10[badge{d.Dosimeter, d.Start, d.End}] = h
				}
			}
			if deep, ok := hp10[badge{d.Dosimeter, d.Start, d.End}]; ok {
				if f, ok := e.Config.CheckContamination(deep, d); ok {
					out = append(out, f)
				}
			}
		}
	}
	return out
}

// discrepancies compares passive whole-body results with the operational
// dosimetry of the same worker over the same period.
func (e *Engine) discrepancies(ctx context.Context, client *ent.Client, batch []Dose) ([]Finding, error) {
	var passive []Dose
	workers := map[int]bool{}
	var lo, hi time.Time
	for _, d := range batch {
		if d.Context.Kind != "PASSIVE_WHOLE_BODY" || d.Absent {
			continue
		}
		passive = append(passive, d)
		workers[d.WorkerID] = true
		if lo.IsZero() || d.Start.Before(lo) {
			lo = d.Start
		}
		if d.End.After(hi) {
			hi = d.End
		}
	}
	if len(passive) == 0 {
		return nil, nil
	}
	ops, err := client.OperationalDose.Query().Where(operationaldose.WorkerIDIn(keys(workers)...),
		operationaldose.Current(true), operationaldose.StartAtGTE(lo), operationaldose.EndAtLT(hi.AddDate(0, 0, 1))).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("load operational doses: %w", err)
	}
	byWorker := map[int][]*ent.OperationalDose{}
	for _, o := range ops {
		byWorker[o.WorkerID] = append(byWorker[o.WorkerID], o)
	}
	var out []Finding
	for _, d := range passive {
		var sum int64
		n := 0
		for _, o := range byWorker[d.WorkerID] {
			if !o.StartAt.Before(d.Start) && o.EndAt.Before(d.End.AddDate(0, 0, 1)) {
				sum += o.ValueUsv
				n++
			}
		}
		if f, ok := e.Config.CheckDiscrepancy(d, sum, n); ok {
			out = append(out, f)
		}
	}
	return out, nil
}

// regulatory runs the limits layer for every worker of the batch, and
// compares each record with its dose constraint (notices, apart).
func (e *Engine) regulatory(batch []Dose, histories map[int][]Dose, infos map[int]Worker, cs Constraints) []Finding {
	changed, ids := changedMonths(batch)
	asOf := e.Now()
	var out []Finding
	for _, id := range ids {
		w := infos[id]
		out = append(out, e.Config.CheckLimits(w, histories[id], changed[id], asOf, e.History)...)
	}
	for _, d := range batch {
		if f, ok := e.Config.CheckConstraint(infos[d.WorkerID], d, cs); ok {
			out = append(out, f)
		}
	}
	return out
}

// changedMonths returns, by worker, the months the batch's doses fall in
// (absences of result change no sum), and those workers in order.
func changedMonths(batch []Dose) (map[int][]dosimetry.Month, []int) {
	changed := map[int][]dosimetry.Month{}
	for _, d := range batch {
		if !d.Absent {
			changed[d.WorkerID] = append(changed[d.WorkerID], dosimetry.MonthOf(d.End))
		}
	}
	return changed, slices.Sorted(maps.Keys(changed))
}

// workers loads what detection needs of workers, in one read of the
// workers and one of their employments: the person (as exposure.LoadPeople,
// shared with the standings), the establishment of the latest employment,
// the classification of every employment, and the start of the latest
// employment (since).
func (e *Engine) workers(ctx context.Context, client *ent.Client, ids []int) (map[int]Worker, map[int]time.Time, error) {
	out := map[int]Worker{}
	since := map[int]time.Time{}
	for i := 0; i < len(ids); i += histChunk {
		part := ids[i:min(i+histChunk, len(ids))]
		ws, err := client.Worker.Query().Where(worker.IDIn(part...)).Select(worker.FieldID, worker.FieldBirthDate).All(ctx)
		if err != nil {
			return nil, nil, fmt.Errorf("load workers: %w", err)
		}
		people := make(map[int]dosimetry.Person, len(ws))
		for _, w := range ws {
			people[w.ID] = dosimetry.Person{Birth: w.BirthDate}
		}
		emps, err := client.Employment.Query().Where(employment.WorkerIDIn(part...)).
			Order(ent.Asc(employment.FieldStartDate)).
			Select(employment.FieldWorkerID, employment.FieldEstablishmentID, employment.FieldClassification,
				employment.FieldStartDate, employment.FieldEndDate, employment.FieldPregnancyDeclaredOn,
				employment.FieldPregnancyEndedOn).All(ctx)
		if err != nil {
			return nil, nil, fmt.Errorf("load employments: %w", err)
		}
		for _, em := range emps {
			if p, ok := people[em.WorkerID]; ok && em.PregnancyDeclaredOn != nil {
				people[em.WorkerID] = exposure.AddPregnancy(p, *em.PregnancyDeclaredOn, em.PregnancyEndedOn)
			}
		}
		for id, p := range people {
			out[id] = Worker{ID: id, Person: p}
		}
		for _, em := range emps {
			w := out[em.WorkerID]
			// The latest employment wins (ordered by start date).
			w.EstablishmentID = em.EstablishmentID
			c := Classification{Class: string(em.Classification), Start: em.StartDate}
			if em.EndDate != nil {
				c.End = *em.EndDate
			}
			w.Classes = append(w.Classes, c)
			out[em.WorkerID] = w
			if em.StartDate.After(since[em.WorkerID]) {
				since[em.WorkerID] = em.StartDate
			}
		}
	}
	return out, since, nil
}

// anomalyLock is the PostgreSQL advisory lock taken before anomalies are
// inserted and held until commit, so that anomaly ids are assigned in commit
// order: a subscriber resuming after cursor N then misses nothing committed
// later with a smaller id.
const anomalyLock = 0x5151_A0A1

// Store writes the findings whose fingerprint is new, linked to their dose
// records, and refreshes open findings of the same episode (a limit episode
// that grew). It returns the anomalies created. postgres makes it take the
// ordering lock (SQLite serialises write transactions already).
func Store(ctx context.Context, client *ent.Client, findings []Finding, postgres bool) ([]*ent.Anomaly, error) {
	ctx = policy.SystemContext(ctx)
	if len(findings) == 0 {
		return nil, nil
	}
	if postgres {
		if _, err := client.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", anomalyLock); err != nil {
			return nil, fmt.Errorf("lock anomalies: %w", err)
		}
	}
	byPrint := map[string]Finding{}
	var prints []string
	for _, f := range findings {
		fp := f.Fingerprint()
		if _, dup := byPrint[fp]; !dup {
			prints = append(prints, fp)
		}
		byPrint[fp] = f
	}
	existing := map[string]*ent.Anomaly{}
	for i := 0; i < len(prints); i += 1000 {
		rows, err := client.Anomaly.Query().Where(anomaly.FingerprintIn(prints[i:min(i+1000, len(prints))]...)).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("load anomalies: %w", err)
		}
		for _, a := range rows {
			existing[a.Fingerprint] = a
		}
	}
	if err := matchEpisodes(ctx, client, byPrint, &prints, existing); err != nil {
		return nil, err
	}
	var created []*ent.Anomaly
	for _, fp := range prints {
		f := byPrint[fp]
		if a := existing[fp]; a != nil {
			if err := refresh(ctx, client, a, f); err != nil {
				return nil, err
			}
			continue
		}
		ref := f.Reference
		explanation := f.Explanation
		if f.episode() {
			ref = maps.Clone(ref)
			if ref == nil {
				ref = map[string]any{}
			}
			ref["firstExplanation"] = f.Explanation
			ref["history"] = []any{historyEntry(f)}
			if f.Latest != "" {
				explanation += " " + f.Latest
			}
		}
		c := client.Anomaly.Create().SetWorkerID(f.WorkerID).SetLayer(anomaly.Layer(f.Layer)).SetKind(string(f.Kind)).
			SetSeverity(anomaly.Severity(f.Severity)).SetScore(f.Score).SetExplanation(explanation).
			SetReference(ref).SetFingerprint(fp).AddDoseRecordIDs(f.RecordIDs...)
		if f.EstablishmentID != 0 {
			c.SetEstablishmentID(f.EstablishmentID)
		}
		if !f.PeriodStart.IsZero() {
			c.SetPeriodStart(f.PeriodStart).SetPeriodEnd(f.PeriodEnd)
		}
		a, err := c.Save(ctx)
		if err != nil {
			return nil, fmt.Errorf("store anomaly: %w", err)
		}
		created = append(created, a)
	}
	return created, nil
}
