// Package eval measures the anomaly detector on a synthetic population
// written by `siseri synth` (ANOMALY.md §5): it creates a fresh registry,
// replays the files in time order through the real import path (detection
// runs inside each import), reads the anomalies back, matches them to the
// injected labels and compares the detector with the baselines B0–B4 at the
// same false-alert budget.
package eval

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/siseri/siseri/backend/alerts"
	"github.com/siseri/siseri/backend/ingest"
	"github.com/siseri/siseri/backend/registry"
	"github.com/siseri/siseri/backend/seed"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/backend/synth"
	"github.com/siseri/siseri/ent"
	"github.com/siseri/siseri/ent/anomaly"
	"github.com/siseri/siseri/policy"
)

// Options configure an evaluation.
type Options struct {
	// Dir holds the files of `siseri synth`.
	Dir string
	// DatabaseURL: a PostgreSQL URL makes the evaluation create a temporary
	// database next to it (dropped at the end); anything else uses a
	// temporary SQLite file.
	DatabaseURL string
	// WarmupMonths are replayed but not scored (default 12).
	WarmupMonths int
	// Grace is how long after a month's end its batches are imported (the
	// evaluation instant of detection; default 2 days).
	Grace time.Duration
	// Progress receives one line per replayed month (may be nil).
	Progress io.Writer
	// Debug receives the false alerts and the missed labels (may be nil).
	Debug io.Writer
}

// table is a CSV file: header and rows.
type table struct {
	header []string
	rows   [][]string
	col    map[string]int
}

func readTable(path string) (*table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.Comma = ';'
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	all, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("%s: fichier vide", filepath.Base(path))
	}
	t := &table{header: all[0], rows: all[1:], col: map[string]int{}}
	for i, h := range t.header {
		t.col[h] = i
	}
	return t, nil
}

func (t *table) get(row []string, name string) string {
	i, ok := t.col[name]
	if !ok || i >= len(row) {
		return ""
	}
	return row[i]
}

// body writes rows as a CSV body with the table's header.
func (t *table) body(rows [][]string) *bytes.Reader {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Comma = ';'
	_ = w.Write(t.header)
	_ = w.WriteAll(rows)
	return bytes.NewReader(b.Bytes())
}

func parseDate(s string) (time.Time, bool) {
	if len(s) >= 10 {
		s = s[:10]
	}
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

// replica is the replay's registry: its database and the identities that submit to it.
type replica struct {
	db       *store.DB
	svc      *registry.Importer
	employer *policy.Viewer
	labs     map[string]*policy.Viewer
	labCodes []string
	drop     func()
}

// openRegistry creates the fresh database, migrates it and loads the
// nomenclature, establishments, laboratories and submitting accounts.
func openRegistry(ctx context.Context, o Options) (*replica, error) {
	reg := &replica{labs: map[string]*policy.Viewer{}}
	dbURL := o.DatabaseURL
	if store.IsPostgresURL(dbURL) {
		u, drop, err := createDatabase(ctx, dbURL)
		if err != nil {
			return nil, err
		}
		dbURL, reg.drop = u, drop
	} else {
		dir, err := os.MkdirTemp("", "siseri-eval")
		if err != nil {
			return nil, err
		}
		dbURL = filepath.Join(dir, "eval.db")
		reg.drop = func() { os.RemoveAll(dir) }
	}
	db, err := store.Open(ctx, dbURL)
	if err != nil {
		reg.close()
		return nil, err
	}
	reg.db = db
	if err := db.Migrate(ctx); err != nil {
		reg.close()
		return nil, err
	}
	sys := policy.SystemContext(ctx)
	c := db.Client
	if err := seed.CreateNomenclature(sys, c); err != nil {
		reg.close()
		return nil, fmt.Errorf("nomenclature : %w", err)
	}
	from := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	ests, err := readTable(filepath.Join(o.Dir, synth.FileEstablishments))
	if err != nil {
		reg.close()
		return nil, err
	}
	acc, err := c.Account.Create().SetEmail("employeur@eval.siseri.fr").SetDisplayName("Employeurs (évaluation)").SetPasswordHash("-").Save(sys)
	if err != nil {
		reg.close()
		return nil, err
	}
	reg.employer = &policy.Viewer{AccountID: acc.ID, Role: policy.RoleEmployer}
	for _, row := range ests.rows {
		e, err := c.Establishment.Create().SetSiret(ests.get(row, "siret")).SetName(ests.get(row, "raison_sociale")).Save(sys)
		if err != nil {
			reg.close()
			return nil, fmt.Errorf("établissement %s : %w", ests.get(row, "siret"), err)
		}
		reg.employer.Grants = append(reg.employer.Grants, policy.Grant{Role: policy.RoleEmployer, EstablishmentID: e.ID, ValidFrom: from})
	}
	labs, err := readTable(filepath.Join(o.Dir, synth.FileLaboratories))
	if err != nil {
		reg.close()
		return nil, err
	}
	for i, row := range labs.rows {
		code := labs.get(row, "code")
		l, err := c.Laboratory.Create().SetCode(code).SetName(labs.get(row, "nom")).Save(sys)
		if err != nil {
			reg.close()
			return nil, fmt.Errorf("laboratoire %s : %w", code, err)
		}
		a, err := c.Account.Create().SetEmail(fmt.Sprintf("labo%d@eval.siseri.fr", i)).SetDisplayName(code).SetPasswordHash("-").Save(sys)
		if err != nil {
			reg.close()
			return nil, err
		}
		reg.labs[code] = &policy.Viewer{AccountID: a.ID, Role: policy.RoleLaboratory,
			Grants: []policy.Grant{{Role: policy.RoleLaboratory, LaboratoryID: l.ID, ValidFrom: from}}}
		reg.labCodes = append(reg.labCodes, code)
	}
	// Longest codes first, so that ORANO-LH is not taken for a prefix of a longer code.
	sort.Slice(reg.labCodes, func(i, j int) bool { return len(reg.labCodes[i]) > len(reg.labCodes[j]) })
	reg.svc = registry.NewImporter(db, alerts.NewBroker(alerts.NewHub(1), db.Dialect))
	return reg, nil
}

func (r *replica) close() {
	if r.db != nil {
		r.db.Close()
	}
	if r.drop != nil {
		r.drop()
	}
}

// labOf returns the laboratory code a dosimeter serial starts with.
func (r *replica) labOf(serial string) string {
	for _, c := range r.labCodes {
		if strings.HasPrefix(serial, c+"-") || serial == c {
			return c
		}
	}
	return ""
}

func (r *replica) setNow(t time.Time) {
	r.svc.Now = func() time.Time { return t }
	r.svc.Registry.Engine.Now = r.svc.Now
}

// submit runs one batch; problems are added to rejected (by code) and the
// rejected rows returned by their index in rows.
func (r *replica) submit(ctx context.Context, v *policy.Viewer, f ingest.Format, ref string, t *table, rows [][]string, st *replayStats) (map[int]string, error) {
	rep, err := r.svc.Run(policy.NewContext(ctx, v), r.db, ingest.Submission{Format: f, Reference: ref, Body: t.body(rows), Partial: true})
	if err != nil {
		return nil, fmt.Errorf("lot %s : %w", ref, err)
	}
	st.batches++
	st.accepted[f] += rep.RowsAccepted
	st.total[f] += len(rows)
	bad := map[int]string{}
	for _, p := range rep.Problems {
		if _, seen := bad[p.Line-2]; seen {
			continue
		}
		bad[p.Line-2] = p.Code
		st.rejected[string(f)+" "+p.Code]++
	}
	if rep.ProblemCount > len(rep.Problems) {
		st.rejected[string(f)+" (non détaillés)"] += rep.ProblemCount - len(rep.Problems)
	}
	return bad, nil
}

type replayStats struct {
	batches  int
	accepted map[ingest.Format]int
	total    map[ingest.Format]int
	rejected map[string]int
	// rejectedRows are lab rows the validator refused: they count as
	// validity alerts (the value never entered the registry).
	rejectedRows []rejectedRow
	seconds      float64
}

type rejectedRow struct {
	nir        string
	start, end time.Time
	code       string
	month      int
}

// window describes the replayed months.
type window struct {
	start  time.Time
	months int
}

func (w window) index(t time.Time) int {
	return (t.Year()-w.start.Year())*12 + int(t.Month()) - int(w.start.Month())
}

func (w window) month(i int) time.Time { return w.start.AddDate(0, i, 0) }

// lateComment is what the generator's laboratories write on a late result;
// it tells a late result of the previous month from an on-time one.
const lateComment = "retard"

// arrivalMonths assigns each lab row the month it is transmitted in:
// lab-results.csv is in transmission order, sorted by period end within a
// month, so a month's block starts with its late results (ending earlier).
func arrivalMonths(t *table, w window) []int {
	out := make([]int, len(t.rows))
	cur, prevF := -1, -1
	for i, row := range t.rows {
		end, ok := parseDate(t.get(row, "fin_periode"))
		f := cur
		if ok {
			f = w.index(end)
		}
		switch {
		case cur < 0 || f > cur:
			cur = f
		case f < prevF:
			cur++
		case f == cur && strings.Contains(t.get(row, "commentaire"), lateComment):
			cur++
		}
		cur = min(max(cur, 0), w.months-1)
		out[i] = cur
		prevF = f
	}
	return out
}

// replay imports the declarations, then month by month the operational
// dosimetry and the laboratory results, through the real import path, and
// runs the periodic missing-result check after each month. It returns the
// month each anomaly was raised in.
func replay(ctx context.Context, r *replica, o Options, w window) (map[int]int, *replayStats, error) {
	st := &replayStats{accepted: map[ingest.Format]int{}, total: map[ingest.Format]int{}, rejected: map[string]int{}}
	t0 := time.Now()
	decl, err := readTable(filepath.Join(o.Dir, synth.FileDeclarations))
	if err != nil {
		return nil, nil, err
	}
	// Declarations are known before the replay (an employer declares
	// employments, past and planned, up front).
	r.setNow(w.month(w.months).AddDate(0, 0, 1))
	// One batch per rank of a worker's declarations (first employment of
	// every worker, then second…): a batch declaring one new worker twice
	// fails in the import (the second row keeps the -1 placeholder id of the
	// worker being created; backend/registry writeDeclarations).
	var ranks [][][]string
	seen := map[string]int{}
	for _, row := range decl.rows {
		k := seen[decl.get(row, "nir")]
		seen[decl.get(row, "nir")] = k + 1
		if k == len(ranks) {
			ranks = append(ranks, nil)
		}
		ranks[k] = append(ranks[k], row)
	}
	for i, rows := range ranks {
		if _, err := r.submit(ctx, r.employer, ingest.Declarations, fmt.Sprintf("eval-declarations-%d", i+1), decl, rows, st); err != nil {
			return nil, nil, err
		}
	}
	lab, err := readTable(filepath.Join(o.Dir, synth.FileLabResults))
	if err != nil {
		return nil, nil, err
	}
	ops, err := readTable(filepath.Join(o.Dir, synth.FileOperational))
	if err != nil {
		return nil, nil, err
	}
	arrival := arrivalMonths(lab, w)
	labByMonth := make([]map[string][][]string, w.months)
	for i := range labByMonth {
		labByMonth[i] = map[string][][]string{}
	}
	for i, row := range lab.rows {
		code := r.labOf(lab.get(row, "dosimetre"))
		labByMonth[arrival[i]][code] = append(labByMonth[arrival[i]][code], row)
	}
	opByMonth := make([][][]string, w.months)
	for _, row := range ops.rows {
		end, ok := parseDate(ops.get(row, "fin"))
		m := 0
		if ok {
			m = min(max(w.index(end), 0), w.months-1)
		}
		opByMonth[m] = append(opByMonth[m], row)
	}
	raisedIn := map[int]int{}
	lastID := 0
	sys := policy.SystemContext(ctx)
	for m := 0; m < w.months; m++ {
		now := w.month(m + 1).Add(o.Grace)
		r.setNow(now)
		ym := w.month(m).Format("2006-01")
		if len(opByMonth[m]) > 0 {
			if _, err := r.submit(ctx, r.employer, ingest.Operational, "eval-op-"+ym, ops, opByMonth[m], st); err != nil {
				return nil, nil, err
			}
		}
		codes := make([]string, 0, len(labByMonth[m]))
		for c := range labByMonth[m] {
			codes = append(codes, c)
		}
		sort.Strings(codes)
		for _, c := range codes {
			rows := labByMonth[m][c]
			v := r.labs[c]
			if v == nil {
				v = r.labs[r.labCodes[0]] // unknown prefix: the validator will say so
			}
			bad, err := r.submit(ctx, v, ingest.LabResults, "eval-"+c+"-"+ym, lab, rows, st)
			if err != nil {
				return nil, nil, err
			}
			for i, code := range bad {
				if i < 0 || i >= len(rows) {
					continue
				}
				s, _ := parseDate(lab.get(rows[i], "debut_periode"))
				e, _ := parseDate(lab.get(rows[i], "fin_periode"))
				st.rejectedRows = append(st.rejectedRows, rejectedRow{nir: lab.get(rows[i], "nir"), start: s, end: e, code: code, month: m})
			}
		}
		if _, err := r.svc.Registry.Engine.CheckMissing(sys, r.db.Client, now); err != nil {
			return nil, nil, fmt.Errorf("contrôle des résultats manquants : %w", err)
		}
		news, err := r.db.Client.Anomaly.Query().Where(anomaly.IDGT(lastID)).Select(anomaly.FieldID).Ints(sys)
		if err != nil {
			return nil, nil, err
		}
		for _, id := range news {
			raisedIn[id] = m
			lastID = max(lastID, id)
		}
		if o.Progress != nil {
			fmt.Fprintf(o.Progress, "mois %s : %d anomalies nouvelles (%.0f s)\n", ym, len(news), time.Since(t0).Seconds())
		}
	}
	st.seconds = time.Since(t0).Seconds()
	return raisedIn, st, nil
}

// createDatabase creates a temporary PostgreSQL database next to admin and
// returns its URL and a function that drops it.
func createDatabase(ctx context.Context, admin string) (string, func(), error) {
	conn, err := sql.Open("pgx", admin)
	if err != nil {
		return "", nil, err
	}
	var b [4]byte
	_, _ = rand.Read(b[:])
	name := "siseri_eval_" + hex.EncodeToString(b[:])
	if _, err := conn.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		conn.Close()
		return "", nil, fmt.Errorf("création de la base d'évaluation : %w", err)
	}
	u, err := url.Parse(admin)
	if err != nil {
		conn.Close()
		return "", nil, err
	}
	u.Path = "/" + name
	return u.String(), func() {
		_, _ = conn.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		conn.Close()
	}, nil
}

// loadAnomalies reads every stored anomaly with its dose records.
func loadAnomalies(ctx context.Context, c *ent.Client) ([]*ent.Anomaly, error) {
	return c.Anomaly.Query().WithDoseRecords().All(policy.SystemContext(ctx))
}
