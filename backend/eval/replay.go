// Package eval measures the anomaly detector on a synthetic population
// written by `siseri synth` (ANOMALY.md §5): it creates a fresh registry,
// replays the files in time order as its users would: a SISERI server on a
// loopback port and the real clock, the employer correspondent and the
// laboratories uploading their files through the GraphQL multipart upload
// with the date of receipt (detection runs inside each import), and an
// analyst reading the anomalies back through GraphQL. It matches them to
// the injected labels and compares the detector with the baselines B0–B4
// at the same false-alert budget.
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
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/siseri/siseri/backend/auth"
	"github.com/siseri/siseri/backend/seed"
	"github.com/siseri/siseri/backend/server"
	"github.com/siseri/siseri/backend/store"
	"github.com/siseri/siseri/backend/synth"
	"github.com/siseri/siseri/ent"
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
	// Grace is how long after a month's end its laboratory batches are
	// received: their date of receipt is the month's end plus Grace
	// (default 2 days). The server itself runs on the real clock.
	Grace time.Duration
	// Progress receives one line per replayed month (may be nil).
	Progress io.Writer
	// Debug receives the false alerts, the missed labels and the server's
	// warnings (may be nil).
	Debug io.Writer
	// Inspect, when not nil, is called with the replay's database URL and
	// the result before the database is dropped (tests compare the two).
	Inspect func(ctx context.Context, databaseURL string, res *Result) error
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
func (t *table) body(rows [][]string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Comma = ';'
	_ = w.Write(t.header)
	_ = w.WriteAll(rows)
	return b.Bytes()
}

func parseDate(s string) (time.Time, bool) {
	if len(s) >= 10 {
		s = s[:10]
	}
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}

// Formats of the exchange files (docs/formats.md), as the GraphQL enum
// ImportFormat spells them.
const (
	formatDeclarations = "DECLARATIONS"
	formatOperational  = "OPERATIONAL"
	formatLabResults   = "LAB_RESULTS"
)

// formatLabels are the formats' French names in the report.
var formatLabels = map[string]string{
	formatDeclarations: "déclarations",
	formatOperational:  "dosimétrie opérationnelle",
	formatLabResults:   "résultats de laboratoire",
}

// registry is the replay's SISERI: a fresh database served over HTTP on a
// loopback port by the production handler, on the real clock, and the
// signed-in people who use it: the employer correspondent (declarations and
// operational dosimetry), one account per laboratory (results) and an
// analyst, who may read every anomaly of the population (policy/scope
// Anomaly) with its explanation and dose records.
type registry struct {
	db       *store.DB
	url      string
	dbURL    string
	employer *client
	labs     map[string]*client
	labCodes []string
	reader   *client
	stop     func()
	drop     func()
}

// account is an account the replay creates: an e-mail and its grants.
type account struct {
	email, name string
	grants      []*ent.GrantCreate
}

// openRegistry creates the fresh database, migrates it, loads the reference
// data an administrator loads (nomenclature, establishments, laboratories),
// creates the accounts with a password and their grants, starts the server
// and signs everyone in through the login mutation.
func openRegistry(ctx context.Context, o Options) (reg *registry, err error) {
	reg = &registry{labs: map[string]*client{}}
	defer func() {
		if err != nil {
			reg.close()
		}
	}()
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
	reg.dbURL = dbURL
	if reg.db, err = store.Open(ctx, dbURL); err != nil {
		return nil, err
	}
	if err := reg.db.Migrate(ctx); err != nil {
		return nil, err
	}
	accounts, err := loadReference(ctx, reg.db.Client, o.Dir)
	if err != nil {
		return nil, err
	}
	password, err := newPassword()
	if err != nil {
		return nil, err
	}
	if err := createAccounts(ctx, reg.db.Client, accounts, password); err != nil {
		return nil, err
	}
	if err := reg.serve(o); err != nil {
		return nil, err
	}
	for _, a := range accounts {
		c := newClient(reg.url)
		if err := c.login(ctx, a.email, password); err != nil {
			return nil, err
		}
		switch {
		case a.email == employerEmail:
			reg.employer = c
		case a.email == readerEmail:
			reg.reader = c
		default:
			reg.labs[a.name] = c
			reg.labCodes = append(reg.labCodes, a.name)
		}
	}
	// Longest codes first, so that ORANO-LH is not taken for a prefix of a longer code.
	sort.Slice(reg.labCodes, func(i, j int) bool { return len(reg.labCodes[i]) > len(reg.labCodes[j]) })
	return reg, nil
}

const (
	employerEmail = "employeur@eval.siseri.fr"
	readerEmail   = "analyste@eval.siseri.fr"
)

// validFrom is the start of the replay's grants: before any synthetic month.
var validFrom = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// loadReference loads the nomenclature, the establishments and the
// laboratories of the population, and returns the accounts to create: the
// employer correspondent of every establishment, one account per
// laboratory, and the analyst.
func loadReference(ctx context.Context, c *ent.Client, dir string) ([]account, error) {
	sys := policy.SystemContext(ctx)
	if err := seed.CreateNomenclature(sys, c); err != nil {
		return nil, fmt.Errorf("nomenclature : %w", err)
	}
	ests, err := readTable(filepath.Join(dir, synth.FileEstablishments))
	if err != nil {
		return nil, err
	}
	employer := account{email: employerEmail, name: "Correspondant employeur (évaluation)"}
	for _, row := range ests.rows {
		e, err := c.Establishment.Create().SetSiret(ests.get(row, "siret")).SetName(ests.get(row, "raison_sociale")).Save(sys)
		if err != nil {
			return nil, fmt.Errorf("établissement %s : %w", ests.get(row, "siret"), err)
		}
		employer.grants = append(employer.grants, c.Grant.Create().SetRole(policy.RoleEmployer).SetEstablishmentID(e.ID))
	}
	out := []account{employer, {email: readerEmail, name: "Analyste (évaluation)", grants: []*ent.GrantCreate{c.Grant.Create().SetRole(policy.RoleAnalyst)}}}
	labs, err := readTable(filepath.Join(dir, synth.FileLaboratories))
	if err != nil {
		return nil, err
	}
	for i, row := range labs.rows {
		code := labs.get(row, "code")
		l, err := c.Laboratory.Create().SetCode(code).SetName(labs.get(row, "nom")).Save(sys)
		if err != nil {
			return nil, fmt.Errorf("laboratoire %s : %w", code, err)
		}
		out = append(out, account{email: fmt.Sprintf("labo%d@eval.siseri.fr", i), name: code,
			grants: []*ent.GrantCreate{c.Grant.Create().SetRole(policy.RoleLaboratory).SetLaboratoryID(l.ID)}})
	}
	return out, nil
}

// createAccounts creates the accounts with password and their grants.
func createAccounts(ctx context.Context, c *ent.Client, accounts []account, password string) error {
	sys := policy.SystemContext(ctx)
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	for _, a := range accounts {
		acc, err := c.Account.Create().SetEmail(a.email).SetDisplayName(a.name).SetPasswordHash(hash).Save(sys)
		if err != nil {
			return fmt.Errorf("compte %s : %w", a.email, err)
		}
		for _, g := range a.grants {
			if _, err := g.SetAccountID(acc.ID).SetValidFrom(validFrom).Save(sys); err != nil {
				return fmt.Errorf("habilitation de %s : %w", a.email, err)
			}
		}
	}
	return nil
}

func newPassword() (string, error) {
	var b [18]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

// serve starts the production server on a loopback port.
func (r *registry) serve(o Options) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	cfg := server.DefaultConfig()
	cfg.StaticDir = ""
	logOut := io.Discard
	if o.Debug != nil {
		logOut = o.Debug
	}
	srv := server.New(cfg, r.db, slog.New(slog.NewTextHandler(logOut, &slog.HandlerOptions{Level: slog.LevelWarn})))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ctx, ln)
	}()
	r.url = "http://" + ln.Addr().String()
	r.stop = func() {
		cancel()
		<-done
	}
	return nil
}

func (r *registry) close() {
	if r.stop != nil {
		r.stop()
	}
	if r.db != nil {
		r.db.Close()
	}
	if r.drop != nil {
		r.drop()
	}
}

// labOf returns the laboratory code a dosimeter serial starts with.
func (r *registry) labOf(serial string) string {
	for _, c := range r.labCodes {
		if strings.HasPrefix(serial, c+"-") || serial == c {
			return c
		}
	}
	return ""
}

const submitFileMutation = `mutation EvalSubmitFile($in: SubmitFileInput!) {
  submitFile(input: $in) { status rowsTotal rowsAccepted problemCount problems { line code severity } }
}`

// submit uploads one batch as c, with partial acceptance and, for
// laboratory results, the date of receipt; problems are added to the
// statistics and the rejected rows returned by their index in rows.
func (r *registry) submit(ctx context.Context, c *client, f, ref string, t *table, rows [][]string, receivedAt time.Time, st *replayStats) (map[int]string, error) {
	in := map[string]any{"format": f, "reference": ref, "partial": true}
	if !receivedAt.IsZero() {
		in["receivedAt"] = receivedAt.Format(time.DateOnly)
	}
	var out struct {
		SubmitFile struct {
			Status       string
			RowsTotal    int
			RowsAccepted int
			ProblemCount int
			Problems     []struct {
				Line           int
				Code, Severity string
			}
		}
	}
	if err := c.upload(ctx, submitFileMutation, in, ref+".csv", t.body(rows), &out); err != nil {
		return nil, fmt.Errorf("lot %s : %w", ref, err)
	}
	rep := out.SubmitFile
	st.batches++
	st.accepted[f] += rep.RowsAccepted
	st.total[f] += len(rows)
	bad := map[int]string{}
	for _, p := range rep.Problems {
		if p.Severity != "ERROR" {
			continue
		}
		if _, seen := bad[p.Line-2]; seen {
			continue
		}
		bad[p.Line-2] = p.Code
		st.rejected[f+" "+p.Code]++
	}
	if rep.ProblemCount > len(rep.Problems) {
		st.rejected[f+" (non détaillés)"] += rep.ProblemCount - len(rep.Problems)
	}
	return bad, nil
}

type replayStats struct {
	batches  int
	accepted map[string]int
	total    map[string]int
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

// receiptOf is the date of receipt of the laboratory batches transmitted in
// month m: the month's end plus the grace delay (the synthetic files carry
// no date of receipt of their own).
func receiptOf(w window, m int, grace time.Duration) time.Time {
	return w.month(m+1).AddDate(0, 0, -1).Add(grace)
}

// replay uploads the declarations, then month by month, in time order, the
// operational dosimetry and the laboratory results, through the server's
// multipart upload mutation, as the people who send them. Detection runs
// inside each import on the server's real clock. After each month the
// reader lists the anomalies raised since; replay returns the month each
// anomaly was raised in.
func replay(ctx context.Context, r *registry, o Options, w window) (map[int]int, *replayStats, error) {
	st := &replayStats{accepted: map[string]int{}, total: map[string]int{}, rejected: map[string]int{}}
	t0 := time.Now()
	decl, err := readTable(filepath.Join(o.Dir, synth.FileDeclarations))
	if err != nil {
		return nil, nil, err
	}
	// Declarations are known before the replay (an employer declares
	// employments, past and planned, up front). One batch per rank of a
	// worker's declarations (first employment of every worker, then
	// second…): a batch declaring one new worker twice fails in the import
	// (the second row keeps the placeholder id of the worker being created).
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
		if _, err := r.submit(ctx, r.employer, formatDeclarations, fmt.Sprintf("eval-declarations-%d", i+1), decl, rows, time.Time{}, st); err != nil {
			return nil, nil, err
		}
	}
	labByMonth, opByMonth, lab, ops, err := monthly(r, o, w)
	if err != nil {
		return nil, nil, err
	}
	raisedIn := map[int]int{}
	lastID := 0
	for m := 0; m < w.months; m++ {
		ym := w.month(m).Format("2006-01")
		if len(opByMonth[m]) > 0 {
			if _, err := r.submit(ctx, r.employer, formatOperational, "eval-op-"+ym, ops, opByMonth[m], time.Time{}, st); err != nil {
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
			sender := r.labs[c]
			if sender == nil {
				sender = r.labs[r.labCodes[0]] // unknown prefix: the validator will say so
			}
			bad, err := r.submit(ctx, sender, formatLabResults, "eval-"+c+"-"+ym, lab, rows, receiptOf(w, m, o.Grace), st)
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
		news, err := readAnomalyIDs(ctx, r.reader, lastID)
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

// monthly splits the laboratory results by month of transmission and
// laboratory, and the operational results by month.
func monthly(r *registry, o Options, w window) (labByMonth []map[string][][]string, opByMonth [][][]string, lab, ops *table, err error) {
	if lab, err = readTable(filepath.Join(o.Dir, synth.FileLabResults)); err != nil {
		return
	}
	if ops, err = readTable(filepath.Join(o.Dir, synth.FileOperational)); err != nil {
		return
	}
	arrival := arrivalMonths(lab, w)
	labByMonth = make([]map[string][][]string, w.months)
	for i := range labByMonth {
		labByMonth[i] = map[string][][]string{}
	}
	for i, row := range lab.rows {
		code := r.labOf(lab.get(row, "dosimetre"))
		labByMonth[arrival[i]][code] = append(labByMonth[arrival[i]][code], row)
	}
	opByMonth = make([][][]string, w.months)
	for _, row := range ops.rows {
		end, ok := parseDate(ops.get(row, "fin"))
		m := 0
		if ok {
			m = min(max(w.index(end), 0), w.months-1)
		}
		opByMonth[m] = append(opByMonth[m], row)
	}
	return
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
