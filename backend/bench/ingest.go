package bench

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/siseri/siseri/backend/alerts"
	"github.com/siseri/siseri/backend/dosimetry"
	"github.com/siseri/siseri/backend/ingest"
	"github.com/siseri/siseri/backend/registry"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/policy"
)

// IngestOptions configure the ingest benchmark.
type IngestOptions struct {
	Records int
	// DatabaseURL is a PostgreSQL URL; the benchmark works in a database of
	// its own created next to it, and drops it at the end.
	DatabaseURL string
	// Self is the siseri binary, run as a child process for each import so
	// that its peak memory is the import's alone.
	Self string
	// Keep leaves the benchmark database in place.
	Keep bool
}

// IngestResult is what `siseri bench ingest --json` prints.
type IngestResult struct {
	Records          int     `json:"records"`
	PipelineRowsPerS float64 `json:"pipeline_rows_per_s"`
	CopyRowsPerS     float64 `json:"copy_rows_per_s"`
	Ratio            float64 `json:"ratio"`
	PeakRSSBytes     uint64  `json:"peak_rss_bytes"`
	// The same pipeline without detection, and what detection costs.
	NoDetectionRowsPerS   float64 `json:"pipeline_no_detection_rows_per_s"`
	NoDetectionPeakRSS    uint64  `json:"no_detection_peak_rss_bytes"`
	DetectionCost         float64 `json:"detection_cost"`
	AnomaliesRaised       int     `json:"anomalies_raised"`
	Workers               int     `json:"workers"`
	PipelineSeconds       float64 `json:"pipeline_seconds"`
	NoDetectionSeconds    float64 `json:"no_detection_seconds"`
	CopySeconds           float64 `json:"copy_seconds"`
	PipelineDetectionNote string  `json:"note"`
	// IndexedCopyRowsPerS is a raw COPY of the same rows into the dose table
	// itself, with its indexes and foreign keys (rolled back), and
	// IndexedRatio the pipeline's rate against it: the goal (≥ 0.5).
	IndexedCopyRowsPerS float64 `json:"indexed_copy_rows_per_s"`
	IndexedCopySeconds  float64 `json:"indexed_copy_seconds"`
	IndexedRatio        float64 `json:"indexed_ratio"`
	// DetectionShare is the share of the detection run's time spent judging
	// (detection and the context statistics), from its own phase timings.
	DetectionShare float64 `json:"detection_share"`
	// Phases are the detection run's phase timings in seconds.
	Phases map[string]float64 `json:"phases"`
}

// runResult is what a child import reports.
type runResult struct {
	Rows      int     `json:"rows"`
	Seconds   float64 `json:"seconds"`
	PeakRSS   uint64  `json:"peak_rss_bytes"`
	Anomalies int     `json:"anomalies"`
	Status    string  `json:"status"`
	// Phases are the import's phase timings in seconds.
	Phases map[string]float64 `json:"phases"`
}

const benchSIRET = "73282932000074"

// Ingest measures rows per second through the whole import path (parse,
// validate, persist with COPY, detection, exposure) against a raw COPY of the
// same rows into a bare copy of the dose table, in the same run.
func Ingest(ctx context.Context, o IngestOptions, progress io.Writer) (IngestResult, error) {
	res := IngestResult{Records: o.Records}
	if !store.IsPostgresURL(o.DatabaseURL) {
		return res, fmt.Errorf("SISERI_DATABASE_URL (ou --database-url) doit désigner une base PostgreSQL (postgres://…)")
	}
	dbURL, drop, err := store.CreateDatabase(ctx, o.DatabaseURL, "siseri_bench_")
	if err != nil {
		return res, err
	}
	if !o.Keep {
		defer drop()
	}
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		return res, err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return res, err
	}
	res.Workers = max(1, (o.Records+len(benchKinds)-1)/len(benchKinds))
	fmt.Fprintf(progress, "préparation : %d travailleurs…\n", res.Workers)
	ids, err := ingestFixture(ctx, db, res.Workers)
	if err != nil {
		return res, err
	}
	dir, err := os.MkdirTemp("", "siseri-bench-ingest")
	if err != nil {
		return res, err
	}
	defer os.RemoveAll(dir)
	fileOff, fileOn := filepath.Join(dir, "off.csv"), filepath.Join(dir, "on.csv")
	// A monthly laboratory batch: every worker's results of one month, sent
	// a few days after it (no result is late). The run without detection
	// imports the month before.
	if err := writeLabFile(fileOff, o.Records, benchMonth.AddDate(0, -1, 0), "A"); err != nil {
		return res, err
	}
	if err := writeLabFile(fileOn, o.Records, benchMonth, "B"); err != nil {
		return res, err
	}
	if _, err := db.SQL.ExecContext(ctx, "ANALYZE"); err != nil {
		return res, err
	}

	fmt.Fprintf(progress, "import sans détection de %d lignes…\n", o.Records)
	off, err := childImport(ctx, o.Self, dbURL, fileOff, "bench-off", false)
	if err != nil {
		return res, err
	}
	// A registry's tables have current statistics (autovacuum analyses a
	// table after a tenth of it changed): without this, the second import is
	// planned on the statistics of an empty dose table.
	if _, err := db.SQL.ExecContext(ctx, "ANALYZE"); err != nil {
		return res, err
	}
	fmt.Fprintf(progress, "import avec détection de %d lignes…\n", o.Records)
	on, err := childImport(ctx, o.Self, dbURL, fileOn, "bench-on", true)
	if err != nil {
		return res, err
	}
	fmt.Fprintf(progress, "COPY brut de %d lignes…\n", o.Records)
	copySecs, err := rawCopy(ctx, db, ids, o.Records, false)
	if err != nil {
		return res, err
	}
	fmt.Fprintf(progress, "COPY brut de %d lignes dans la table des doses (index et clés étrangères)…\n", o.Records)
	indexedSecs, err := rawCopy(ctx, db, ids, o.Records, true)
	if err != nil {
		return res, err
	}
	res.IndexedCopySeconds = indexedSecs
	res.IndexedCopyRowsPerS = float64(o.Records) / indexedSecs
	res.IndexedRatio = float64(on.Rows) / on.Seconds / res.IndexedCopyRowsPerS
	res.Phases = on.Phases
	res.DetectionShare = (on.Phases["detect"] + on.Phases["statistics"]) / on.Seconds
	res.PipelineSeconds, res.NoDetectionSeconds, res.CopySeconds = on.Seconds, off.Seconds, copySecs
	res.PipelineRowsPerS = float64(on.Rows) / on.Seconds
	res.NoDetectionRowsPerS = float64(off.Rows) / off.Seconds
	res.CopyRowsPerS = float64(o.Records) / copySecs
	res.Ratio = res.PipelineRowsPerS / res.CopyRowsPerS
	res.PeakRSSBytes = on.PeakRSS
	res.NoDetectionPeakRSS = off.PeakRSS
	res.DetectionCost = on.Seconds/off.Seconds - 1
	res.AnomaliesRaised = on.Anomalies
	res.PipelineDetectionNote = "monthly batches: the run without detection imports " + benchMonth.AddDate(0, -1, 0).Format("2006-01") +
		", the run with detection " + benchMonth.Format("2006-01") + " for the same workers, both as of " + benchNow.Format("2006-01-02")
	return res, nil
}

// benchNIR is a valid NIR for worker i.
func benchNIR(i int) string {
	first := fmt.Sprintf("1800175%03d%03d", 100+i/999, 1+i%999)
	key, _ := dosimetry.NIRKey(first) // 13 digits by construction
	return fmt.Sprintf("%s%02d", first, key)
}

// ingestFixture creates the nomenclature, an establishment, a laboratory with
// its account, and the workers with their employments; it returns worker ids
// by index.
func ingestFixture(ctx context.Context, db *store.DB, workers int) ([]int, error) {
	ctx = policy.SystemContext(ctx)
	c := db.Client
	from := time.Date(2015, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := c.Nomenclature.Create().SetKind("DOMAIN").SetVersion("V1").SetCode("MED").SetLabel("Médical").SetValidFrom(from).Exec(ctx); err != nil {
		return nil, err
	}
	sectors := []string{"RI", "RD", "MN"}
	jobs := []string{"CARDIO", "MANIP", "INFIRM"}
	for i := range sectors {
		if err := c.Nomenclature.Create().SetKind("SECTOR").SetVersion("V1").SetCode(sectors[i]).SetLabel("Secteur " + sectors[i]).SetParentCode("MED").SetValidFrom(from).Exec(ctx); err != nil {
			return nil, err
		}
		if err := c.Nomenclature.Create().SetKind("JOB").SetVersion("V1").SetCode(jobs[i]).SetLabel("Métier " + jobs[i]).SetValidFrom(from).Exec(ctx); err != nil {
			return nil, err
		}
	}
	est, err := c.Establishment.Create().SetSiret(benchSIRET).SetName("Établissement du banc d'essai").Save(ctx)
	if err != nil {
		return nil, err
	}
	lab, err := c.Laboratory.Create().SetCode("BENCH").SetName("Laboratoire du banc d'essai").Save(ctx)
	if err != nil {
		return nil, err
	}
	acc, err := c.Account.Create().SetEmail("labo@bench.siseri.fr").SetDisplayName("Laboratoire").SetPasswordHash("-").Save(ctx)
	if err != nil {
		return nil, err
	}
	if err := c.Grant.Create().SetAccountID(acc.ID).SetRole(policy.RoleLaboratory).SetLaboratoryID(lab.ID).SetValidFrom(from).Exec(ctx); err != nil {
		return nil, err
	}
	ids := make([]int, 0, workers)
	for i := 0; i < workers; i += 1000 {
		n := min(1000, workers-i)
		ws := make([]*ent.WorkerCreate, n)
		for j := range n {
			k := i + j
			ws[j] = c.Worker.Create().SetNir(benchNIR(k)).SetLastName(fmt.Sprintf("Travailleur%d", k)).SetFirstNames("Camille").
				SetBirthDate(time.Date(1980, 1, 15, 0, 0, 0, 0, time.UTC)).SetSex("M")
		}
		created, err := c.Worker.CreateBulk(ws...).Save(ctx)
		if err != nil {
			return nil, err
		}
		es := make([]*ent.EmploymentCreate, n)
		for j, w := range created {
			ids = append(ids, w.ID)
			k := (i + j) % len(sectors)
			es[j] = c.Employment.Create().SetWorkerID(w.ID).SetEstablishmentID(est.ID).SetStartDate(from).SetContractType("CDI").
				SetNomenclatureVersion("V1").SetSectorCode(sectors[k]).SetJobCode(jobs[k]).SetClassification("A").
				SetMonitoringKinds([]string{"PASSIVE_WHOLE_BODY"})
		}
		if err := c.Employment.CreateBulk(es...).Exec(ctx); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// benchDose is the dose of row i: a third below the threshold, the rest
// lognormal-ish around 0.1 mSv, deterministic.
func benchDose(i int) int64 {
	if i%3 == 0 {
		return 0
	}
	x := uint32(i) * 2654435761
	return 20 + int64(x%400)
}

// benchKinds are the results each worker gets in a month.
var benchKinds = [][2]string{{"PASSIF_CORPS_ENTIER", "HP10"}, {"EXTREMITES", "HP007"}, {"CRISTALLIN", "HP3"}, {"PEAU", "HP007"}}

var (
	// benchMonth is the month of the detection run's results.
	benchMonth = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	// benchNow is when the batches arrive.
	benchNow = time.Date(2025, 2, 5, 9, 0, 0, 0, time.UTC)
)

// writeLabFile writes n results of month: four kinds per worker.
func writeLabFile(path string, n int, month time.Time, prefix string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	fmt.Fprintln(w, "nir;nom;prenom;date_naissance;siret;dosimetre;type_suivi;grandeur;debut_periode;fin_periode;resultat;unite;radionucleide;commentaire")
	start, end := month, month.AddDate(0, 1, -1)
	for i := range n {
		k, kind := i/len(benchKinds), benchKinds[i%len(benchKinds)]
		res := "M"
		if v := benchDose(i); v > 0 {
			res = strconv.FormatFloat(float64(v)/1000, 'f', 3, 64)
		}
		fmt.Fprintf(w, "%s;TRAVAILLEUR%d;camille;1980-01-15;%s;%s%08d;%s;%s;%s;%s;%s;mSv;;\n",
			benchNIR(k), k, benchSIRET, prefix, i, kind[0], kind[1], start.Format("2006-01-02"), end.Format("2006-01-02"), res)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

func childImport(ctx context.Context, self, dbURL, file, ref string, detect bool) (runResult, error) {
	var out bytes.Buffer
	args := []string{"bench", "ingest-run", "--database-url", dbURL, "--file", file, "--reference", ref}
	if !detect {
		args = append(args, "--no-detection")
	}
	cmd := exec.CommandContext(ctx, self, args...)
	cmd.Stdout = &out
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return runResult{}, fmt.Errorf("import child: %w", err)
	}
	var r runResult
	if err := json.Unmarshal(out.Bytes(), &r); err != nil {
		return r, fmt.Errorf("import child output %q: %w", out.String(), err)
	}
	if r.Status != ingest.StatusAccepted {
		return r, fmt.Errorf("benchmark batch %s was not accepted: %s", ref, r.Status)
	}
	return r, nil
}

// IngestRun imports file as the benchmark laboratory and reports its time
// and the process's peak memory (run in a child process by Ingest).
func IngestRun(ctx context.Context, dbURL, file, ref string, detect bool, stdout io.Writer) error {
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	v := &policy.Viewer{Role: policy.RoleLaboratory}
	sys := policy.SystemContext(ctx)
	acc, err := db.Client.Account.Query().Only(sys)
	if err != nil {
		return err
	}
	g, err := acc.QueryGrants().Only(sys)
	if err != nil {
		return err
	}
	v.AccountID = acc.ID
	v.Grants = []policy.Grant{{ID: g.ID, Role: policy.RoleLaboratory, LaboratoryID: *g.LaboratoryID, ValidFrom: g.ValidFrom}}
	svc := registry.NewImporter(db, alerts.NewBroker(alerts.NewHub(1), db.Dialect))
	svc.Now = func() time.Time { return benchNow }
	svc.Registry.Engine.Now = svc.Now
	if !detect {
		svc.Registry.Engine = nil
	}
	if os.Getenv("SISERI_INGEST_TRACE") != "" {
		svc.Trace = os.Stderr
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	if path := os.Getenv("SISERI_CPUPROFILE"); path != "" {
		pf, err := os.Create(path)
		if err == nil {
			_ = pprof.StartCPUProfile(pf)
			defer pprof.StopCPUProfile()
		}
	}
	start := time.Now()
	rep, err := svc.Run(policy.NewContext(ctx, v), db, ingest.Submission{Format: ingest.LabResults, Reference: ref, Body: f})
	if err != nil {
		return err
	}
	secs := time.Since(start).Seconds()
	phases := map[string]float64{}
	for p, d := range rep.Phases {
		phases[p] = d.Seconds()
	}
	return json.NewEncoder(stdout).Encode(runResult{Rows: rep.RowsAccepted, Seconds: secs, PeakRSS: peakRSS(),
		Anomalies: rep.AnomaliesRaised, Status: rep.Status, Phases: phases})
}

// peakRSS is the process's peak resident set size (VmHWM).
func peakRSS() uint64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			f := strings.Fields(line)
			if len(f) >= 2 {
				kb, _ := strconv.ParseUint(f[1], 10, 64)
				return kb * 1024
			}
		}
	}
	return 0
}

// rawCopy copies the same number of rows straight into a bare copy of the
// dose table (no index, no constraint), or with indexed into the dose table
// itself (its indexes and foreign keys; the rows are a later month's, and
// rolled back), and returns the seconds it took.
func rawCopy(ctx context.Context, db *store.DB, ids []int, n int, indexed bool) (float64, error) {
	table, month := "bench_dose_copy", benchMonth
	if indexed {
		table, month = "dose_records", benchMonth.AddDate(0, 1, 0)
	} else if _, err := db.SQL.ExecContext(ctx, "CREATE TABLE bench_dose_copy (LIKE dose_records INCLUDING DEFAULTS INCLUDING IDENTITY)"); err != nil {
		return 0, err
	}
	var estab, lab int
	if err := db.SQL.QueryRowContext(ctx, "SELECT (SELECT min(id) FROM establishments), (SELECT min(id) FROM laboratories)").Scan(&estab, &lab); err != nil {
		return 0, err
	}
	rows := make([][]any, n)
	now := time.Now().UTC()
	for i := range n {
		k, kind := i/len(benchKinds), benchKinds[i%len(benchKinds)]
		start := month
		status := "MEASURED"
		if benchDose(i) == 0 {
			status = "BELOW_THRESHOLD"
		}
		mk, err := dosimetry.ParseMonitoringKind(kind[0])
		if err != nil {
			return 0, err
		}
		rows[i] = []any{"LABORATORY", fmt.Sprintf("C%08d", i), string(mk), kind[1], benchDose(i), status,
			start, start.AddDate(0, 1, -1), nil, nil, "RI", "CARDIO", 1, true, now, nil, estab, nil, lab, ids[k], nil, false, nil, nil}
	}
	start := time.Now()
	txCtx, tx, err := db.OpenTx(ctx)
	if err != nil {
		return 0, err
	}
	if _, err := store.CopierFromContext(txCtx).CopyFrom(txCtx, table, registry.DoseColumns, pgx.CopyFromRows(rows)); err != nil {
		_ = tx.Rollback()
		return 0, err
	}
	if indexed {
		// Timed up to the rows being in, checked and indexed; the benchmark's
		// data stay those of the two imports.
		secs := time.Since(start).Seconds()
		return secs, tx.Rollback()
	}
	return time.Since(start).Seconds(), tx.Commit()
}
